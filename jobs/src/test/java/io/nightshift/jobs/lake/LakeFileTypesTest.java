package io.nightshift.jobs.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.config.NightshiftConfig.LakeConfig;

/**
 * Which file of a day is the odd one when files disagree on a column's type (the canonical schema decides, then the
 * rows, never the number of files or their names), and the timestamp units a lake may hold.
 */
class LakeFileTypesTest {
    static SparkSession spark;
    static final LocalDate DAY = LocalDate.parse("2026-11-20");
    static final int LARGE = 2_000;
    static final int SMALL = 100;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    private static LakeConfig lake(Path root, boolean skipCorrupt) {
        return new LakeConfig(Location.local(root), "date", Map.of(), null, "event_id", skipCorrupt);
    }

    /** {@code rows} log rows whose {@code status_code} is an integer, or its text when {@code asText}. */
    private static Dataset<Row> rows(String prefix, int rows, boolean statusAsText, boolean messageAsBinary) {
        Dataset<Row> df = spark.range(rows).select(
                concat(lit(prefix), col("id").cast("string")).as("event_id"),
                lit("2026-11-20T03:00:00Z").as("timestamp"),
                lit("checkout").as("service"),
                concat(lit("h"), col("id").mod(7).cast("string")).as("host"),
                concat(lit("GET /cart "), col("id").cast("string")).as("message"),
                lit("INFO").as("level"),
                lit(200).as("status_code"));
        if (statusAsText) {
            df = df.withColumn("status_code", col("status_code").cast("string"));
        }
        if (messageAsBinary) {
            df = df.withColumn("message", col("message").cast("binary"));
        }
        return df;
    }

    /** Writes {@code df} as one file named {@code name} in the day's folder. */
    private static Path writeFile(Path root, String name, Dataset<Row> df) throws IOException {
        Path staging = root.resolve("staging-" + name);
        df.coalesce(1).write().parquet(staging.toString());
        Path written = Files.list(staging).filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
        Path day = Files.createDirectories(root.resolve("date=" + DAY));
        return Files.copy(written, day.resolve(name));
    }

    @ParameterizedTest(name = "odd file named {0}, other {1}")
    @CsvSource({"part-a-odd.parquet, part-z-good.parquet", "part-z-odd.parquet, part-a-good.parquet"})
    void aSmallFileWithTextStatusCodesIsTheOddOneWhateverItsName(String oddName, String goodName, @TempDir Path root)
            throws IOException {
        Path good = writeFile(root, goodName, rows("g", LARGE, false, false));
        Path odd = writeFile(root, oddName, rows("o", SMALL, true, false));

        assertThatThrownBy(() -> new LakeReader(spark, lake(root, false)).read(DAY))
                .isInstanceOf(NightshiftException.class)
                .satisfies(e -> assertThat(((NightshiftException) e).exitCode()).isEqualTo(ExitCodes.BAD_INPUT))
                .hasMessageContaining("1 unusable lake file(s)")
                .hasMessageContaining(odd.getFileName().toString())
                .hasMessageNotContaining(good.getFileName().toString())
                .hasMessageContaining("column 'status_code' is BINARY (STRING) where the day's expected type is INT32");

        LakeInput input = new LakeReader(spark, lake(root, true)).read(DAY);
        assertThat(input.rows().count()).as("every row of the good file").isEqualTo(LARGE);
        assertThat(input.skippedFiles()).singleElement().satisfies(f -> {
            assertThat(f.file()).endsWith(oddName);
            assertThat(f.rows()).isEqualTo(SMALL);
        });
        assertThat(input.skippedRows()).isEqualTo(SMALL);
        List<Row> quarantined = input.quarantine().collectAsList();
        assertThat(quarantined).as("the odd file's rows, each kept whole").hasSize(SMALL)
                .allSatisfy(r -> {
                    assertThat(r.<String>getAs("source_file")).endsWith(oddName);
                    assertThat(r.<String>getAs("reason")).startsWith("unusable file: column 'status_code'");
                    assertThat(r.<String>getAs("raw_json")).contains("\"status_code\":\"200\"");
                });
    }

    /** The canonical type decides before the rows: a large file of text status codes is the odd one. */
    @Test
    void typesSwappedTheLargeFileIsTheOddOne(@TempDir Path root) throws IOException {
        writeFile(root, "part-a.parquet", rows("g", LARGE, true, false));
        writeFile(root, "part-b.parquet", rows("o", SMALL, false, false));

        LakeInput input = new LakeReader(spark, lake(root, true)).read(DAY);
        assertThat(input.skippedFiles()).singleElement()
                .satisfies(f -> assertThat(f.file()).endsWith("part-a.parquet"));
        assertThat(input.rows().count()).isEqualTo(SMALL);
        assertThat(input.skippedRows()).as("counted, and kept in quarantine").isEqualTo(LARGE);
        assertThat(input.quarantine().count()).isEqualTo(LARGE);
    }

    @Test
    void aSmallFileWithBinaryMessagesIsTheOddOne(@TempDir Path root) throws IOException {
        writeFile(root, "part-a.parquet", rows("o", SMALL, false, true));
        writeFile(root, "part-b.parquet", rows("g", LARGE, false, false));

        LakeInput input = new LakeReader(spark, lake(root, true)).read(DAY);
        assertThat(input.skippedFiles()).singleElement().satisfies(f -> {
            assertThat(f.file()).endsWith("part-a.parquet");
            assertThat(f.reason()).startsWith("column 'message' is BINARY where the day's expected type is "
                    + "BINARY (STRING)");
        });
        assertThat(input.rows().count()).isEqualTo(LARGE);
    }

