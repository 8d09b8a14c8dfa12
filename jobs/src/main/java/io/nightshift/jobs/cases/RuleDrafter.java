package io.nightshift.jobs.cases;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.base.Severity;
import io.nightshift.jobs.detect.rules.Condition;
import io.nightshift.jobs.detect.rules.FieldRef;
import io.nightshift.jobs.detect.rules.Mitre;
import io.nightshift.jobs.detect.rules.Operator;
import io.nightshift.jobs.detect.rules.Rule;
import io.nightshift.jobs.detect.rules.RuleDurations;
import io.nightshift.jobs.detect.rules.RuleExecutor;
import io.nightshift.jobs.detect.rules.RuleFormat;
import io.nightshift.jobs.detect.rules.RuleStatus;
import io.nightshift.jobs.detect.rules.SuppressionSpec;
import io.nightshift.jobs.detect.rules.ThresholdSpec;

/**
 * Drafts a new, {@code experimental} rule from what an incident saw, so that a lesson learned becomes a detection
 * that runs (at the reduced experimental score) until someone promotes it. Pure: an {@link IncidentCase} and the
 * current rule catalog in, a {@link Rule} out; {@code RuleWriter} turns it into a catalog file.
 *
 * <p>How a draft is built:
 * <ul>
 *   <li><b>From a rule</b>, when the incident has findings of a rule that is still in the catalog (the one with the
 *   highest-scoring finding): the draft keeps that rule's condition, log source, grouping, window, measure,
 *   {@code followed_by}, suppression, MITRE classification and severity, and
 *   <ul>
 *     <li><em>narrows</em> it to where the incident happened: an {@code in} test on {@code tenant_id} and on
 *     {@code service} with the values the rule's own findings had (a finding carries a value only when every row it
 *     counted had it, so the same rows still match). Addresses, users and hosts are left free: they are what such a
 *     rule counts across (a spray rotates users, a load balancer rotates hosts), and pinning the attacker's address
 *     would turn the rule into an indicator match that a new address evades (threat intelligence does that). A
 *     column the rule groups by or measures is never pinned, and neither is one with more than
 *     {@link #MAX_SCOPE_VALUES} values (that is not a scope);</li>
 *     <li><em>generalises</em> the threshold: half the largest measure the rule observed in the incident (rounded
 *     down), but never above the rule's own limit, so the narrower rule catches the same attack at half its
 *     strength, and is never less sensitive than the rule it came from.</li>
 *   </ul></li>
 *   <li><b>Otherwise</b> (trend, cluster or threat-intelligence incidents): a rule without a threshold (every
 *   matching row is a hit, one finding per entity per hour) whose condition is the incident's log templates (as
 *   regular expressions on {@code message}; any of them) and its entities (an {@code in} test per indicator type:
 *   {@code ip}, {@code user}, {@code tenant}, {@code host}, {@code service}, at most {@link #MAX_SCOPE_VALUES} values
 *   each). Such a draft needs a template, an address or a user: a rule on tenants, services or hosts alone would
 *   fire on all their traffic, and the incident is refused as having nothing a rule can match.</li>
 * </ul>
 * The draft's id is {@code LL-<incident id>} and its title and description name the incident and what was
 * narrowed or lowered, so a reviewer sees where it came from.
 */
public final class RuleDrafter {
    public static final String ID_PREFIX = "LL-";
    static final int MAX_SCOPE_VALUES = 5;
    private static final List<String> RULE_SCOPE = List.of("tenant_id", "service");
    private static final Map<String, String> INDICATOR_FIELDS = orderedMap(
            "template", "message", "ip", "src_ip", "user", "user", "tenant", "tenant_id", "host", "host",
            "service", "service");

    private final Map<String, Rule> catalog = new LinkedHashMap<>();

    public RuleDrafter(List<Rule> catalogRules) {
        catalogRules.forEach(r -> catalog.putIfAbsent(r.id(), r));
    }

