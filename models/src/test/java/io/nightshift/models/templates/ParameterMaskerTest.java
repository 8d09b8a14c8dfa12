package io.nightshift.models.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

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
    void leavesIdentifiersToTheShapeRulesAndConstantWordsAlone() {
        // The regular expressions mask whole values only; the digit-heavy runs inside identifiers are TokenShapes'.
        assertThat(masker.maskWithRules("Resolved MSRA-SA-39.fareast.corp to rack")).isEqualTo(
                "Resolved MSRA-SA-39.fareast.corp to rack");
        assertThat(masker.maskWithRules("attempt_1445144423722_0020_m_000002_0 done")).isEqualTo(
                "attempt_1445144423722_0020_m_000002_0 done");
        assertThat(masker.mask("Resolved MSRA-SA-39.fareast.corp to rack")).isEqualTo(
                "Resolved MSRA-SA-<*>.fareast.corp to rack");
        assertThat(masker.mask("attempt_1445144423722_0020_m_000002_0 done")).isEqualTo(
                "attempt_<*>_<*>_m_<*>_<*> done");
        assertThat(masker.mask("no  variables\there")).isEqualTo("no variables here");
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

    @Test
    void masksTokenByTokenExactlyAsEveryRuleOverTheWholeMessage() {
        // Parameters of every kind, their near misses, and the characters the rules' look-arounds and word
        // boundaries look at, joined by every kind of whitespace: the regular-expression stage skips rules by
        // pre-checks and works token by token, and must still equal each rule applied in turn to the whole message.
        String[] pieces = {"10.0.0.1", "10.250.19.102:50010", "fe80::1ff:fe23:4567:890a", "[2001:db8::1]:443",
            "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "123e4567-e89b-12d3-a456-426614174000",
            "abcdefab-abcd-abcd-abcd-abcdefabcdef", "0x7f3a2b1c", "a3f9c2e1b4d5", "deadbeefcafe", "3", "-4.25",
            "+7", "1.2.3", "/var/log/app.log", "./run.sh", "~/x/y", "C:\\Windows\\drv.sys", "https://a.example/v1?id=7",
            "12ms", "3.5s", "5min", "2hrs", "10µs", "jane.doe+ops@example.co.uk", "blk_-1608999687919862906",
            "blk_42", "2024-03-05T14:22:01.123Z", "2024-03-05", "14:22:01,123", "2024-03-05 14:22:01", "user42",
            "2024-03-5", "202-03-05", "2024-3-05", "1:22:01", "14:2:01", "14:22:1", "99:99:99", "7-", "12:", "2024-",
            "5.1.1", "123.45", "1..2", "1.", ".5", "4.4.4.4.4", "300.1.1.1", "1.2.3.4:80",
            "attempt_1445144423722_0020_m_000002_0", "MSRA-SA-39.fareast.corp", "port=8080", "(42)", "[7]",
            "id:42", "a-12", "x.5", "v2", "<*>", "*", "<", ">", "-", ".", ":", "/", "\\", "@", "_", "\"", "'",
            "é9", "Ünïcode", "\u0301x", "word", "Failed", "password", "for", "from"};
        String[] spaces = {" ", " ", " ", "  ", "\t", "\n", "\r\n", "\u000B", "\f", "\u00A0", "\u2003", "", ""};
        Random random = new Random(20261127L);
        List<String> messages = new ArrayList<>();
        for (int m = 0; m < 20_000; m++) {
            StringBuilder message = new StringBuilder();
            int parts = 1 + random.nextInt(8);
            for (int p = 0; p < parts; p++) {
                message.append(spaces[random.nextInt(spaces.length)]).append(pieces[random.nextInt(pieces.length)]);
            }
            messages.add(message.toString());
        }
        for (String message : messages) {
            assertThat(masker.maskWithRules(message)).as(message).isEqualTo(masker.maskWholeMessage(message));
        }
    }

    @Test
    void collapsesRunsOfMasksAsTheRegexDoes() {
        java.util.regex.Pattern run = java.util.regex.Pattern.compile("<\\*>(?:\\s+<\\*>)+");
        String[] pieces = {"<*>", "<*>", " ", "\t", "\n", "\u00A0", "<", "*", ">", "<*", "*>", "x", "<<*>>", ""};
        Random random = new Random(3L);
        int collapsed = 0;
        for (int m = 0; m < 20_000; m++) {
            StringBuilder text = new StringBuilder();
            for (int p = random.nextInt(10); p > 0; p--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            String expected = run.matcher(text).replaceAll("<*>");
            assertThat(ParameterMasker.collapseMaskRuns(text.toString())).as(text.toString()).isEqualTo(expected);
            collapsed += expected.length() < text.length() ? 1 : 0;
        }
        assertThat(collapsed).isGreaterThan(300);
    }

    @Test
    void looksForTimestampsOnlyWhereADateOrTimeOfDayCanBe() {
        assertThat(ParameterMasker.mayHoldTimestamp("at 2024-03-05 ok")).isTrue();
        assertThat(ParameterMasker.mayHoldTimestamp("at 7:22:01")).isTrue();
        assertThat(ParameterMasker.mayHoldTimestamp("req-8f3a 10.0.0.1:443 a1-b2")).isFalse();
        assertThat(ParameterMasker.mayHoldTimestamp("2024-03-5 14:2:01 14:22:1")).isFalse();
        String nearMisses = "2024-03-5 14:2:01 and 14:22:01";
        assertThat(masker.maskWithRules(nearMisses)).isEqualTo(masker.maskWholeMessage(nearMisses)).endsWith("and <*>");
    }

    @Test
    void masksAUuidOnlyWhenItHasADigit() {
        assertThat(masker.mask("id abcdefab-abcd-abcd-abcd-abcdefabcdef port 8"))
                .isEqualTo("id abcdefab-abcd-abcd-abcd-abcdefabcdef port <*>");
        assertThat(masker.mask("id abcdefab-abcd-abcd-abcd-abcdefabcde1")).isEqualTo("id <*>");
    }
}
