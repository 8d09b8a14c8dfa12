package io.nightshift.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import io.nightshift.jobs.base.SparkSessions;
import io.nightshift.lakegen.DayPlan;
import io.nightshift.lakegen.DayRowGenerator;
import io.nightshift.lakegen.GeneratorSpec;
import io.nightshift.lakegen.LakeSchema;
import io.nightshift.models.templates.TemplateMiner;
import io.nightshift.models.templates.TemplateMinerModel;

/**
 * Template fit and assignment throughput on their own (a process of its own, started by {@code scripts/bench}): one
 * generated day's messages, cached in memory, are fitted by a default {@link TemplateMiner} and then assigned by its
 * model with Spark's {@code noop} sink, which computes every row and writes nothing. Both count every message they
 * read, so rows per second are comparable with the nightly run's; a first fit and assignment on a tenth of the
 * messages warms the JIT and is not counted. The load average before and after says what else ran on the machine,
 * and the process CPU time per line what a line costs regardless.
 *
 * <p>Prints one line: {@value #PREFIX} {@code fit: N lines/s, assignment: N lines/s (...)}.
 */
final class TemplateThroughput {
    static final String PREFIX = "template";

    /** What one measurement found. */
    record Measured(long messages, double fitSeconds, double assignSeconds, double fitCpuSeconds,
                    double assignCpuSeconds, int templates, int cores, String loadBefore, String loadAfter) {
        String line() {
            return String.format(Locale.ROOT, "%s fit: %,.0f lines/s, assignment: %,.0f lines/s (%,d generated"
                            + " messages, %d templates, %d cores; fit %.1f s, assignment %.1f s; process CPU per line:"
                            + " fit %.2f us, assignment %.2f us; load average %s before, %s after)", PREFIX,
                    messages / fitSeconds, messages / assignSeconds, messages, templates, cores, fitSeconds,
                    assignSeconds, 1e6 * fitCpuSeconds / messages, 1e6 * assignCpuSeconds / messages, loadBefore,
                    loadAfter);
        }
    }

    private TemplateThroughput() {
    }

    /** {@code TemplateThroughput [MESSAGES]}: times fit and assignment over about MESSAGES generated messages. */
    public static void main(String[] args) throws java.io.IOException {
        long messages = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000L;
        try (SparkSession spark = SparkSessions.create("nightshift-bench-templates", Map.of())) {
            System.out.println(measure(spark, messages).line());
        }
    }

    static Measured measure(SparkSession spark, long messages) {
        int cores = spark.sparkContext().defaultParallelism();
        run(spark, generatedMessages(spark, messages / 10, cores));
        Dataset<Row> logs = generatedMessages(spark, messages, cores);
        return run(spark, logs);
    }

    private static Measured run(SparkSession spark, Dataset<Row> logs) {
        long count = logs.count();
        String loadBefore = MachineDescription.loadAverage();
        long start = System.nanoTime();
        long cpu = processCpuNanos();
        TemplateMinerModel model = new TemplateMiner().fit(logs);
        double fitSeconds = (System.nanoTime() - start) / 1e9;
        double fitCpuSeconds = (processCpuNanos() - cpu) / 1e9;
        start = System.nanoTime();
        cpu = processCpuNanos();
        model.transform(logs).write().format("noop").mode("overwrite").save();
        double assignSeconds = (System.nanoTime() - start) / 1e9;
        double assignCpuSeconds = (processCpuNanos() - cpu) / 1e9;
        logs.unpersist();
        return new Measured(count, fitSeconds, assignSeconds, fitCpuSeconds, assignCpuSeconds,
                model.templateList().size(), spark.sparkContext().defaultParallelism(), loadBefore,
                MachineDescription.loadAverage());
    }

    /**
     * CPU time this JVM has used, all threads: beside the wall time, what a line costs however busy the shared
     * machine is (the Spark driver and executors share this process in local mode).
     */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * The messages of one ordinary generated day of about {@code messages} rows (no incident scenarios; the day's
     * seasonality decides the exact count), one partition per core, cached: the generator's cost is not measured.
     */
    private static Dataset<Row> generatedMessages(SparkSession spark, long messages, int cores) {
        GeneratorSpec spec = new GeneratorSpec(7L, Benchmark.START, 1, messages, Path.of("unused"), false, cores);
        DayPlan day = DayPlan.of(spec, Benchmark.START, List.of());
        Dataset<Row> logs = spark.range(0, day.totalRows(), 1, cores)
                .flatMap(new DayRowGenerator(day), Encoders.row(LakeSchema.STRUCT))
                .select("message").cache();
        logs.count();
        return logs;
    }
}
