package io.nightshift.lakegen;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lake's shape, volume, seasonality, reference files and reproducibility. */
class LakeGeneratorTest {
    private static SparkSession spark;
    private static GenerationResult lake;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
        lake = SampleLake.get(spark);
    }


    private static Dataset<Row> read(Path lakeDir) {
        return spark.read().parquet(lakeDir.toString());
    }

    @Test
    void writesOneHivePartitionPerDayWithTheLakeColumns() throws IOException {
        try (Stream<Path> dirs = Files.list(lake.lakeDir())) {
            assertThat(dirs.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactlyElementsOf(Stream.iterate(SampleLake.START, d -> d.plusDays(1))
                            .limit(SampleLake.DAYS).map(d -> "date=" + d).toList());
        }
        try (Stream<Path> files = Files.list(lake.lakeDir().resolve("date=" + SampleLake.START))) {
            assertThat(files.filter(p -> p.toString().endsWith(".parquet"))).hasSize(1);
        }
        Dataset<Row> df = read(lake.lakeDir());
        List<String> expected = Stream.of(LakeSchema.STRUCT.fields())
                .map(f -> f.name() + ":" + f.dataType().simpleString()).collect(Collectors.toList());
        expected.add("date:date");
        assertThat(Stream.of(df.schema().fields()).map(f -> f.name() + ":" + f.dataType().simpleString()))
                .containsExactlyElementsOf(expected);
        assertThat(df.schema().apply("timestamp").dataType()).isEqualTo(DataTypes.TimestampType);
        assertThat(Stream.of(df.schema().fields()).map(StructField::name)).contains("attributes", "farm", "tenant_id");
    }

    @Test
    void rowsAreWellFormed() {
        Dataset<Row> df = read(lake.lakeDir()).cache();
        long rows = df.count();
        assertThat(df.select("event_id").distinct().count()).isEqualTo(rows);
        assertThat(df.where("to_date(timestamp) <> date").count()).isZero();
        assertThat(df.where("service is null or host is null or message is null or level is null or region is null"
                + " or datacenter is null or farm is null").count()).isZero();
        assertThat(df.select("level").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
                .isSubsetOf("DEBUG", "INFO", "WARN", "ERROR", "FATAL").contains("INFO", "WARN", "ERROR");
        assertThat(df.select("region").distinct().count()).isEqualTo(4);
        assertThat(df.select("host").distinct().count()).isBetween(40L, 60L);
        assertThat(df.select("action").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
                .contains("http_request", "login", "logout", "deploy", "config_change", "privilege_change",
                        "delete", "export", "db_query");
        assertThat(df.where("outcome is not null and outcome not in ('success', 'failure')").count()).isZero();
        // Lines about the service itself carry no tenant; lines about users do.
        assertThat(df.where("message like 'GC pause%' and tenant_id is not null").count()).isZero();
        assertThat(df.where("action = 'login' and tenant_id is null").count()).isZero();
        // External addresses stay in the documentation ranges; hosts are internal.
        assertThat(df.where("src_ip not rlike '^(10\\\\.|192\\\\.0\\\\.2\\\\.|198\\\\.51\\\\.100\\\\.|203\\\\.0\\\\.113\\\\.)'")
                .count()).isZero();
        df.unpersist();
    }

    @Test
    void rowsPerDayAreRoughlyAsAsked() {
        assertThat(lake.rowsPerDay()).hasSize(SampleLake.DAYS);
        lake.rowsPerDay().values().forEach(n ->
                assertThat(n.doubleValue()).isCloseTo(SampleLake.ROWS_PER_DAY, within(SampleLake.ROWS_PER_DAY * 0.25)));
        double mean = lake.totalRows() / (double) SampleLake.DAYS;
        assertThat(mean).isCloseTo(SampleLake.ROWS_PER_DAY, within(SampleLake.ROWS_PER_DAY * 0.08));
        // 2026-11-07/08 are a weekend: quieter than the weekdays around them.
        assertThat(lake.rowsPerDay().get(LocalDate.of(2026, 11, 8)))
                .isLessThan(lake.rowsPerDay().get(LocalDate.of(2026, 11, 4)));
    }

    @Test
    void nightHoursAreQuieterThanDayHours() {
        // us-east is UTC-5: 07-10 UTC is 2-5 am local, 16-19 UTC is 11 am-2 pm local.
        Dataset<Row> usEast = read(lake.lakeDir()).where("region = 'us-east'").withColumn("h", hour(col("timestamp")));
        long night = usEast.where("h >= 7 and h < 10").count();
        long day = usEast.where("h >= 16 and h < 19").count();
        assertThat(night).isPositive();
        assertThat((double) night).isLessThan(day * 0.4);
    }

    @Test
    void servicesHaveTheirOwnErrorRatesAndLatencies() {
        List<Row> stats = read(lake.lakeDir()).where("action is not null").groupBy("service")
                .agg(org.apache.spark.sql.functions.expr("avg(cast(level in ('ERROR', 'FATAL') as double))").as("err"),
                        org.apache.spark.sql.functions.expr("percentile(duration_ms, 0.5)").as("p50"),
                        org.apache.spark.sql.functions.expr("percentile(duration_ms, 0.99)").as("p99"))
                .collectAsList();
        Row reports = stats.stream().filter(r -> r.getString(0).equals("reports")).findFirst().orElseThrow();
        Row catalog = stats.stream().filter(r -> r.getString(0).equals("catalog")).findFirst().orElseThrow();
        assertThat(reports.getDouble(1)).isGreaterThan(catalog.getDouble(1) * 2);
        assertThat(reports.getDouble(2)).isGreaterThan(catalog.getDouble(2) * 10);
        // A long tail: p99 well above the median.
        assertThat(catalog.getDouble(3)).isGreaterThan(catalog.getDouble(2) * 3);
    }

    @Test
    void writesReferenceDataAndThreatIntel() throws IOException {
        List<String> services = Files.readAllLines(lake.referenceDir().resolve(ReferenceDataWriter.SERVICE_CATALOG));
        assertThat(services.get(0)).isEqualTo("service,owner_team,tier,data_classification,contains_pii,description");
        assertThat(services).hasSizeBetween(9, 13);
        List<String> tenants = Files.readAllLines(lake.referenceDir().resolve(ReferenceDataWriter.TENANTS));
        assertThat(tenants.get(0)).isEqualTo("tenant_id,name,industry,regulations,home_region");
        assertThat(tenants).hasSize(21).anyMatch(l -> l.contains("HIPAA;GDPR"));
        List<String> indicators = Files.readAllLines(lake.threatIntelDir().resolve(ThreatIntelWriter.CSV));
        assertThat(indicators.get(0)).isEqualTo("type,value,source,confidence,expiry");
        assertThat(indicators).hasSize(21);
        assertThat(indicators.stream().map(l -> l.split(",")[0]).skip(1).distinct())
                .containsExactlyInAnyOrder("ip", "domain", "url", "sha256");
        String stix = Files.readString(lake.threatIntelDir().resolve(ThreatIntelWriter.STIX));
        assertThat(stix).contains("\"type\" : \"bundle\"", "\"spec_version\" : \"2.1\"",
                "[ipv4-addr:value = '" + ThreatIntel.knownBadIp(7) + "']", "[domain-name:value = 'evil.example']");
    }

    @Test
    void sameSpecGivesTheSameRowsAndAnotherSeedDoesNot(@TempDir Path a, @TempDir Path b, @TempDir Path c) {
        LocalDate start = LocalDate.of(2026, 3, 1);
        GenerationResult first = LakeGenerator.generate(spark, new GeneratorSpec(11, start, 1, 1_500, a, true));
        GenerationResult second = LakeGenerator.generate(spark, new GeneratorSpec(11, start, 1, 1_500, b, true, 2));
        GenerationResult other = LakeGenerator.generate(spark, new GeneratorSpec(12, start, 1, 1_500, c, true));
        List<String> rowsA = canonicalRows(first.lakeDir());
        assertThat(rowsA).hasSize((int) first.totalRows());
        assertThat(canonicalRows(second.lakeDir())).isEqualTo(rowsA);
        assertThat(second.scenarios()).isEqualTo(first.scenarios());
        assertThat(canonicalRows(other.lakeDir())).isNotEqualTo(rowsA);
    }

    @Test
    void withoutScenariosTheGroundTruthIsEmptyAndNoRowIsMarked(@TempDir Path dir) throws IOException {
        GenerationResult result = LakeGenerator.generate(spark,
                new GeneratorSpec(5, LocalDate.of(2026, 1, 5), 1, 1_000, dir, false));
        assertThat(result.scenarioCount()).isZero();
        assertThat(Files.readString(result.groundTruthFile()).replaceAll("\\s", "")).isEqualTo("[]");
        assertThat(read(result.lakeDir()).where("attributes['scenario'] is not null").count()).isZero();
    }

    /** Every value of every row, as JSON, in event-id order. */
    private static List<String> canonicalRows(Path lakeDir) {
        Dataset<Row> df = read(lakeDir);
        return df.orderBy("event_id")
                .select(to_json(struct(Stream.of(df.columns()).map(org.apache.spark.sql.functions::col)
                        .toArray(org.apache.spark.sql.Column[]::new))))
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    }
}
