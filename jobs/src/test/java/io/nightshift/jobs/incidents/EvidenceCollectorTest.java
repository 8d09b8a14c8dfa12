package io.nightshift.jobs.incidents;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unhex;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.apache.commons.codec.digest.DigestUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.TestLogs;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.config.NightshiftConfig.LakeConfig;
import io.nightshift.jobs.config.RedactionConfig;
import io.nightshift.jobs.lake.LakeReader;

/** What evidence keeps of a log row: everything, byte for byte, or masked when redaction is on. */
class EvidenceCollectorTest {
    static SparkSession spark;
    static final LocalDate DAY = LocalDate.parse("2026-11-20");
    /** "pay " + 0xFF + " card" — not UTF-8. */
    static final byte[] NOT_UTF8 = {'p', 'a', 'y', ' ', (byte) 0xff, ' ', 'c', 'a', 'r', 'd'};
    static final String SECRETS = "reset link sent to jane@corp.example with token=abc123 via "
            + "https://bot:pw1@hooks.example/x";

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    private static Dataset<Row> logs(Path root) {
        new TestLogs()
                .add("r1", "2026-11-20T01:00:00Z", "auth", "h1", SECRETS, "WARN", "eu", "eu-1", "t1", "jane@corp.example",
                        "login", "failure", null)
                .add("r2", "2026-11-20T01:01:00Z", "auth", "h1", "placeholder", "WARN", "eu", "eu-1", "t1", "bob",
                        "login", "failure", null)
                .writePartition(spark, root, "2026-11-20");
        Dataset<Row> rows = new LakeReader(spark, new LakeConfig(Location.local(root), "date", Map.of(), null, "event_id", false))
                .read(DAY).rows();
        return rows.withColumn("message", when(col("row_id").equalTo("r2"),
                unhex(lit(HexFormat.of().formatHex(NOT_UTF8))).cast("string")).otherwise(col("message")));
    }

    private static Dataset<Row> members() {
        StructType schema = StructType.fromDDL("incident_id STRING, finding_id STRING, evidence_row_ids ARRAY<STRING>, "
                + "host STRING, user STRING, src_ip STRING, tenant_id STRING, service STRING, first_seen TIMESTAMP, "
                + "last_seen TIMESTAMP, region STRING, datacenter STRING");
        return spark.createDataFrame(List.of(RowFactory.create("INC-1", "F-1",
                scala.jdk.javaapi.CollectionConverters.asScala(List.of("r1", "r2")).toSeq(), null, null, null, null,
                null, null, null, null, null)), schema);
    }

    private static Map<String, Row> byRowId(Dataset<Row> evidence) {
        Map<String, Row> m = new java.util.HashMap<>();
        evidence.selectExpr("row_id", "log_json", "sha256", "get_json_object(log_json, '$.message') AS message",
                        "get_json_object(log_json, '$.invalid_utf8.message') AS raw_message",
                        "get_json_object(log_json, '$.user') AS user")
                .collectAsList().forEach(r -> m.put(r.getAs("row_id"), r));
        return m;
    }

    @Test
    void keepsRowsAsLoggedWithTheExactBytesOfTextThatIsNotUtf8(@TempDir Path root) {
        Map<String, Row> kept = byRowId(new EvidenceCollector(10, null).collect(members(), logs(root), DAY));

        assertThat(kept).containsOnlyKeys("r1", "r2");
        assertThat(kept.get("r1").<String>getAs("message")).isEqualTo(SECRETS);
        assertThat(kept.get("r1").<String>getAs("log_json")).doesNotContain("invalid_utf8");
        assertThat(kept.get("r2").<String>getAs("message")).isEqualTo("pay \uFFFD card");
        assertThat(Base64.getDecoder().decode(kept.get("r2").<String>getAs("raw_message"))).isEqualTo(NOT_UTF8);
        kept.values().forEach(r -> assertThat(r.<String>getAs("sha256"))
                .isEqualTo(DigestUtils.sha256Hex(r.<String>getAs("log_json").getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void withRedactionSecretsAreMaskedBeforeTheyAreHashedAndStored(@TempDir Path root) {
        var redactor = RedactionConfig.defaults().redactor();
        Map<String, Row> kept = byRowId(new EvidenceCollector(10, redactor).collect(members(), logs(root), DAY));

        Row r1 = kept.get("r1");
        assertThat(r1.<String>getAs("message")).isEqualTo("reset link sent to [REDACTED:email] with "
                + "token=[REDACTED:secret_param] via https://bot:[REDACTED:url_password]@hooks.example/x");
        assertThat(r1.<String>getAs("user")).isEqualTo("[REDACTED:email]");
        assertThat(r1.<String>getAs("log_json")).doesNotContain("jane@", "abc123", "pw1");
        assertThat(kept.get("r2").<String>getAs("user")).isEqualTo("bob");
        kept.values().forEach(r -> assertThat(r.<String>getAs("sha256"))
                .isEqualTo(DigestUtils.sha256Hex(r.<String>getAs("log_json").getBytes(StandardCharsets.UTF_8))));
    }
}
