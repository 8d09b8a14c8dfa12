package io.nightshift.jobs.after.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.EndToEnd;
import io.nightshift.jobs.CapturedRun;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.lakegen.GeneratorSpec;
import io.nightshift.lakegen.LakeGenerator;
import io.nightshift.lakegen.LakeSchema;

/**
 * End to end, slow: a small generated night with hostile log lines (a {@code <script>} message from a service whose
 * name is markup) goes through the real {@code run} command, which writes the report; headless Chromium then renders
 * it. The charts must draw (SVG paths in the DOM, chart-coloured pixels in a screenshot) and the hostile text must
 * show as text, with no script element in the page.
 */
@EndToEnd
class ReportBrowserTest {
    static final String PAYLOAD = "<script>document.title='pwned'</script>";
    static final String HOSTILE_MESSAGE = "Rejected upload " + PAYLOAD + " & \"quoted\" name";
    static final String HOSTILE_SERVICE = "<b>svc</b>&\"x\"";
    static final LocalDate START = LocalDate.parse("2026-10-01");
    static final int DAYS = 8;
    static final LocalDate NIGHT = START.plusDays(DAYS - 1L);

    @TempDir
    static Path dir;
    static SparkSession spark;
    static HeadlessChromium chromium;
    static Path config;
    static String runOutput;

    @BeforeAll
    static void runTheNight() throws Exception {
        chromium = HeadlessChromium.require();
        spark = TestSpark.session();
        LakeGenerator.generate(spark, new GeneratorSpec(11L, START, DAYS, 2500, dir.resolve("sample"), true));
        addHostileRows(dir.resolve("sample/lake/" + LakeSchema.PARTITION_COLUMN + "=" + NIGHT));
        String namespace = "report_" + ProcessHandle.current().pid();
        config = TestSpark.generatedLakeConfig(dir, namespace,
                "trends: {history_days: 6, min_history_points: 4}",
                // Two views are enough for the hostile host's window; a third would only add training time.
                "anomaly: {training_days: 4, views: [{name: host_10m, entity: [host], window: 10 minutes}, "
                        + "{name: service_1h, entity: [service], window: 1 hour}]}",
                "report: {directory: reports, trend_days: 14}");
        CapturedRun run = CapturedRun.of("run", "--date", NIGHT.toString(), "--config", config.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        runOutput = run.out();
    }

    /** 300 lines of one host within ten minutes, with markup in the message and the service name. */
    private static void addHostileRows(Path dayDir) {
        Dataset<Row> sample = spark.read().parquet(dayDir.toString()).limit(300);
        List<Row> rows = sample
                .withColumn("event_id", concat(lit("hostile-"), col("event_id")))
                .withColumn("message", lit(HOSTILE_MESSAGE))
                .withColumn("service", lit(HOSTILE_SERVICE))
                .withColumn("host", lit("hostile-host"))
                .withColumn("level", lit("ERROR"))
                .withColumn("timestamp", lit(Timestamp.from(NIGHT.atTime(3, 4).toInstant(ZoneOffset.UTC))))
                .select(Arrays.stream(LakeSchema.STRUCT.fieldNames()).map(f -> col("`" + f + "`"))
                        .toArray(Column[]::new))
                .collectAsList();
        spark.createDataFrame(rows, LakeSchema.STRUCT).coalesce(1).write().mode(SaveMode.Append)
                .parquet(dayDir.toString());
    }

    @Test
    void theNightlyRunWritesTheReportBesideTheTablesAndPrintsWhere() throws Exception {
        Path report = dir.resolve("reports/nightshift-report-" + NIGHT + ".html");
        assertThat(runOutput).contains("report", "written to " + report);
        assertThat(Files.readString(report)).contains("Nightshift night report: " + NIGHT)
                .doesNotContain(HOSTILE_MESSAGE);
    }

    @Test
    void chromiumDrawsTheChartsAndShowsHostileLogTextAsText() throws Exception {
        Path page = dir.resolve("browser/report.html");
        Files.createDirectories(page.getParent());
        CapturedRun report = CapturedRun.of("report", "--date", NIGHT.toString(), "--out", page.toString(),
                "--days", "10", "--config", config.toString());
        assertThat(report.exitCode()).as(report.err()).isEqualTo(ExitCodes.OK);
        assertThat(report.out()).contains("wrote the report of " + NIGHT + " to " + page);

        String dom = chromium.dumpDom(page, page.getParent());

        // The page parsed into the report, with its charts: volume, fleet, every service and region.
        assertThat(dom).contains("<title>Nightshift report " + NIGHT + "</title>");
        long charts = Pattern.compile("<svg class=\"chart\"").matcher(dom).results().count();
        assertThat(charts).isGreaterThanOrEqualTo(6);
        long lines = Pattern.compile("<path class=\"line\" d=\"M[0-9.]+ [0-9.]+ L[0-9. L]+\"").matcher(dom)
                .results().count();
        assertThat(lines).as("non-empty line paths").isGreaterThanOrEqualTo(charts - 1);
        // The hostile message's template (the miner masks the quoted title and the closing tag as a variable) and
        // the service name are text nodes, serialized escaped; no element came out of them.
        assertThat(dom).contains("Rejected upload &lt;script&gt;document.title=&lt;*&gt; &amp; \"quoted\" name",
                "&lt;b&gt;svc&lt;/b&gt;&amp;\"x\"");
        assertThat(dom.toLowerCase()).doesNotContain("<script", "<b>svc");
        assertThat(dom).doesNotContain("<title>pwned</title>");

        // Tall enough for the whole page, so the trend charts below the incidents are in the picture.
        Path png = chromium.screenshot(page, page.getParent().resolve("report.png"), 1280, 10000, page.getParent());
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        assertThat(pixelsNear(image, TrendChart.LINE_COLOUR)).as("pixels of the charts' line colour")
                .isGreaterThan(1500);
    }

    @Test
    void aNightWithoutARunIsABadInputErrorThatSaysWhatToDo() {
        CapturedRun c = CapturedRun.of("report", "--date", "2020-01-01", "--config", config.toString());
        assertThat(c.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(c.err()).contains("no nightly run for 2020-01-01", "job_runs",
                "scripts/nightshift run --date 2020-01-01");
        assertThat(CapturedRun.of("report", "--date", NIGHT.toString(), "--days", "0", "--config", config.toString())
                .exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    /** Pixels within a small distance of {@code hex} (anti-aliasing blends a line's edges, not its middle). */
    private static long pixelsNear(BufferedImage image, String hex) {
        int want = Integer.parseInt(hex.substring(1), 16);
        int wr = want >> 16 & 0xff;
        int wg = want >> 8 & 0xff;
        int wb = want & 0xff;
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                if (Math.abs((rgb >> 16 & 0xff) - wr) + Math.abs((rgb >> 8 & 0xff) - wg) + Math.abs((rgb & 0xff) - wb)
                        <= 24) {
                    n++;
                }
            }
        }
        return n;
    }
}
