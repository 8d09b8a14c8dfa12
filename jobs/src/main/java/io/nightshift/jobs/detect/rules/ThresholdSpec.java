package io.nightshift.jobs.detect.rules;

import java.time.Duration;
import java.util.List;

/**
 * How a rule's matching rows become hits: they are grouped by {@code groupBy} in windows of {@code window}, a
 * measure is computed per group (count of rows, count of distinct values of a field, or sum of a numeric field,
 * over the rows that also pass {@code countWhere} when set), and groups whose measure passes the limit are hits.
 * {@code followedBy}, when set, additionally requires a row matching it later in the same window than the first
 * counted row ("a successful login after the failures").
 *
 * <p>A rule without a {@code threshold} gets the {@link #implicit} spec: every matching row is a hit, grouped per
 * entity (tenant, user, source IP, host; nulls are a group of their own) per hour, so a noisy event becomes one
 * finding per entity instead of thousands.
 *
 * @param groupBy     the entity fields a hit is about; with {@code requireKeys}, rows missing one are not counted
 * @param measure     what is measured per group
 * @param measureField the field for {@code DISTINCT} and {@code SUM}; null for {@code COUNT}
 * @param strict      true: measure must be greater than {@code limit} ("more_than"); false: at least
 * @param limit       the threshold value
 * @param window      window length; groups are evaluated on windows sliding by half of it, so a burst across a
 *                    boundary of a tumbling window is still seen whole
 * @param countWhere  extra condition for rows that count toward the measure (null: all matching rows)
 * @param followedBy  condition a later row in the same window must meet (null: none)
 * @param followedByLabel words for {@code followedBy} in descriptions ("a successful login")
 * @param counting    words for what is counted, used in descriptions ("failed logins"); null for a default
 * @param implicit    true when the rule declared no threshold
 */
public record ThresholdSpec(List<FieldRef> groupBy, boolean requireKeys, Measure measure, FieldRef measureField,
                            boolean strict, double limit, Duration window, Condition countWhere,
                            Condition followedBy, String followedByLabel, String counting, boolean implicit) {
    public enum Measure { COUNT, DISTINCT, SUM }

    public static final Duration IMPLICIT_WINDOW = Duration.ofHours(1);
    public static final Duration MAX_WINDOW = Duration.ofDays(1);
    public static final Duration MIN_WINDOW = Duration.ofSeconds(2);
    public static final List<FieldRef> ENTITY_GROUPING = List.of(
            FieldRef.column("tenant_id"), FieldRef.column("user"), FieldRef.column("src_ip"), FieldRef.column("host"));

    public ThresholdSpec {
        groupBy = List.copyOf(groupBy);
    }

    /** Every matching row is a hit, one finding per entity per hour (see the class comment). */
    public static ThresholdSpec implicit(String counting) {
        return new ThresholdSpec(ENTITY_GROUPING, false, Measure.COUNT, null, false, 1, IMPLICIT_WINDOW, null, null,
                null, counting, true);
    }

    /** "more than 20", "at least 3". */
    public String limitWords() {
        return (strict ? "more than " : "at least ") + formatNumber(limit);
    }

    static String formatNumber(double v) {
        return v == Math.rint(v) ? String.format(java.util.Locale.ROOT, "%,d", (long) v)
                : String.format(java.util.Locale.ROOT, "%,.2f", v);
    }

    /** The measure as a listing shows it: "count", "distinct user", "sum of bytes_out". */
    public String measureWords() {
        return switch (measure) {
            case COUNT -> "count";
            case DISTINCT -> "distinct " + measureField;
            case SUM -> "sum of " + measureField;
        };
    }
}
