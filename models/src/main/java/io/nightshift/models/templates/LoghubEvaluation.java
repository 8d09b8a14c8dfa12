package io.nightshift.models.templates;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Measures the template miner's grouping accuracy ({@link GroupingAccuracy}) on the loghub 2k samples against the
 * published Drain figures, on both the original and the corrected (Khan et al., ICSE'22) ground truth.
 *
 * <p>Per system it uses the settings of the logparser benchmark that produced the published figures (extra mask
 * regexes, similarity threshold, depth), on top of the built-in masks unless {@code --no-built-in-masks} is given.
 * Usage: {@code LoghubEvaluation [--loghub DIR | DIR] [--no-built-in-masks]}; DIR defaults to
 * {@value #DEFAULT_LOGHUB}. Exits with status 2 and a message when DIR is missing. The loghub files are read in place
 * and never copied.
 */
public final class LoghubEvaluation {

    static final String DEFAULT_LOGHUB = "/work/shared/loghub";

    /** The benchmark settings and the published Drain figure for one system. */
    record SystemSetup(String system, double publishedDrain, double threshold, int depth, List<String> extraPatterns) {
        String describe() {
            return String.format(Locale.ROOT, "st=%.1f depth=%d extra=%s", threshold, depth, extraPatterns);
        }
    }

    /** From logpai/logparser's Drain benchmark; figures from its published results. */
    static final List<SystemSetup> SETUPS = List.of(
            new SystemSetup("HDFS", 0.998, 0.5, 4, List.of("blk_-?\\d+", "(\\d+\\.){3}\\d+(:\\d+)?")),
            new SystemSetup("Hadoop", 0.948, 0.5, 4, List.of("(\\d+\\.){3}\\d+")),
            new SystemSetup("Spark", 0.920, 0.5, 4,
                    List.of("(\\d+\\.){3}\\d+", "\\b[KGTM]?B\\b", "([\\w-]+\\.){2,}[\\w-]+")),
            new SystemSetup("Windows", 0.997, 0.7, 5, List.of("0x.*?\\s")),
            new SystemSetup("Apache", 1.000, 0.5, 4, List.of("(\\d+\\.){3}\\d+")));

    private static final StructType INPUT_SCHEMA = new StructType()
            .add("line_id", DataTypes.IntegerType, false)
            .add("message", DataTypes.StringType, true);

    /** One system's outcome. */
    record Result(SystemSetup setup, double original, double corrected, int templates) {
    }

    private LoghubEvaluation() {
    }

    public static void main(String[] args) throws IOException {
        Path loghub = Paths.get(DEFAULT_LOGHUB);
        boolean builtInMasks = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--loghub" -> {
                    if (i + 1 >= args.length) {
                        fail("--loghub needs a directory argument");
                    }
                    loghub = Paths.get(args[++i]);
                }
                case "--no-built-in-masks" -> builtInMasks = false;
                default -> {
                    if (args[i].startsWith("-")) {
                        fail("Unknown option " + args[i] + "; usage: LoghubEvaluation [--loghub DIR | DIR]"
                                + " [--no-built-in-masks]");
                    }
                    loghub = Paths.get(args[i]);
                }
            }
        }
        if (!Files.isDirectory(loghub)) {
            fail("loghub directory " + loghub + " not found. It must hold <System>/<System>_2k.log_structured.csv"
                    + " (the loghub 2k samples); pass its location with --loghub DIR.");
        }
        SparkSession spark = SparkSession.builder()
                .appName("nightshift-loghub-evaluation")
                .master(System.getProperty("spark.master", "local[2]"))
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            List<Result> results = new ArrayList<>();
            for (SystemSetup setup : SETUPS) {
                results.add(evaluate(spark, loghub, setup, builtInMasks));
            }
            print(results, builtInMasks);
        } finally {
            spark.stop();
        }
    }

    static Result evaluate(SparkSession spark, Path loghub, SystemSetup setup, boolean builtInMasks)
            throws IOException {
        String s = setup.system();
        Path original = loghub.resolve(s).resolve(s + "_2k.log_structured.csv");
        Path corrected = loghub.resolve(s).resolve("corrected").resolve(s + "_2k.log_structured_corrected.csv");
        TemplateMiner miner = new TemplateMiner()
                .setSimilarityThreshold(setup.threshold())
                .setDepth(setup.depth())
                .setExtraMaskPatterns(setup.extraPatterns().toArray(new String[0]))
                .setBuiltInMasks(builtInMasks);
        Scored first = score(spark, miner, original);
        Scored second = score(spark, miner, corrected);
        return new Result(setup, first.accuracy(), second.accuracy(), first.templates());
    }

    private record Scored(double accuracy, int templates) {
    }

    private static Scored score(SparkSession spark, TemplateMiner miner, Path csv) throws IOException {
        List<StructuredLogCsv.LabelledLine> lines = StructuredLogCsv.read(csv);
        List<Row> rows = new ArrayList<>(lines.size());
        List<String> truth = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            rows.add(RowFactory.create(i, lines.get(i).content()));
            truth.add(lines.get(i).eventId());
        }
        Dataset<Row> input = spark.createDataFrame(rows, INPUT_SCHEMA);
        TemplateMinerModel model = miner.fit(input);
        List<String> predicted = new ArrayList<>(lines.size());
        for (Row row : model.transform(input).orderBy("line_id").select(miner.getOutputCol()).collectAsList()) {
            predicted.add(row.getString(0));
        }
        return new Scored(GroupingAccuracy.of(truth, predicted), model.templateList().size());
    }

    private static void print(List<Result> results, boolean builtInMasks) {
        System.out.println();
        System.out.println("Grouping accuracy on the loghub 2k samples (Drain published figure vs Nightshift TemplateMiner)");
        System.out.println("Built-in masks: " + (builtInMasks ? "on" : "off") + "; per-system settings as in the"
                + " logparser Drain benchmark.");
        String format = "%-8s %9s %9s %10s %9s %-6s %s%n";
        System.out.printf(Locale.ROOT, format, "System", "published", "original", "corrected", "templates", "target",
                "settings");
        double sumOriginal = 0;
        double sumCorrected = 0;
        for (Result r : results) {
            boolean met = r.original() >= r.setup().publishedDrain() && r.corrected() >= r.setup().publishedDrain();
            System.out.printf(Locale.ROOT, format, r.setup().system(),
                    String.format(Locale.ROOT, "%.3f", r.setup().publishedDrain()),
                    String.format(Locale.ROOT, "%.3f", r.original()),
                    String.format(Locale.ROOT, "%.3f", r.corrected()),
                    r.templates(), met ? "met" : "BELOW", r.setup().describe());
            sumOriginal += r.original();
            sumCorrected += r.corrected();
        }
        double publishedMean = results.stream().mapToDouble(r -> r.setup().publishedDrain()).average().orElse(0);
        System.out.printf(Locale.ROOT, format, "mean", String.format(Locale.ROOT, "%.3f", publishedMean),
                String.format(Locale.ROOT, "%.3f", sumOriginal / results.size()),
                String.format(Locale.ROOT, "%.3f", sumCorrected / results.size()), "", "", "");
        System.out.println("('templates' = templates learned from the original file; 'target' = ours >= published on"
                + " both ground truths)");
    }

    private static void fail(String message) {
        System.err.println("evaluate-templates: " + message);
        System.exit(2);
    }
}
