package io.nightshift.jobs.detect.rules.sigma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.nightshift.jobs.detect.rules.Condition;
import io.nightshift.jobs.detect.rules.FieldRef;
import io.nightshift.jobs.detect.rules.Operator;
import io.nightshift.jobs.detect.rules.RuleSyntaxException;

/** Precedence, quantifiers and errors of the Sigma condition grammar, on the condition tree (no Spark). */
class SigmaConditionParserTest {
    static final Map<String, Condition> SEL = selections("a", "b", "c", "sel_1", "sel_2", "_hidden");

    static Map<String, Condition> selections(String... names) {
        Map<String, Condition> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, Condition.Match.of(FieldRef.column("action"), Operator.EQUALS, List.of(n), false));
        }
        return m;
    }

    static Condition p(String text) {
        return SigmaConditionParser.parse(text, SEL, 1);
    }

    static Condition s(String name) {
        return SEL.get(name);
    }

    @Test
    void andBindsTighterThanOrAndNotTighterThanAnd() {
        assertThat(p("a or b and not c")).isEqualTo(new Condition.Any(List.of(s("a"),
                new Condition.All(List.of(s("b"), new Condition.Not(s("c")))))));
        assertThat(p("(a OR b) AND c")).isEqualTo(new Condition.All(List.of(
                new Condition.Any(List.of(s("a"), s("b"))), s("c"))));
        assertThat(p("not not a")).isEqualTo(new Condition.Not(new Condition.Not(s("a"))));
    }

    @Test
    void quantifiers() {
        assertThat(p("1 of sel_*")).isEqualTo(new Condition.Any(List.of(s("sel_1"), s("sel_2"))));
        assertThat(p("all of sel_*")).isEqualTo(new Condition.All(List.of(s("sel_1"), s("sel_2"))));
        assertThat(p("any of them")).isEqualTo(new Condition.Any(List.of(s("a"), s("b"), s("c"), s("sel_1"),
                s("sel_2"))));
        assertThat(p("a and not 1 of _h*")).isEqualTo(new Condition.All(List.of(s("a"),
                new Condition.Not(new Condition.Any(List.of(s("_hidden")))))));
    }

    @Test
    void errorsSayWhatIsWrong() {
        assertThatThrownBy(() -> p("(a or b")).isInstanceOf(RuleSyntaxException.class)
                .hasMessage("missing ')' in condition");
        assertThatThrownBy(() -> p("a b")).hasMessage("unexpected 'b' in condition 'a b'");
        assertThatThrownBy(() -> p("1 of x*")).hasMessage("'1 of x*' matches no selection (defined: [a, b, c, sel_1,"
                + " sel_2, _hidden])");
        assertThatThrownBy(() -> p("a and")).hasMessage("condition ends where a selection name was expected");
        assertThatThrownBy(() -> p("2 of sel_*")).isInstanceOf(SigmaUnsupportedException.class)
                .hasMessage("quantifier '2 of' is not supported (use 1 of, any of or all of)");
        assertThatThrownBy(() -> p("a | count() > 3")).isInstanceOf(SigmaUnsupportedException.class);
    }
}
