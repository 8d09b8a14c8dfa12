package io.nightshift.models.templates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Grouping accuracy ({@link GroupingAccuracy}) of the template miner at one setting for every system, on each folder
 * of a loghub-style directory that holds {@code <S>/<S>_2k.log_structured.csv} (and, when present, the corrected
 * ground truth of Khan et al., ICSE'22, {@code <S>/corrected/<S>_2k.log_structured_corrected.csv}).
 *
 * <p>Per system: the miner is fitted on the file's {@code Content} column and assigns every line through
 * {@link TemplateMinerModel#transform}, once per ground truth (a few corrected files also fix the content). Beside it,
 * the published grouping accuracy of Drain on that system, reached with settings tuned per system. The lines/s column
 * times the same work without Spark, on one thread: masking, learning and assigning every line, best of three runs.
 *
 * <p>Usage: {@code LoghubEvaluation [--settings key=value,...] [--loghub DIR | DIR]}; DIR defaults to
 * {@value #DEFAULT_LOGHUB}; {@link EvaluationSettings} lists the keys. Exits with status 2 and a message when DIR
 * holds no system or a setting is wrong. The loghub files are read in place and never copied.
 */
public final class LoghubEvaluation {

    static final String DEFAULT_LOGHUB = "/work/shared/loghub";

    /** Published Drain grouping accuracy, tuned per system (Zhu et al., ICSE-SEIP 2019; logpai/logparser). */
    static final Map<String, Double> DRAIN_TUNED = Map.ofEntries(
            Map.entry("HDFS", 0.998), Map.entry("Apache", 1.000), Map.entry("Hadoop", 0.948),
            Map.entry("Spark", 0.920), Map.entry("Windows", 0.997), Map.entry("Zookeeper", 0.967),
            Map.entry("OpenStack", 0.733), Map.entry("HPC", 0.887), Map.entry("Mac", 0.787),
            Map.entry("Android", 0.911), Map.entry("HealthApp", 0.780), Map.entry("Proxifier", 0.527),
            Map.entry("BGL", 0.963), Map.entry("Linux", 0.690), Map.entry("OpenSSH", 0.788),
            Map.entry("Thunderbird", 0.955));

    /** The targets of issue #33 at default settings. */
    static final double TARGET_MEAN = 0.95;
    static final double TARGET_MIN = 0.85;

    private static final StructType INPUT_SCHEMA = new StructType()
            .add("line_id", DataTypes.IntegerType, false)
            .add("message", DataTypes.StringType, true);

    /**
     * One system's outcome.
     *
     * @param accuracy  on the corrected ground truth when the system has one, else on the original
     * @param original  on the original ground truth
     * @param templates learned from the file {@code accuracy} is measured on
     */
    record Result(String system, double accuracy, double original, boolean corrected, int templates,
                  double linesPerSecond) {
    }

    private LoghubEvaluation() {
    }

    public static void main(String[] args) {
        Path loghub = Paths.get(DEFAULT_LOGHUB);
        EvaluationSettings settings = EvaluationSettings.defaults();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--loghub" -> loghub = Paths.get(valueOf(args, ++i, "--loghub needs a directory"));
                    case "--settings" -> settings = EvaluationSettings.parse(valueOf(args, ++i,
                            "--settings needs key=value,... (keys: " + EvaluationSettings.KEYS + ")"));
                    default -> {
                        if (args[i].startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + args[i] + "; usage: "
                                    + "evaluate-templates [--settings key=value,...] [--loghub DIR | DIR]");
                        }
                        loghub = Paths.get(args[i]);
                    }
                }
            }
            if (systems(loghub).isEmpty()) {
                throw new IllegalArgumentException("no system folder in " + loghub + ": each must hold"
                        + " <S>/<S>_2k.log_structured.csv (the loghub 2k samples); pass their parent directory.");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("evaluate-templates: " + e.getMessage());
            System.exit(2);
        }
        SparkSession spark = SparkSession.builder()
                .appName("nightshift-loghub-evaluation")
                .master(System.getProperty("spark.master", "local[2]"))
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            print(evaluate(spark, loghub, settings), settings);
        } finally {
            spark.stop();
        }
    }

    private static String valueOf(String[] args, int i, String missing) {
        if (i >= args.length) {
            throw new IllegalArgumentException(missing);
        }
        return args[i];
    }

    /** The system folders under {@code loghub}, by name: those holding {@code <S>_2k.log_structured.csv}. */
    static List<String> systems(Path loghub) {
        if (!Files.isDirectory(loghub)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(loghub)) {
            return children.filter(p -> Files.isRegularFile(structured(loghub, p.getFileName().toString())))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + loghub, e);
        }
    }

    /**
     * Every system under {@code loghub}, in name order. The lines/s are timed after every system has been scored and
     * run once more without Spark, so that the first system is not timed while the JIT is still compiling.
     */
    static List<Result> evaluate(SparkSession spark, Path loghub, EvaluationSettings settings) {
        List<Scored> scored = new ArrayList<>();
        for (String system : systems(loghub)) {
            try {
                scored.add(score(spark, loghub, system, settings));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the loghub files of " + system + " in " + loghub, e);
            }
        }
        scored.forEach(s -> fitAndAssignWithoutSpark(settings.miner(), s.messages()));
        return scored.stream().map(s -> new Result(s.system(), s.accuracy(), s.original(), s.corrected(),
                s.templates(), linesPerSecond(settings, s.messages()))).toList();
    }

    /** One system's accuracy, before timing; {@code messages} are those of the file {@code accuracy} is measured on. */
    private record Scored(String system, double accuracy, double original, boolean corrected, int templates,
                          List<String> messages) {
    }

    private static Scored score(SparkSession spark, Path loghub, String system, EvaluationSettings settings)
            throws IOException {
        Path correctedFile = loghub.resolve(system).resolve("corrected")
                .resolve(system + "_2k.log_structured_corrected.csv");
        List<StructuredLogCsv.LabelledLine> original = StructuredLogCsv.read(structured(loghub, system));
        Accuracy onOriginal = accuracy(spark, settings, original);
        if (!Files.isRegularFile(correctedFile)) {
            return new Scored(system, onOriginal.accuracy(), onOriginal.accuracy(), false, onOriginal.templates(),
                    contents(original));
        }
        List<StructuredLogCsv.LabelledLine> corrected = StructuredLogCsv.read(correctedFile);
        Accuracy onCorrected = accuracy(spark, settings, corrected);
        return new Scored(system, onCorrected.accuracy(), onOriginal.accuracy(), true, onCorrected.templates(),
                contents(corrected));
    }

    private static List<String> contents(List<StructuredLogCsv.LabelledLine> lines) {
        return lines.stream().map(StructuredLogCsv.LabelledLine::content).toList();
    }

    private static Path structured(Path loghub, String system) {
        return loghub.resolve(system).resolve(system + "_2k.log_structured.csv");
    }

    private record Accuracy(double accuracy, int templates) {
    }

    private static Accuracy accuracy(SparkSession spark, EvaluationSettings settings,
                                     List<StructuredLogCsv.LabelledLine> lines) {
        List<Row> rows = new ArrayList<>(lines.size());
        List<String> truth = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            rows.add(RowFactory.create(i, lines.get(i).content()));
            truth.add(lines.get(i).eventId());
        }
        Dataset<Row> input = spark.createDataFrame(rows, INPUT_SCHEMA);
        TemplateMiner miner = settings.miner();
        TemplateMinerModel model = miner.fit(input);
        List<String> predicted = new ArrayList<>(lines.size());
        for (Row row : model.transform(input).orderBy("line_id").select(miner.getOutputCol()).collectAsList()) {
            predicted.add(row.getString(0));
        }
        return new Accuracy(GroupingAccuracy.of(truth, predicted), model.templateList().size());
    }

    /**
     * Lines masked, learned and assigned per second on one thread, without Spark: the best of the runs in one second
     * (at least three), so that a busy moment of the machine does not count.
     */
    static double linesPerSecond(EvaluationSettings settings, List<String> messages) {
        TemplateMiner miner = settings.miner();
        double best = Double.MAX_VALUE;
        long end = System.nanoTime() + 1_000_000_000L;
        for (int run = 0; run < 3 || System.nanoTime() < end; run++) {
            long start = System.nanoTime();
            fitAndAssignWithoutSpark(miner, messages);
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return messages.size() / best;
    }

    /**
     * What {@link TemplateMiner#fit} and {@link TemplateMinerModel#transform} do per line, in plain Java: mask and
     * count the distinct masked messages, learn from them, then assign every message.
     */
    private static List<TemplateAssigner.Assignment> fitAndAssignWithoutSpark(TemplateMiner miner,
                                                                              List<String> messages) {
        ParameterMasker masker = miner.masker();
        TemplateAssigner assigner = new TemplateAssigner(masker,
                TemplateLearner.learnFromRaw(masker, miner.getMinVariableValues(), messages));
        List<TemplateAssigner.Assignment> assigned = new ArrayList<>(messages.size());
        for (String message : messages) {
            assigned.add(assigner.assign(message));
        }
        return assigned;
    }

    private static void print(List<Result> results, EvaluationSettings settings) {
        System.out.println();
        System.out.println("Template mining on the loghub 2k samples, one setting for every system: " + settings);
        System.out.println("GA: grouping accuracy on the corrected ground truth (* where a system has none: the"
                + " original); original: on the original ground truth; Drain: its published figure, tuned per system.");
        System.out.println("lines/s: lines masked, learned and assigned per second on one thread, without Spark.");
        String format = "%-12s %6s %10s %10s %9s %7s%n";
        System.out.printf(Locale.ROOT, format, "SYSTEM", "GA", "templates", "lines/s", "original", "Drain");
        for (Result r : results) {
            Double drain = DRAIN_TUNED.get(r.system());
            System.out.printf(Locale.ROOT, format, r.system(), fixed(r.accuracy()) + (r.corrected() ? "" : "*"),
                    r.templates(), String.format(Locale.ROOT, "%,.0f", r.linesPerSecond()), fixed(r.original()),
                    drain == null ? "-" : fixed(drain));
        }
        Summary summary = Summary.of(results);
        System.out.printf(Locale.ROOT, format, "mean", fixed(summary.mean()), "",
                String.format(Locale.ROOT, "%,.0f", summary.linesPerSecond()), fixed(summary.originalMean()),
                summary.drainMean() == null ? "-" : fixed(summary.drainMean()));
        System.out.printf(Locale.ROOT, format, "min", fixed(summary.min()), "", "", fixed(summary.originalMin()), "");
        System.out.printf(Locale.ROOT, "target at default settings (mean GA >= %.2f, none below %.2f): %s%n",
                TARGET_MEAN, TARGET_MIN, summary.meetsTarget() ? "met" : "NOT met");
    }

    private static String fixed(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** Means and minimums over the systems; the Drain mean only when every system has a published figure. */
    record Summary(double mean, double min, double originalMean, double originalMin, Double drainMean,
                   double linesPerSecond) {
        static Summary of(List<Result> results) {
            double mean = results.stream().mapToDouble(Result::accuracy).average().orElse(0);
            double min = results.stream().mapToDouble(Result::accuracy).min().orElse(0);
            double originalMean = results.stream().mapToDouble(Result::original).average().orElse(0);
            double originalMin = results.stream().mapToDouble(Result::original).min().orElse(0);
            boolean allPublished = results.stream().allMatch(r -> DRAIN_TUNED.containsKey(r.system()));
            Double drainMean = allPublished
                    ? results.stream().mapToDouble(r -> DRAIN_TUNED.get(r.system())).average().orElse(0) : null;
            // Harmonic: the rate of doing every system's lines one after another.
            double seconds = results.stream().mapToDouble(r -> 1 / r.linesPerSecond()).sum();
            double linesPerSecond = results.isEmpty() ? 0 : results.size() / seconds;
            return new Summary(mean, min, originalMean, originalMin, drainMean, linesPerSecond);
        }

        boolean meetsTarget() {
            return mean >= TARGET_MEAN && min >= TARGET_MIN;
        }
    }
}
