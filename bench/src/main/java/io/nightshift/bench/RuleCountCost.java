package io.nightshift.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.split;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import io.nightshift.jobs.base.SparkSessions;
import io.nightshift.jobs.config.RulesConfig;
import io.nightshift.jobs.detect.rules.RuleCatalog;
import io.nightshift.jobs.detect.rules.RuleStage;
import io.nightshift.jobs.detect.rules.load.RuleLoader;
import io.nightshift.lakegen.DayPlan;
import io.nightshift.lakegen.DayRowGenerator;
import io.nightshift.lakegen.GeneratorSpec;
import io.nightshift.lakegen.LakeSchema;
import io.nightshift.jobs.schema.CanonicalSchema;

/**
 * What the rules stage costs per rule (a process of its own, started by {@code scripts/bench}): the benchmark's
 * measured night (seed 7, its injected scenarios, about a million rows, generated in memory and cached, so neither
 * the generator nor Parquet is measured) goes through {@link RuleStage#compute} once with the starter pack
 * ({@code rules/}) and once with thousands of generated rules of the shapes a real catalog holds: thresholds grouped
 * by entities, distinct counts, sums, follow-ups, keyword and pattern searches over the message and attributes,
 * rules limited to a service. The rules are written as YAML files and loaded the way {@code run} loads a folder.
 * A first pass of the starter pack warms the JIT and is not counted.
 *
 * <p>Prints one line per catalog, {@value #PREFIX} {@code N rules: S s, X ms per rule (...)}, and a last one with
 * the ratio of the large catalog's time to the pack's (issue 34's target: at most 2).
 */
final class RuleCountCost {
    static final String PREFIX = "rule-count";

    private RuleCountCost() {
    }

    /** {@code RuleCountCost [ROWS [RULES]]}: the rules stage over about ROWS rows with the pack and with RULES rules. */
    public static void main(String[] args) throws IOException {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        int generated = args.length > 1 ? Integer.parseInt(args[1]) : 3_000;
        Path home = Path.of(System.getProperty("nightshift.home", ".")).toAbsolutePath();
        try (SparkSession spark = SparkSessions.create("nightshift-bench-rule-count", Map.of())) {
            Dataset<Row> day = benchDay(spark, rows);
            long dayRows = day.count();
            RuleCatalog pack = RuleLoader.fromConfig(RulesConfig.defaults(home)).load(home.resolve("rules"));
            measure(pack, day);
            double packSeconds = report(pack, day, dayRows);
            Path dir = Files.createTempDirectory("nightshift-rule-count");
            RuleCatalog many = RuleLoader.fromConfig(RulesConfig.defaults(dir)).load(writeRules(day, generated, dir));
            double manySeconds = report(many, day, dayRows);
            System.out.printf(Locale.ROOT, "%s %d rules cost %.2f× what %d rules cost (target: at most 2×)%n",
                    PREFIX, many.rules().size(), manySeconds / packSeconds, pack.rules().size());
            day.unpersist();
        }
    }

    /** What the stage took for {@code catalog}, wall seconds; prints the line. */
    private static double report(RuleCatalog catalog, Dataset<Row> day, long dayRows) {
        if (!catalog.valid() || catalog.rules().isEmpty()) {
            throw new IllegalStateException("the benchmark's rules do not load: " + catalog.errors());
        }
        String loadBefore = MachineDescription.loadAverage();
        long start = System.nanoTime();
        Measured m = measure(catalog, day);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%s %d rules: %.1f s, %.1f ms per rule (%,d rows, %,d matched by some rule, %,d"
                        + " findings; load average %s before, %s after)%n", PREFIX, catalog.rules().size(), seconds,
                1000 * seconds / catalog.rules().size(), dayRows, m.matched(), m.findings(), loadBefore,
                MachineDescription.loadAverage());
        return seconds;
    }

    private record Measured(long matched, long findings) {
    }

    private static Measured measure(RuleCatalog catalog, Dataset<Row> day) {
        RuleStage.Computed c = new RuleStage(catalog, RulesConfig.DEFAULT_MAX_EVIDENCE_ROWS).compute(day);
        long findings = c.findings().count();
        c.findings().unpersist();
        return new Measured(c.matchedRows(), findings);
    }

