package io.nightshift.models.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ParameterMaskerTest {

    private final ParameterMasker masker = ParameterMasker.builtIn();

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ipv4           | connect to 10.0.0.1 failed                      | connect to <*> failed
            ipv4 with port | connect to 10.250.19.102:50010 failed          | connect to <*> failed
            ipv6           | peer fe80::1ff:fe23:4567:890a left              | peer <*> left
            ipv6 full      | peer 2001:0db8:85a3:0000:0000:8a2e:0370:7334 up | peer <*> up
            ipv6 with port | listening on [2001:db8::1]:443 now             | listening on <*> now
            uuid           | request 123e4567-e89b-12d3-a456-426614174000 ok | request <*> ok
            hex 0x         | handle 0x7f3a2b1c closed                        | handle <*> closed
            long hex       | commit a3f9c2e1b4d5 pushed                      | commit <*> pushed
            number         | retry 3 of 10                                   | retry <*> of <*>
            negative/float | delta -4.25 units                               | delta <*> units
            unix path      | opened /var/log/app/server.log for append       | opened <*> for append
            windows path   | loaded C:\\Windows\\System32\\drv.sys           | loaded <*>
            url            | GET https://api.example.com/v1/items?id=7 done  | GET <*> done
            duration ms    | query took 12ms                                 | query took <*>
            duration s     | query took 3.5s                                 | query took <*>
            email          | mail sent to jane.doe+ops@example.co.uk today   | mail sent to <*> today
            block id       | deleting blk_-1608999687919862906 now           | deleting <*> now
            iso timestamp  | at 2024-03-05T14:22:01.123Z started             | at <*> started
            time of day    | at 14:22:01,123 started                         | at <*> started
            """)
    void masksEachParameterKind(String kind, String message, String expected) {
        assertThat(masker.mask(message)).as(kind).isEqualTo(expected);
    }

    @Test
    void leavesConstantWordsAndIdentifiersAlone() {
        assertThat(masker.mask("Resolved MSRA-SA-39.fareast.corp to rack")).isEqualTo(
                "Resolved MSRA-SA-39.fareast.corp to rack");
        assertThat(masker.mask("attempt_1445144423722_0020_m_000002_0 done")).isEqualTo(
                "attempt_1445144423722_0020_m_000002_0 done");
        assertThat(masker.mask("no variables here")).isEqualTo("no variables here");
    }

    @Test
    void collapsesAdjacentMasksSoVariableLengthListsShareATemplate() {
        assertThat(masker.mask("delete blk_1 blk_-2 blk_3")).isEqualTo("delete <*>");
        assertThat(masker.mask("delete blk_1")).isEqualTo("delete <*>");
    }

    @Test
    void appliesExtraPatternsFirstAndCanSkipBuiltIns() {
        ParameterMasker custom = new ParameterMasker(List.of("user=\\w+"), false);
        assertThat(custom.mask("login user=alice from 10.0.0.1")).isEqualTo("login <*> from 10.0.0.1");
    }

    @Test
    void keepsNullAndRejectsBadExtraPatternByName() {
        assertThat(masker.mask(null)).isNull();
        assertThatThrownBy(() -> new ParameterMasker(List.of("a(b"), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Cannot compile extra mask pattern 'a(b'");
    }
}
