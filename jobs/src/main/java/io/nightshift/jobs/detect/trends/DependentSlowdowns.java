package io.nightshift.jobs.detect.trends;

import static org.apache.spark.sql.functions.col;

import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import io.nightshift.jobs.aggregate.Joins;

/**
 * When several services slow down in the same hours, the one that started first is the likely origin (a slow
 * database makes its callers slow an hour later, not the other way round). Their latency findings become one finding
 * that names the origin and lists the others as affected, instead of N unrelated findings. Works on the night's few
 * latency findings, on the driver.
 */
final class DependentSlowdowns {
    static final String LATENCY = "latency_p95";
    static final String DETECTOR_ID = "dependent_slowdown";
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private DependentSlowdowns() {
    }

    /** The trend findings with every group of two or more slowed services replaced by one finding. */
    static Dataset<Row> group(Dataset<Row> findings) {
        Dataset<Row> latency = findings.where(col("detector_id").startsWith(LATENCY));
        List<Row> rows = latency.collectAsList();
        List<List<Row>> groups = overlapping(rows);
        List<Row> merged = new ArrayList<>();
        List<Row> grouped = new ArrayList<>();
        for (List<Row> g : groups) {
            if (g.stream().map(r -> r.<String>getAs("service")).distinct().count() >= 2) {
                merged.add(merge(g, findings.schema()));
                grouped.addAll(g);
            }
        }
        if (merged.isEmpty()) {
            return findings;
        }
        SparkSession spark = findings.sparkSession();
        Dataset<Row> drop = spark.createDataFrame(grouped, findings.schema()).select("detector_id", "service",
                "region", "datacenter", "first_seen");
        Dataset<Row> kept = Joins.nullSafe(findings, drop, List.of("detector_id", "service", "region", "datacenter",
                "first_seen"), "left_anti");
        return kept.unionByName(spark.createDataFrame(merged, findings.schema()));
    }

    /** Findings chained by overlapping hours within one region (a production-wide finding joins any region). */
    static List<List<Row>> overlapping(List<Row> rows) {
        Map<String, List<Row>> byRegion = new LinkedHashMap<>();
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing((Row r) -> r.<Timestamp>getAs("first_seen"))
                .thenComparing(r -> -r.<Double>getAs("z")));
        for (Row r : sorted) {
            byRegion.computeIfAbsent(Objects.toString(r.getAs("region"), "*"), k -> new ArrayList<>()).add(r);
        }
        List<Row> everywhere = byRegion.getOrDefault("*", List.of());
        List<List<Row>> groups = new ArrayList<>();
        for (var e : byRegion.entrySet()) {
            if (e.getKey().equals("*") && byRegion.size() > 1) {
                continue;
            }
            List<Row> candidates = new ArrayList<>(e.getValue());
            if (!e.getKey().equals("*")) {
                candidates.addAll(everywhere);
                candidates.sort(Comparator.comparing((Row r) -> r.<Timestamp>getAs("first_seen"))
                        .thenComparing(r -> -r.<Double>getAs("z")));
            }
            List<Row> current = new ArrayList<>();
            Timestamp end = null;
            for (Row r : candidates) {
                if (end != null && !r.<Timestamp>getAs("first_seen").before(end)) {
                    groups.add(current);
                    current = new ArrayList<>();
                    end = null;
                }
                current.add(r);
                Timestamp last = r.getAs("last_seen");
                end = end == null || last.after(end) ? last : end;
            }
            if (!current.isEmpty()) {
                groups.add(current);
            }
        }
        return groups;
    }

    private static Row merge(List<Row> group, StructType schema) {
        Row origin = group.get(0);
        Map<String, Row> perService = new LinkedHashMap<>();
        group.forEach(r -> perService.putIfAbsent(r.getAs("service"), r));
        Timestamp first = origin.getAs("first_seen");
        Timestamp last = group.stream().map(r -> r.<Timestamp>getAs("last_seen")).max(Timestamp::compareTo)
                .orElseThrow();
        List<String> parts = new ArrayList<>();
        for (Row r : perService.values()) {
            parts.add(String.format(Locale.ROOT, "%s in %s from %s (p95 %,.0f ms, expected %,.0f ms)",
                    r.<String>getAs("service"), where(r), HHMM.format(r.<Timestamp>getAs("first_seen").toInstant()),
                    r.<Double>getAs("observed"), r.<Double>getAs("expected")));
        }
        List<String> affected = perService.keySet().stream().skip(1).toList();
        String originService = origin.getAs("service");
        String description = String.format(Locale.ROOT, "p95 latency rose in %d services between %s and %s: %s. "
                        + "%s slowed first and is the likely origin; %s slowed after it",
                perService.size(), HHMM.format(first.toInstant()), HHMM.format(last.toInstant()),
                String.join("; ", parts), originService, String.join(", ", affected));
        Map<String, String> metadata = new HashMap<>();
        metadata.put("check", DETECTOR_ID);
        metadata.put("origin_service", originService);
        metadata.put("affected_services", String.join(",", affected));
        metadata.put("findings_merged", Integer.toString(group.size()));
        double z = group.stream().mapToDouble(r -> r.<Double>getAs("z")).max().orElse(0);
        Object[] values = new Object[schema.size()];
        for (int i = 0; i < values.length; i++) {
            String f = schema.fields()[i].name();
            values[i] = switch (f) {
                case "detector_id" -> DETECTOR_ID;
                case "title" -> "Dependent slowdown: " + originService + " and " + affected.size() + " more";
                case "description" -> description;
                case "first_seen" -> first;
                case "last_seen" -> last;
                case "z" -> z;
                case "metadata" -> scala.jdk.javaapi.CollectionConverters.asScala(metadata);
                default -> origin.get(origin.fieldIndex(f));
            };
        }
        return RowFactory.create(values);
    }

    private static String where(Row r) {
        String region = r.getAs("region");
        String dc = r.getAs("datacenter");
        return region == null ? "several regions" : dc == null ? region : region + " datacenter " + dc;
    }
}
