package io.nightshift.models.templates;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenShapesTest {

    private final ParameterMasker masker = ParameterMasker.builtIn();

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            month and day names  | backup done Sun Jul 17 at noon              | backup done <*> at noon
            upper-case month     | rotated on JUN 3                            | rotated on <*>
            boolean              | overlap:false visible TRUE                  | overlap:<*> visible <*>
            key=value            | coldpatching=FALSE applyflags=7             | coldpatching=<*> applyflags=<*>
            key=value list       | flags=a,b=c;d=e                             | flags=<*>,b=<*>;d=<*>
            key=value in bracket | opened by (uid=0)                           | opened by (uid=<*>)
            quoted value         | lock tag="View Lock", ws=null now           | lock tag=<*>, ws=<*> now
            bracketed value      | ws=WorkSource{10113}, to=Info{a/b}} done    | ws=<*>, to=<*>} done
            quoted, one token    | 503 error="aborted" here                    | <*> error=<*> here
            unclosed quote       | say="a b c d e f g h i j k l m n o p q r    | say=<*> b c d e f g h i j k l m n o p q r
            empty value kept     | logname= ruser= rhost=h1                    | logname= ruser= rhost=<*>
            host name            | resolving bolt.example.com now              | resolving <*> now
            host and port        | via proxy.cs.example.edu.hk:5070 open       | via <*>:<*> open
            digit-heavy run      | from node-162 link Interconnect-0T00        | from node-<*> link Interconnect-<*>
            hex-like id          | token a64f992 and de9231d                   | token <*> and <*>
            empty field          | handler () failed, retry [] later           | handler (<*>) failed, retry [<*>] later
            account name         | session opened for user cyrus by root       | session opened for user <*> by root
            account name, colon  | User: alice, logged out                     | User: <*>, logged out
            unit after value     | estimated size 93.0 B, free 317.1 KB        | estimated size <*>, free <*>
            restated value       | sent 1190 bytes (1.16 KB), lifetime <1 sec  | sent <*>, lifetime <<*>
            """)
    void masksValuesByTheirShape(String kind, String message, String expected) {
        assertThat(masker.mask(message)).as(kind).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            code names      | loaded org.apache.hadoop.mapred.MapTask and com.android.phone
            words that look | we sat down with the truest falsehood
            names with a digit | via SOCKS5 on interface alt0 eth0 ipv6
            calls           | workerEnv.init() ok; list[] empty
            files           | wrote notes.md and run.sh
            """)
    void leavesConstantsAlone(String kind, String message) {
        assertThat(masker.mask(message)).as(kind).isEqualTo(message);
    }

    @Test
    void linesWithAndWithoutAnOptionalValueFieldMaskTheSame() {
        String withHost = masker.mask("connection from 24.54.76.216 (host.example.com) at Sun Jul 17 12:30:11 2005");
        String empty = masker.mask("connection from 84.139.180.144 () at Fri Jul 22 09:28:20 2005");
        String byAddress = masker.mask("connection from 24.54.76.216 (24-54-76-216.example.net) at Mon Jun 20 01:22:01 2005");

        assertThat(withHost).isEqualTo(empty).isEqualTo(byAddress).isEqualTo("connection from <*> at <*>");
    }

    @Test
    void knowsWhichTokensAreMasksAndPunctuationOnly() {
        assertThat(TokenShapes.onlyMasksAndPunctuation("(<*>)")).isTrue();
        assertThat(TokenShapes.onlyMasksAndPunctuation("<*>:<*>,")).isTrue();
        assertThat(TokenShapes.onlyMasksAndPunctuation("key=<*>")).isFalse();
        assertThat(TokenShapes.onlyMasksAndPunctuation("()")).isFalse();
    }
}
