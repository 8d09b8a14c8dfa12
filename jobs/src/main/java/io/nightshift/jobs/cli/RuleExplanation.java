package io.nightshift.jobs.cli;

import java.io.PrintWriter;

import io.nightshift.jobs.detect.rules.ConditionText;
import io.nightshift.jobs.detect.rules.FieldResolution;
import io.nightshift.jobs.detect.rules.Rule;
import io.nightshift.jobs.detect.rules.RuleDurations;
import io.nightshift.jobs.detect.rules.RuleExecutor;
import io.nightshift.jobs.detect.rules.ThresholdSpec;

/** What {@code rules show} prints for one rule: how it runs, not how it is written. */
final class RuleExplanation {
    private RuleExplanation() {
    }

    static void print(Rule r, PrintWriter out) {
        out.printf("%s  %s%n", r.id(), r.title());
        out.printf("  file:       %s:%d (%s rule)%n", r.sourceFile(), r.line(), r.format().word());
        out.printf("  severity:   %s, %s%n", r.severity().word(), r.status().word());
        out.printf("  mitre:      %s / %s%n", orDash(r.mitre().tactic()), orDash(r.mitre().technique()));
        out.printf("  services:   %s%n", r.services().isEmpty() ? "any" : String.join(", ", r.services()));
        out.printf("  condition:  %s%n", ConditionText.of(r.condition()));
        // The predicate as Spark holds it: text tests are Java functions (RE2/J), shown as UDF calls on the field.
        out.printf("  spark:      %s%n", RuleExecutor.matches(r));
        ThresholdSpec t = r.threshold();
        out.printf("  threshold:  %s%n", t.implicit() ? "every matching row (one finding per entity per "
                + RuleDurations.format(t.window()) + ")" : t.measureWords() + " " + t.limitWords() + " in "
                + RuleDurations.format(t.window()) + (t.groupBy().isEmpty() ? "" : " by " + t.groupBy()));
        if (!r.fields().isEmpty()) {
            out.println("  fields:");
            for (FieldResolution f : r.fields()) {
                out.printf("    %s%n", f);
            }
            if (!r.unmappedFields().isEmpty()) {
                out.printf("  unmapped:   %s (read from attributes by their own names; map them in"
                        + " rules.sigma_field_mapping or rules.sigma_pipelines)%n", String.join(", ",
                        r.unmappedFields()));
            }
        }
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }
}