    /**
     * @param sourceFile the file the draft will be written to (recorded in the rule, as the loader would)
     * @throws NightshiftException (bad input) naming the incident when it has nothing a rule can match
     */
    public Rule draft(IncidentCase incident, String sourceFile) {
        Optional<Rule> base = baseRule(incident);
        return base.isPresent() ? fromRule(incident, base.get(), sourceFile) : fromEntities(incident, sourceFile);
    }

    /** The catalog rule behind the incident's highest-scoring rule finding (ties: the smaller rule id). */
    private Optional<Rule> baseRule(IncidentCase incident) {
        return incident.findings().stream()
                .filter(f -> RuleExecutor.DETECTOR.equals(f.detector()) && catalog.containsKey(f.detectorId()))
                .sorted(Comparator.comparingDouble(IncidentCase.Finding::score).reversed()
                        .thenComparing(IncidentCase.Finding::detectorId))
                .map(f -> catalog.get(f.detectorId()))
                .findFirst();
    }

    private Rule fromRule(IncidentCase incident, Rule base, String sourceFile) {
        ThresholdSpec t = base.threshold();
        List<IncidentCase.Finding> seen = incident.findings().stream()
                .filter(f -> RuleExecutor.DETECTOR.equals(f.detector()) && f.detectorId().equals(base.id())).toList();
        List<String> notes = new ArrayList<>();
        // An all: of the rule's tests and the scope, flat when the rule's condition is an all: itself.
        List<Condition> parts = new ArrayList<>(base.condition() instanceof Condition.All all ? all.parts()
                : List.of(base.condition()));
        for (String column : RULE_SCOPE) {
            boolean counted = t.groupBy().contains(FieldRef.column(column))
                    || FieldRef.column(column).equals(t.measureField());
            TreeSet<String> values = new TreeSet<>();
            seen.forEach(f -> Optional.ofNullable(f.entities().get(column)).ifPresent(values::add));
            if (!counted && !values.isEmpty() && values.size() <= MAX_SCOPE_VALUES) {
                parts.add(in(column, values));
                notes.add(column + " " + String.join(", ", values));
            }
        }
        ThresholdSpec threshold = t;
        String lowered = "";
        double observed = seen.stream().map(IncidentCase.Finding::observed).filter(o -> o != null)
                .mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        if (!t.implicit() && !Double.isNaN(observed)) {
            double half = Math.floor(observed / 2);
            double limit = Math.min(t.limit(), t.strict() ? half : Math.max(1, half));
            threshold = new ThresholdSpec(t.groupBy(), t.requireKeys(), t.measure(), t.measureField(), t.strict(),
                    limit, t.window(), t.countWhere(), t.followedBy(), t.followedByLabel(), t.counting(), false);
            lowered = limit < t.limit()
                    ? " The threshold is " + threshold.limitWords() + " (half of the " + number(observed)
                    + " observed) instead of " + t.limitWords() + "."
                    : " The threshold stays " + t.limitWords() + " (half of the " + number(observed)
                    + " observed would be higher).";
        }
        String scope = notes.isEmpty() ? "" : ", narrowed to " + String.join("; ", notes);
        String description = "Drafted from incident " + incident.incidentId() + " (" + incident.title() + ", "
                + incident.createdDate() + "): rule " + base.id() + " (" + base.title() + ")" + scope + "."
                + lowered + " " + base.description();
        return new Rule(ID_PREFIX + incident.incidentId(), base.title() + " (drafted from " + incident.incidentId()
                + ")", description, base.severity(), RuleStatus.EXPERIMENTAL, base.mitre(), base.services(),
                new Condition.All(parts), threshold, base.suppression(), base.nextSteps(), RuleFormat.NIGHTSHIFT,
                sourceFile, 1);
    }

