package io.nightshift.jobs.detect.rules.own;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.detect.rules.Rule;
import io.nightshift.jobs.detect.rules.RuleCatalog;
import io.nightshift.jobs.detect.rules.RuleFormat;
import io.nightshift.jobs.detect.rules.RuleStatus;

/**
 * Promotes an experimental Nightshift rule to stable by rewriting its {@code status:} line in place, so the rest of
 * the file (comments, layout, other rules of a multi-rule file) stays as its author wrote it. The rule then scores in
 * full. Sigma rules keep Sigma's own status vocabulary and are promoted by editing them.
 */
public final class RulePromotion {
    private static final Pattern EXPERIMENTAL = Pattern.compile("status:\\s*experimental\\s*(#.*)?");
    private static final Pattern NEXT_DOCUMENT = Pattern.compile("---(\\s.*)?");

    private RulePromotion() {
    }

    /**
     * @return the file the rule was promoted in, or null when it was already stable
     * @throws NightshiftException (bad input) when the rule is not in the catalog or is a Sigma rule
     */
    public static Path promote(RuleCatalog catalog, String ruleId) {
        Rule rule = catalog.rules().stream().filter(r -> r.id().equals(ruleId)).findFirst().orElseThrow(() ->
                NightshiftException.badInput("no valid rule with id '" + ruleId + "' in the catalog (see rules list and "
                        + "rules check)"));
        if (rule.status() == RuleStatus.STABLE) {
            return null;
        }
        if (rule.format() != RuleFormat.NIGHTSHIFT) {
            throw NightshiftException.badInput("rule " + ruleId + " in " + rule.sourceFile() + " is a Sigma rule; "
                    + "promote it by setting its status: field to stable");
        }
        Path file = Path.of(rule.sourceFile());
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
            for (int i = rule.line() - 1; i < lines.size() && !NEXT_DOCUMENT.matcher(lines.get(i)).matches(); i++) {
                if (EXPERIMENTAL.matcher(lines.get(i)).matches()) {
                    lines.set(i, "status: stable");
                    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
                    return file;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file + ": " + e.getMessage(), e);
        }
        throw NightshiftException.badInput("rule " + ruleId + " in " + file + " is experimental but its status is not "
                + "a top-level 'status: experimental' line after line " + rule.line() + "; edit it by hand");
    }
}
