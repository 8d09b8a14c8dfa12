package io.nightshift.jobs.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.TestLogs;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.config.NightshiftConfig.LakeConfig;

/** Corrupt files and schema drift in the lake: named, and either fatal or skipped and recorded — never silent. */
class LakeFaultsTest {
    static SparkSession spark;
    static final LocalDate DAY = LocalDate.parse("2026-11-20");

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    private static LakeConfig lake(Path root, boolean skipCorrupt) {
        return new LakeConfig(Location.local(root), "date", Map.of(), null, "event_id", skipCorrupt);
    }

    private static TestLogs goodRows() {
        return new TestLogs()
                .add("e1", "2026-11-20T01:00:00Z", "checkout", "h1", "GET /cart 200", "INFO")
                .add("e2", "2026-11-20T02:00:00Z", "checkout", "h2", "GET /pay 200", "INFO")
                .add("e3", "2026-11-20T03:00:00Z", "search", "h3", "query ok", "INFO")
                .add("e4", "2026-11-20T04:00:00Z", "search", "h3", "query ok", "INFO");
    }

    /** A day of two good files plus a truncated file, a file that is not Parquet, and a file with a retyped column. */
    private static Path dayWithBadFiles(Path root) throws Exception {
        Path day = root.resolve("date=2026-11-20");
        goodRows().frame(spark).repartition(2).write().parquet(day.toString());
        Path good = Files.list(day).filter(p -> p.toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
        byte[] bytes = Files.readAllBytes(good);
        Files.write(day.resolve("part-truncated.parquet"), Arrays.copyOf(bytes, bytes.length / 2));
        Files.writeString(day.resolve("part-not-parquet.parquet"), "{\"event_id\": \"e9\", \"message\": \"json\"}\n");
        Path retyped = root.resolve("retyped");
        new TestLogs().add("e5", "2026-11-20T05:00:00Z", "auth", "h4", "retyped", "INFO").frame(spark)
                .withColumn("bytes_out", org.apache.spark.sql.functions.lit("many")).coalesce(1).write()
                .parquet(retyped.toString());
        Path retypedFile = Files.list(retyped).filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
        Files.copy(retypedFile, day.resolve("part-retyped.parquet"));
        return day;
    }

    @Test
    void corruptFilesFailTheReadNamingTheFile(@TempDir Path root) throws Exception {
        Path day = dayWithBadFiles(root);
        assertThatThrownBy(() -> new LakeReader(spark, lake(root, false)).read(DAY))
                .isInstanceOf(NightshiftException.class)
                .satisfies(e -> assertThat(((NightshiftException) e).exitCode()).isEqualTo(ExitCodes.BAD_INPUT))
                .hasMessageContaining("3 unusable lake file(s) for 2026-11-20: ")
                .hasMessageContaining(day.resolve("part-not-parquet.parquet").toString())
                .hasMessageContaining("not a readable Parquet file")
                .hasMessageContaining("(and 2 more)")
                .hasMessageContaining("lake.ignore_corrupt_files");
    }

    /** More files than footers read at once, bad ones among them: each verdict is its own file's, in file order. */
    @Test
    void footersReadSideBySideKeepEachFilesVerdictAndTheFilesOrder(@TempDir Path root) throws Exception {
        Path day = root.resolve("date=2026-11-20");
        int files = ParquetFileCheck.PARALLEL_READS + 9;
        goodRows().frame(spark).coalesce(1).write().parquet(root.resolve("one").toString());
        Path one = Files.list(root.resolve("one")).filter(p -> p.toString().endsWith(".parquet")).findFirst()
                .orElseThrow();
        Files.createDirectories(day);
        List<String> written = new java.util.ArrayList<>();
        for (int i = 0; i < files; i++) {
            Path copy = day.resolve(String.format("part-%05d.parquet", i));
            Files.copy(one, copy);
            written.add(copy.toString());
        }
        List<String> broken = List.of(written.get(3), written.get(11), written.get(files - 1));
        for (String file : broken) {
            Files.writeString(Path.of(file), "not parquet");
        }

        ParquetFileCheck.Result result = ParquetFileCheck.check(spark.sparkContext().hadoopConfiguration(),
                ParquetFileCheck.dataFiles(org.apache.hadoop.fs.FileSystem.getLocal(
                        spark.sparkContext().hadoopConfiguration()), new org.apache.hadoop.fs.Path(day.toString())),
                Map.of(), spark.sessionState().conf());

        assertThat(result.bad()).extracting(b -> Path.of(java.net.URI.create(b.file())).toString())
                .containsExactlyElementsOf(broken);
        assertThat(result.bad()).allSatisfy(b -> assertThat(b.reason()).startsWith("not a readable Parquet file"));
        assertThat(result.good()).extracting(f -> Path.of(java.net.URI.create(f)).toString())
                .containsExactlyElementsOf(written.stream().filter(f -> !broken.contains(f)).toList());
    }

    @Test
    void whenConfiguredCorruptFilesAreSkippedAndEachIsRecordedInQuarantine(@TempDir Path root) throws Exception {
        Path day = dayWithBadFiles(root);
        LakeInput input = new LakeReader(spark, lake(root, true)).read(DAY);

        assertThat(input.rows().count()).as("the good files' rows, all of them").isEqualTo(4);
        assertThat(input.skippedFiles()).hasSize(3);
        List<Row> quarantine = input.quarantine().orderBy("source_file").collectAsList();
        // Named the way Spark names a row's source file (_metadata.file_path), so both kinds of quarantine row agree.
        assertThat(quarantine).extracting(r -> r.<String>getAs("source_file")).containsExactly(
                "file:" + day.resolve("part-not-parquet.parquet"),
                "file:" + day.resolve("part-retyped.parquet"),
                "file:" + day.resolve("part-truncated.parquet"));
        assertThat(quarantine.get(1).<String>getAs("reason"))
                .isEqualTo("unusable file: column 'bytes_out' is BINARY (STRING) where the day's expected type is "
                        + "INT64 (the type that suits the canonical bigint column it is mapped to)");
        assertThat(quarantine.get(2).<String>getAs("reason")).startsWith("unusable file: not a readable Parquet file");
    }

    @Test
    void aNewColumnIsIgnoredAndMarkerFilesAreNotData(@TempDir Path root) throws Exception {
        Path day = root.resolve("date=2026-11-20");
        goodRows().frame(spark).withColumn("added_by_a_new_shipper", org.apache.spark.sql.functions.lit(1))
                .coalesce(1).write().parquet(day.toString());
        new TestLogs().add("e7", "2026-11-20T07:00:00Z", "auth", "h9", "older shipper", "INFO").frame(spark)
                .coalesce(1).write().mode("append").parquet(day.toString());
        assertThat(day.resolve("_SUCCESS")).exists();

        LakeInput input = new LakeReader(spark, lake(root, false)).read(DAY);
        assertThat(input.files()).hasSize(2);
        assertThat(input.rows().count()).isEqualTo(5);
        assertThat(input.rows().columns()).doesNotContain("added_by_a_new_shipper");
        assertThat(input.skippedFiles()).isEmpty();
    }

    @Test
    void aDayOfOnlyBadFilesIsEmptyWithEveryFileInQuarantine(@TempDir Path root) throws Exception {
        Path day = Files.createDirectories(root.resolve("date=2026-11-20"));
        Files.writeString(day.resolve("part-0.parquet"), "PAR1 not really");
        LakeInput input = new LakeReader(spark, lake(root, true)).read(DAY);
        assertThat(input.rows().count()).isZero();
        assertThat(input.quarantine().collectAsList()).singleElement()
                .satisfies(r -> assertThat(r.<String>getAs("source_file")).endsWith("part-0.parquet"));
        // No row was read, so none was rejected; the skipped file is still recorded.
        assertThat(input.quarantine(0).collectAsList()).singleElement()
                .satisfies(r -> assertThat(r.<String>getAs("reason")).startsWith("unusable file: "));
    }
}
