package io.nightshift.jobs.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.base.Severity;

/**
 * The {@code escalation:} section: who is involved in an incident beyond its owner team. Each rule adds its teams
 * when all of its conditions hold; {@code owner} and {@code secondary} in a team list stand for the incident's owner
 * team and the other services' owners.
 *
 * @param rules evaluated in order; every matching rule adds its teams (a team is listed once, with every reason)
 */
public record EscalationConfig(List<Rule> rules) {
    /** Placeholder team names resolved per incident. */
    public static final String OWNER = "owner";
    public static final String SECONDARY = "secondary";

    /**
     * One policy rule; an absent condition always holds.
     *
     * @param name        shown in the incident's escalation reasons
     * @param minSeverity the incident's severity is at least this
     * @param regulated   true: an affected tenant is subject to a regulation (tenant directory)
     * @param industries  an affected tenant is in one of these industries
     * @param services    a service in scope is one of these
     * @param teams       who to involve
     */
    public record Rule(String name, Severity minSeverity, Boolean regulated, List<String> industries,
                       List<String> services, List<String> teams) {
        public Rule {
            industries = industries == null ? List.of() : List.copyOf(industries);
            services = services == null ? List.of() : List.copyOf(services);
            teams = List.copyOf(teams);
        }
    }

    /** The section as YAML gives it. */
    public record Raw(List<RawRule> rules) {
    }

    /** A rule as YAML gives it. */
    public record RawRule(String name, String minSeverity, Boolean regulated, List<String> industries,
                          List<String> services, List<String> teams) {
    }

    public EscalationConfig {
        rules = List.copyOf(rules);
    }

    /**
     * The default policy: the owner always; high and critical incidents also page the security response team;
     * incidents touching regulated tenants also bring in legal/compliance and customer communications.
     */
    public static EscalationConfig defaults() {
        return new EscalationConfig(List.of(
                new Rule("owner", null, null, null, null, List.of(OWNER)),
                new Rule("high-severity", Severity.HIGH, null, null, null,
                        List.of("security-response", OWNER)),
                new Rule("regulated-tenants", null, true, null, null,
                        List.of("legal-compliance", "customer-communications"))));
    }

    public static EscalationConfig resolve(Raw raw, String origin) {
        if (raw == null || raw.rules() == null) {
            return defaults();
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < raw.rules().size(); i++) {
            RawRule r = raw.rules().get(i);
            String where = origin + ": escalation.rules[" + i + "]";
            if (r == null || r.name() == null || r.name().isBlank() || !names.add(r.name())) {
                throw NightshiftException.badConfig(where + ": name must be present and unique");
            }
            if (r.teams() == null || r.teams().isEmpty() || r.teams().stream().anyMatch(t -> t == null || t.isBlank())) {
                throw NightshiftException.badConfig(where + " (" + r.name() + "): teams must list at least one team "
                        + "(or '" + OWNER + "', '" + SECONDARY + "')");
            }
            Severity min = null;
            if (r.minSeverity() != null) {
                min = Severity.parse(r.minSeverity());
                if (min == null) {
                    throw NightshiftException.badConfig(where + " (" + r.name() + "): min_severity '" + r.minSeverity()
                            + "' is not one of " + Severity.words());
                }
            }
            rules.add(new Rule(r.name(), min, r.regulated(), r.industries(), r.services(), r.teams()));
        }
        return new EscalationConfig(rules);
    }
}