    /** The benchmark's measured night ({@code Benchmark.START} + history + 1, seed 7, scenarios), canonical, cached. */
    private static Dataset<Row> benchDay(SparkSession spark, long rows) {
        int cores = spark.sparkContext().defaultParallelism();
        int historyDays = 7;
        GeneratorSpec spec = new GeneratorSpec(7L, Benchmark.START, historyDays + 2, rows, Path.of("unused"), true,
                cores);
        LocalDate night = Benchmark.START.plusDays(historyDays + 1);
        DayPlan plan = DayPlan.of(spec, night, spec.plannedScenarios());
        List<Column> canonical = new ArrayList<>();
        for (String c : CanonicalSchema.COLUMNS.keySet()) {
            canonical.add(col("`" + c + "`"));
        }
        canonical.add(0, col("event_id").as(CanonicalSchema.ROW_ID));
        Dataset<Row> day = spark.range(0, plan.totalRows(), 1, cores)
                .flatMap(new DayRowGenerator(plan), Encoders.row(LakeSchema.STRUCT))
                .select(canonical.toArray(Column[]::new)).cache();
        day.count();
        return day;
    }

    /**
     * Writes {@code n} rules into {@code dir}, cycling through eight shapes and through the day's own values (its
     * actions, outcomes, services and message words), so that rules select real rows and differ from each other.
     */
    static Path writeRules(Dataset<Row> day, int n, Path dir) throws IOException {
        List<String> actions = values(day.select(col("action")).where(col("action").isNotNull()).distinct());
        List<String> services = values(day.select(col("service")).distinct());
        List<String> words = values(day.select(explode(split(lower(col("message")), "[^a-z0-9_]+")).as("w"))
                .where(length(col("w")).geq(4)).distinct().orderBy("w").limit(400));
        for (int i = 0; i < n; i++) {
            String action = actions.get(i % actions.size());
            String service = services.get((i / 8) % services.size());
            String word = words.get((i * 7) % words.size());
            String body = switch (i % 8) {
                case 0 -> "condition: {field: action, equals: " + action + "}\ngroup_by: [tenant_id, user]\n"
                        + "window: 10 minutes\nthreshold: {more_than: " + (5 + i % 40) + "}\n";
                case 1 -> "condition:\n  all:\n    - {field: action, equals: " + action + "}\n"
                        + "    - {field: outcome, equals: failure}\ngroup_by: [src_ip]\nwindow: 1 hour\n"
                        + "threshold: {distinct: user, more_than: " + (3 + i % 10) + "}\n";
                case 2 -> "condition: {field: action, equals: " + action + "}\ngroup_by: [user]\nwindow: 1 hour\n"
                        + "threshold: {sum: bytes_out, more_than: " + (1_000_000L * (1 + i % 50)) + "}\n";
                case 3 -> "condition: {field: message, contains: '" + word + "'}\n";
                case 4 -> "logsource: {services: [" + service + "]}\ncondition: {field: status_code, gte: "
                        + (400 + i % 100) + "}\ngroup_by: [host]\nwindow: 30 minutes\nthreshold: {more_than: "
                        + (10 + i % 30) + "}\n";
                case 5 -> "condition: {field: message, regex: '(?i)" + word + "\\s+\\w+'}\n";
                case 6 -> "condition: {field: action, in: [login]}\ngroup_by: [src_ip]\nwindow: 30 minutes\n"
                        + "threshold: {where: {field: outcome, equals: failure}, more_than: " + (5 + i % 20) + "}\n"
                        + "followed_by: {where: {field: outcome, equals: success}}\n";
                default -> "condition:\n  any:\n    - {field: attributes.user_agent, contains: '" + word + "'}\n"
                        + "    - {field: attributes.url, startswith: '/" + word + "'}\n";
            };
            Files.writeString(dir.resolve(String.format(Locale.ROOT, "gen-%05d.yml", i)), "id: GEN-" + i
                    + "\ntitle: Generated rule " + i + "\ndescription: A generated rule of shape " + (i % 8)
                    + "\nseverity: low\nstatus: experimental\nmitre: {tactic: TA0007 Discovery}\n" + body
                    + "next_steps: [Look at the rows]\n");
        }
        return dir;
    }

    private static List<String> values(Dataset<Row> oneColumn) {
        return oneColumn.as(Encoders.STRING()).collectAsList().stream().sorted().toList();
    }
}
