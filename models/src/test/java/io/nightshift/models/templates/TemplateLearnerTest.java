package io.nightshift.models.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The failure modes of issue #33, each in a handful of synthetic lines of its shape, learned at the default setting
 * and assigned back as {@link TemplateMinerModel#transform} does.
 */
class TemplateLearnerTest {

    private static final int DEFAULT = 5;

    /** The template text of each line, in order. */
    private static List<String> templatesOf(List<String> lines) {
        return templatesOf(lines, DEFAULT);
    }

    private static List<String> templatesOf(List<String> lines, int minVariableValues) {
        ParameterMasker masker = ParameterMasker.builtIn();
        TemplateAssigner assigner = new TemplateAssigner(masker,
                TemplateLearner.learnFromRaw(masker, minVariableValues, lines));
        return lines.stream().map(line -> assigner.assign(line).template()).toList();
    }

    private static List<String> times(int n, String line) {
        return Collections.nCopies(n, line);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    @Test
    void anOptionalFieldThatIsSometimesEmptyAndMonthNamesDoNotSplitATemplate() {
        List<String> lines = List.of(
                "connection from 24.54.76.216 (host-216.example.net) at Sun Jul 17 12:30:11 2005",
                "connection from 84.139.180.144 () at Fri Jul 22 09:28:20 2005",
                "connection from 84.139.180.145 () at Mon Jun 20 01:22:01 2005",
                "connection from 211.72.151.162 (alpha.example.com) at Tue Jun 21 01:22:01 2005",
                "connection from 10.1.2.3 () at Wed Jun 22 03:04:05 2005");

        assertThat(templatesOf(lines)).containsOnly("connection from <*> at <*>");
    }

    @Test
    void aValueThatVariesIsAVariableEvenWhereOneOfItsValuesIsFrequent() {
        List<String> names = List.of("guest", "oracle", "test", "ubuntu", "pi", "support");
        List<String> accounts = new ArrayList<>(times(20, "Invalid user admin from 10.0.0.1"));
        List<String> services = new ArrayList<>(times(20, "Unknown service admin requested from 10.0.0.1"));
        for (String name : names) {
            accounts.add("Invalid user " + name + " from 10.0.0.2");
            services.add("Unknown service " + name + " requested from 10.0.0.2");
        }

        // "user" names an account; "service" names nothing the masker knows: its position varies enough.
        assertThat(templatesOf(accounts)).containsOnly("Invalid user <*> from <*>");
        assertThat(templatesOf(services)).containsOnly("Unknown service <*> requested from <*>");
    }

    @Test
    void aRareOneLineTemplateIsNotMergedIntoAFrequentOne() {
        List<String> lines = concat(times(50, "Connection closed by 10.0.0.1 [preauth]"),
                List.of("Connection reset by 10.0.0.9 [preauth]"),
                times(40, "Session: 30546173_4261722401 initialized by client WindowsUpdateAgent."),
                List.of("Session: 11152_142416105 initialized by client SPP."));

        List<String> templates = templatesOf(lines);

        assertThat(templates.get(0)).isEqualTo("Connection closed by <*> [preauth]");
        assertThat(templates.get(50)).isEqualTo("Connection reset by <*> [preauth]");
        assertThat(templates.get(51)).isEqualTo("Session: <*>_<*> initialized by client WindowsUpdateAgent.");
        assertThat(templates.get(91)).isEqualTo("Session: <*>_<*> initialized by client SPP.");
        assertThat(templates).containsOnly(templates.get(0), templates.get(50), templates.get(51),
                templates.get(91));
    }

    @Test
    void constantLookingValuesThatAreVariablesShareTheTemplate() {
        List<String> lines = List.of(
                "updateClipping isOverlap:false, topPadding=333.0",
                "updateClipping isOverlap:true, topPadding=12.5",
                "Resolved peer alpha.example.com to rack",
                "Resolved peer 10.0.0.7 to rack",
                "Resolved peer beta.example.org to rack",
                "Checkpoint coldpatching=FALSE applied",
                "Checkpoint coldpatching=TRUE applied");

        assertThat(templatesOf(lines)).containsExactly(
                "updateClipping isOverlap:<*>, topPadding=<*>", "updateClipping isOverlap:<*>, topPadding=<*>",
                "Resolved peer <*> to rack", "Resolved peer <*> to rack", "Resolved peer <*> to rack",
                "Checkpoint coldpatching=<*> applied", "Checkpoint coldpatching=<*> applied");
    }

    @Test
    void aPositionWithFewValuesHoldsConstantsThatNameEvents() {
        List<String> lines = new ArrayList<>();
        for (String state : List.of("Started", "Stopped", "Paused", "Resumed")) {
            lines.addAll(times(5, "[instance: 8f3a2b1c-0d4e-4f5a-9b6c-7d8e9f0a1b2c] VM " + state + " (Lifecycle Event)"));
        }

        assertThat(templatesOf(lines)).containsOnly("[instance: <*>] VM Started (Lifecycle Event)",
                "[instance: <*>] VM Stopped (Lifecycle Event)", "[instance: <*>] VM Paused (Lifecycle Event)",
                "[instance: <*>] VM Resumed (Lifecycle Event)");
        // A lower setting takes four values for a variable.
        assertThat(templatesOf(lines, 4)).containsOnly("[instance: <*>] VM <*> (Lifecycle Event)");
    }

    @Test
    void theFirstTokenIsAVariableOnlyWithTwiceAsManyValuesOrAMask() {
        List<String> commands = new ArrayList<>();
        List<String> verbs = List.of("boot", "wait", "halt", "reboot", "probe", "drain");
        for (int i = 0; i < verbs.size(); i++) {
            commands.add(verbs.get(i) + " (command " + (1900 + i) + ")");
        }
        List<String> attempts = List.of("attempt_1445144423722_0020_m_000001_0 started",
                "attempt_1445144423722_0020_r_000002_0 started");

        assertThat(templatesOf(commands)).doesNotHaveDuplicates().first().isEqualTo("boot (command <*>)");
        assertThat(templatesOf(attempts)).containsOnly("<*> started");
    }

    @Test
    void learnsTheSameTemplatesWhateverTheOrderOfTheMessages() {
        List<String> lines = concat(times(3, "Connection closed by 10.0.0.1"), List.of("Connection reset by 10.0.0.2",
                "Disk sda1 is 91% full", "Disk sdb2 is 97% full", "boot (command 12)", "wait (command 13)"));
        ParameterMasker masker = ParameterMasker.builtIn();
        List<MinedTemplate> first = TemplateLearner.learnFromRaw(masker, DEFAULT, lines);

        List<String> shuffled = new ArrayList<>(lines);
        Collections.shuffle(shuffled, new Random(7));
        assertThat(TemplateLearner.learnFromRaw(masker, DEFAULT, shuffled)).isEqualTo(first);
    }

    @Test
    void rejectsASettingBelowTwo() {
        assertThatThrownBy(() -> new TemplateLearner(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minVariableValues must be >= 2, got 1");
    }
}