    /** Among types that suit the column equally, the rows decide, not the files: two small files lose to one large. */
    @Test
    void amongEquallySuitedTypesTheMostRowsWinNotTheMostFiles(@TempDir Path root) throws IOException {
        writeFile(root, "part-a.parquet", rows("g", LARGE, false, false));
        writeFile(root, "part-b.parquet", rows("o", SMALL, false, false).withColumn("status_code",
                col("status_code").cast("long")));
        writeFile(root, "part-c.parquet", rows("p", SMALL, false, false).withColumn("status_code",
                col("status_code").cast("long")));

        LakeInput input = new LakeReader(spark, lake(root, true)).read(DAY);
        assertThat(input.skippedFiles()).extracting(f -> Path.of(f.file()).getFileName().toString())
                .containsExactly("part-b.parquet", "part-c.parquet");
        assertThat(input.rows().count()).isEqualTo(LARGE);
    }

    /** A column only some files have is read from all of them, whichever file Spark would have taken its schema from. */
    @Test
    void aColumnMissingFromTheFirstFileIsStillReadFromTheOthers(@TempDir Path root) throws IOException {
        writeFile(root, "part-a.parquet", rows("a", SMALL, false, false).drop("status_code"));
        writeFile(root, "part-b.parquet", rows("b", SMALL, false, false).withColumn("status_code", lit(503)));

        LakeInput input = new LakeReader(spark, lake(root, false)).read(DAY);
        assertThat(input.rows().where(col("status_code").equalTo(503)).count()).isEqualTo(SMALL);
        assertThat(input.rows().where(col("status_code").isNull()).count()).isEqualTo(SMALL);
    }

    // --- timestamp units ---

    private static final Instant AT = Instant.parse("2026-11-20T03:04:05.123456Z");

    /** One row whose timestamp is an INT64 in {@code unit}, written the way pyarrow writes it. */
    private static void writeInt64Timestamp(Path file, LogicalTypeAnnotation.TimeUnit unit, long value)
            throws IOException {
        MessageType schema = Types.buildMessage()
                .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("event_id")
                .required(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.timestampType(true, unit))
                .named("timestamp")
                .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("service")
                .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("host")
                .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("message")
                .named("log");
        Files.createDirectories(file.getParent());
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(
                new org.apache.hadoop.fs.Path(file.toString())).withType(schema).withConf(new Configuration())
                .build()) {
            Group g = new SimpleGroupFactory(schema).newGroup()
                    .append("event_id", "e-" + unit).append("timestamp", value).append("service", "auth")
                    .append("host", "h1").append("message", "login ok");
            writer.write(g);
        }
    }

    private static long epoch(LogicalTypeAnnotation.TimeUnit unit) {
        long micros = AT.getEpochSecond() * 1_000_000 + AT.getNano() / 1_000;
        return switch (unit) {
            case MILLIS -> micros / 1_000;
            case MICROS -> micros;
            case NANOS -> micros * 1_000 + 789;
        };
    }

    @ParameterizedTest
    @CsvSource({"NANOS, 2026-11-20T03:04:05.123456Z", "MICROS, 2026-11-20T03:04:05.123456Z",
            "MILLIS, 2026-11-20T03:04:05.123Z"})
    void timestampsInEveryUnitAreRead(LogicalTypeAnnotation.TimeUnit unit, String expected, @TempDir Path root)
            throws IOException {
        writeInt64Timestamp(root.resolve("date=" + DAY).resolve("part-0.parquet"), unit, epoch(unit));
        LakeInput input = new LakeReader(spark, lake(root, false)).read(DAY);
        List<Row> rows = input.rows().collectAsList();
        assertThat(rows).singleElement().satisfies(r -> assertThat(r.<java.sql.Timestamp>getAs("timestamp")
                .toInstant()).isEqualTo(Instant.parse(expected)));
    }

    @Test
    void int96TimestampsAreRead(@TempDir Path root) {
        spark.conf().set("spark.sql.parquet.outputTimestampType", "INT96");
        try {
            spark.sql("SELECT 'e1' AS event_id, TIMESTAMP'2026-11-20 03:04:05.123456' AS timestamp, 'auth' AS service,"
                    + " 'h1' AS host, 'login ok' AS message").coalesce(1).write()
                    .parquet(root.resolve("date=" + DAY).toString());
        } finally {
            spark.conf().unset("spark.sql.parquet.outputTimestampType");
        }
        LakeInput input = new LakeReader(spark, lake(root, false)).read(DAY);
        assertThat(input.rows().select("timestamp").as(org.apache.spark.sql.Encoders.TIMESTAMP()).collectAsList())
                .singleElement().satisfies(t -> assertThat(t.toLocalDateTime().toString())
                        .isEqualTo("2026-11-20T03:04:05.123456"));
    }

    /** Files of one day in two units cannot be read as one column: the odd file is named, with exit code 4. */
    @Test
    void aDayMixingTimestampUnitsNamesTheOddFile(@TempDir Path root) throws IOException {
        Path day = root.resolve("date=" + DAY);
        writeInt64Timestamp(day.resolve("part-0.parquet"), LogicalTypeAnnotation.TimeUnit.NANOS,
                epoch(LogicalTypeAnnotation.TimeUnit.NANOS));
        writeFile(root, "part-1.parquet", rows("g", SMALL, false, false)
                .withColumn("timestamp", col("timestamp").cast("timestamp"))
                .select("event_id", "timestamp", "service", "host", "message"));

        assertThatThrownBy(() -> new LakeReader(spark, lake(root, false)).read(DAY))
                .isInstanceOf(NightshiftException.class)
                .satisfies(e -> assertThat(((NightshiftException) e).exitCode()).isEqualTo(ExitCodes.BAD_INPUT))
                .hasMessageContaining("part-0.parquet: column 'timestamp' is INT64 (TIMESTAMP(NANOS,true))");
    }
}
