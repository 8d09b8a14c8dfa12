package io.nightshift.jobs.cli;

import java.io.PrintWriter;

import io.nightshift.jobs.detect.rules.ConditionText;
import io.nightshift.jobs.detect.rules.Correlation;
import io.nightshift.jobs.detect.rules.FieldRef;
import io.nightshift.jobs.detect.rules.FieldResolution;
import io.nightshift.jobs.detect.rules.Rule;
import io.nightshift.jobs.detect.rules.RuleCatalog;
import io.nightshift.jobs.detect.rules.RuleDurations;
import io.nightshift.jobs.detect.rules.RuleExecutor;
import io.nightshift.jobs.detect.rules.ThresholdSpec;

/** What {@code rules show} prints for one rule: how it runs, not how it is written. */
final class RuleExplanation {
    private RuleExplanation() {
    }

    static void print(Rule r, boolean correlationOnly, PrintWriter out) {
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
        if (correlationOnly) {
            out.println("  reported:   no: it feeds Sigma correlation rules without 'generate: true'; its own matches"
                    + " are not findings");
        }
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

    /** A Sigma correlation rule: how its windows are measured over which base rules. */
    static void print(Correlation c, RuleCatalog catalog, PrintWriter out) {
        out.printf("%s  %s%n", c.id(), c.title());
        out.printf("  file:       %s:%d (sigma correlation rule)%n", c.sourceFile(), c.line());
        out.printf("  severity:   %s, %s%n", c.severity().word(), c.status().word());
        out.printf("  mitre:      %s / %s%n", orDash(c.mitre().tactic()), orDash(c.mitre().technique()));
        out.printf("  type:       %s: %s per window%n", c.type().word(), c.measureWords());
        out.printf("  window:     %s, sliding: the window ending at each matching event (both ends included)%n",
                RuleDurations.format(c.timespan()));
        out.printf("  condition:  %s%n", c.conditionWords());
        out.printf("  rules:      %s%n", String.join(c.type() == Correlation.Type.TEMPORAL_ORDERED ? " then " : ", ",
                c.ruleIds()));
        out.printf("  generate:   %s%n", c.generate() ? "true: the rules also report their own matches"
                : "false: the rules' own matches are not findings");
        if (!c.groupBy().isEmpty()) {
            out.println("  group-by:");
            for (Correlation.GroupKey k : c.groupBy()) {
                out.printf("    %s: %s%n", k.name(), perRule(c, k.perRule()));
            }
        } else {
            out.println("  group-by:   none (all events of the rules together)");
        }
        if (!c.valueFields().isEmpty()) {
            out.printf("  counts:     distinct values of %s%n", perRule(c, c.valueFields()));
        }
        out.println("  fields:");
        for (FieldResolution f : c.fields()) {
            out.printf("    %s%n", f);
        }
        if (!c.unmappedFields().isEmpty()) {
            out.printf("  unmapped:   %s (read from attributes by their own names; map them in"
                    + " rules.sigma_field_mapping or rules.sigma_pipelines)%n", String.join(", ", c.unmappedFields()));
        }
        for (String id : c.ruleIds()) {
            catalog.rules().stream().filter(r -> r.id().equals(id)).findFirst().ifPresent(r ->
                    out.printf("  %-11s %s%n", id + ":", ConditionText.of(r.condition())));
        }
    }

    /** "user" when every base rule reads the same field, else "rule-a: src_ip, rule-b: dst_ip". */
    private static String perRule(Correlation c, java.util.List<FieldRef> fields) {
        if (fields.stream().distinct().count() == 1) {
            return fields.get(0).toString();
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            parts.add(c.ruleIds().get(i) + ": " + fields.get(i));
        }
        return String.join(", ", parts);
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }
}
