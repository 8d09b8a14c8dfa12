package io.nightshift.jobs.incidents;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sha2;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nightshift.jobs.TestSpark;

/** The plain-Java evidence hashes are the Spark expressions' hashes, on the same rows. */
class EvidenceManifestTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    @Test
    void rowHashesAndManifestsAreSparks() {
        // Row ids that sort differently by UTF-16 units (Java's String order) and by UTF-8 bytes (Spark's): U+FF5E
        // is above a surrogate pair's first unit but below the pair's four-byte UTF-8 form.
        List<Row> rows = List.of(
                RowFactory.create("i-1", "r-\uFF5E", "{\"message\":\"\uFF5E wave\"}"),
                RowFactory.create("i-1", "r-\uD83D\uDE00", "{\"message\":\"j\u00f6se \uD83D\uDE00\"}"),
                RowFactory.create("i-1", "r-a", "{\"message\":\"plain\"}"),
                RowFactory.create("i-1", "r-B", ""),
                RowFactory.create("i-1", "r-e\u0301", "{\"message\":\"e\u0301 combining, \\u0000 escaped\"}"),
                RowFactory.create("i-1", "r-null", null),
                RowFactory.create("i-2", "r-1", "{\"message\":\"" + "x".repeat(10_000) + "\"}"),
                RowFactory.create("i-3", "r-1", null),
                RowFactory.create("i-3", "r-2", null));
        Dataset<Row> evidence = spark.createDataFrame(rows,
                StructType.fromDDL("incident_id STRING, row_id STRING, log_json STRING"))
                .withColumn("sha256", sha2(col("log_json"), 256));

        for (Row r : evidence.collectAsList()) {
            assertThat(EvidenceManifest.sha256(r.getString(2))).as(r.getString(1)).isEqualTo(r.getString(3));
        }
        Map<String, List<EvidenceManifest.Entry>> byIncident = new LinkedHashMap<>();
        for (Row r : rows) {
            byIncident.computeIfAbsent(r.getString(0), k -> new ArrayList<>())
                    .add(new EvidenceManifest.Entry(r.getString(1), EvidenceManifest.sha256(r.getString(2))));
        }
        Map<String, String> spark = new LinkedHashMap<>();
        EvidenceCollector.manifestHashes(evidence).collectAsList().forEach(r -> spark.put(r.getString(0),
                r.getString(1)));
        assertThat(spark).hasSize(3);
        byIncident.forEach((incident, entries) -> assertThat(EvidenceManifest.manifest(entries)).as(incident)
                .isEqualTo(spark.get(incident)));
        // i-3 kept rows but none has text: Spark hashes the empty manifest, not nothing.
        assertThat(spark.get("i-3")).isEqualTo(EvidenceManifest.sha256(""));
        assertThat(EvidenceManifest.manifest(List.of())).isNull();
    }
}