    private Rule fromEntities(IncidentCase incident, String sourceFile) {
        Map<String, TreeSet<String>> byField = new LinkedHashMap<>();
        INDICATOR_FIELDS.values().forEach(field -> byField.put(field, new TreeSet<>()));
        for (IncidentCase.Indicator i : incident.indicators()) {
            String field = INDICATOR_FIELDS.get(i.type());
            if (field == null) {
                continue;
            }
            String value = field.equals("message") ? incident.templates().get(i.value()) : i.value();
            if (value != null) {
                byField.get(field).add(field.equals("message") ? TemplateRegex.of(value) : value);
            }
        }
        byField.values().removeIf(v -> v.isEmpty() || v.size() > MAX_SCOPE_VALUES);
        boolean specific = byField.containsKey("message") || byField.containsKey("src_ip")
                || byField.containsKey("user");
        if (!specific) {
            throw NightshiftException.badInput("incident " + incident.incidentId() + " has nothing a rule can match:"
                    + " none of its findings comes from a rule in the catalog, and it names no log template, source"
                    + " address or user (at most " + MAX_SCOPE_VALUES + " of each); a rule on "
                    + (byField.isEmpty() ? "nothing" : String.join(", ", byField.keySet()))
                    + " alone would match all their traffic");
        }
        List<Condition> parts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        byField.forEach((field, values) -> {
            if (field.equals("message")) {
                parts.add(Condition.Match.of(FieldRef.column("message"), Operator.REGEX, List.copyOf(values), false));
                notes.add(values.size() + (values.size() == 1 ? " log template" : " log templates"));
            } else {
                parts.add(in(field, values));
                notes.add(field + " " + String.join(", ", values));
            }
        });
        IncidentCase.Finding strongest = incident.findings().stream()
                .max(Comparator.comparingDouble(IncidentCase.Finding::score)).orElse(null);
        String detectors = String.join(", ", new TreeSet<>(incident.findings().stream()
                .map(f -> f.detector() + " " + f.detectorId()).toList()));
        String description = "Drafted from incident " + incident.incidentId() + " (" + incident.title() + ", "
                + incident.createdDate() + "), found by " + (detectors.isEmpty() ? "no recorded finding" : detectors)
                + ": every log row with " + String.join("; ", notes) + ".";
        return new Rule(ID_PREFIX + incident.incidentId(), "Lessons from " + incident.incidentId() + ": "
                + shorten(incident.title()), description, severityOf(strongest), RuleStatus.EXPERIMENTAL,
                mitreOf(strongest), List.of(), new Condition.All(parts), ThresholdSpec.implicit("matching rows"),
                new SuppressionSpec(Map.of(), RuleDurations.parse("1 hour")), List.of(), RuleFormat.NIGHTSHIFT,
                sourceFile, 1);
    }

    private static Condition in(String column, java.util.Collection<String> values) {
        return Condition.Match.of(FieldRef.column(column), Operator.IN, List.copyOf(values), false);
    }

    /** The severity whose base score the strongest finding reached (low when there is none). */
    private static Severity severityOf(IncidentCase.Finding strongest) {
        Severity s = Severity.LOW;
        for (Severity candidate : Severity.values()) {
            if (strongest != null && strongest.score() >= candidate.baseScore()) {
                s = candidate;
            }
        }
        return s;
    }

    /**
     * The strongest finding's classification when it has one; otherwise Impact (TA0040), the tactic of the
     * operational harm trend and cluster findings describe. A reviewer is expected to refine it.
     */
    private static Mitre mitreOf(IncidentCase.Finding strongest) {
        if (strongest == null || strongest.mitreTactic() == null || !Mitre.TACTIC.matcher(strongest.mitreTactic()).matches()) {
            return new Mitre("TA0040 Impact", null);
        }
        String technique = strongest.mitreTechnique();
        return new Mitre(strongest.mitreTactic(),
                technique != null && Mitre.TECHNIQUE.matcher(technique).matches() ? technique : null);
    }

    private static String shorten(String title) {
        return title == null ? "" : title.length() <= 100 ? title : title.substring(0, 97) + "...";
    }

    private static String number(double v) {
        return new BigDecimal(v).stripTrailingZeros().toPlainString();
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
