package io.nightshift.models.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WindowFeaturizerTest {
    private static SparkSession spark;
    private static Dataset<Row> logs;

    @BeforeAll
    static void start() {
        spark = LocalSpark.session();
        logs = LogRows.frame(spark, List.of(
                LogRows.row("2024-05-01T10:05:00Z", "T1", false, "INFO", "alice", "h1", "api", Map.of()),
                LogRows.row("2024-05-01T10:10:00Z", "T1", false, "error", "bob", "h1", "api", Map.of()),
                LogRows.row("2024-05-01T10:20:00Z", "T2", true, "INFO", null, "h1", "api", Map.of()),
                LogRows.row("2024-05-01T11:05:00Z", "T1", false, null, "alice", "h1", "api", Map.of()),
                LogRows.row("2024-05-01T10:30:00Z", "T3", false, "FATAL", "carol", "h2", "db",
                        Map.of("block_id", "b1")),
                LogRows.row("2024-05-01T10:40:00Z", "T1", false, "INFO", null, "h2", "db",
                        Map.of("block_id", "b1")),
                LogRows.row("2024-05-01T10:50:00Z", "T1", false, "INFO", null, null, "db",
                        Map.of("block_id", "b2"))));
    }

    private static Map<String, Row> byKey(Dataset<Row> windows) {
        return windows.collectAsList().stream().collect(Collectors.toMap(
                r -> r.getAs("entity") + "@" + r.<Timestamp>getAs("window_start").toInstant(), r -> r));
    }

    @Test
    void countsPerHostAndHour() {
        WindowFeaturizerModel model = new WindowFeaturizer().setEntityCols("host").setWindowDuration("1 hour")
                .fit(logs);
        Map<String, Row> rows = byKey(model.transform(logs));

        assertThat(rows).containsOnlyKeys("h1@2024-05-01T10:00:00Z", "h1@2024-05-01T11:00:00Z",
                "h2@2024-05-01T10:00:00Z");
        Row h1 = rows.get("h1@2024-05-01T10:00:00Z");
        assertThat(h1.<String>getAs("entity_type")).isEqualTo("host");
        assertThat(h1.<Timestamp>getAs("window_end").toInstant()).isEqualTo(Instant.parse("2024-05-01T11:00:00Z"));
        assertThat(h1.<Long>getAs("line_count")).isEqualTo(3L);
        assertThat(h1.<Long>getAs("error_count")).isEqualTo(1L);
        assertThat(h1.<Double>getAs("error_share")).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(h1.<Long>getAs("new_template_count")).isEqualTo(1L);
        assertThat(h1.<Long>getAs("distinct_templates")).isEqualTo(2L);
        assertThat(h1.<Long>getAs("distinct_users")).isEqualTo(2L);
        assertThat(h1.<Long>getAs("unknown_template_count")).isEqualTo(0L);
        assertThat(h1.getJavaMap(h1.fieldIndex("template_counts"))).isEqualTo(Map.of("T1", 2L, "T2", 1L));

        Row h2 = rows.get("h2@2024-05-01T10:00:00Z");
        assertThat(h2.<Long>getAs("error_count")).isEqualTo(1L);
        assertThat(h2.<Long>getAs("distinct_users")).isEqualTo(1L);
        assertThat(h2.getJavaMap(h2.fieldIndex("template_counts"))).isEqualTo(Map.of("T1", 1L, "T3", 1L));
        assertThat(rows.get("h1@2024-05-01T11:00:00Z").<Long>getAs("line_count")).isEqualTo(1L);
    }

    @Test
    void tfIdfDimensionsFollowTheLearnedVocabulary() {
        WindowFeaturizerModel model = new WindowFeaturizer().setEntityCols("host").setVocabSize(2).fit(logs);

        // Document frequencies over 3 windows: T1 in 3, T2 in 1, T3 in 1; the tie between T2 and T3 goes by id.
        assertThat(model.vocabulary().templateIds()).containsExactly("T1", "T2");
        assertThat(model.featureSchema().names()).startsWith("template:T1", "template:T2", "numeric:volume_log1p");

        Map<String, Row> rows = byKey(model.transform(logs));
        Vector h1 = rows.get("h1@2024-05-01T10:00:00Z").getAs("features");
        assertThat(h1.size()).isEqualTo(2 + NumericFeatures.NAMES.size());
        assertThat(h1.apply(0)).isCloseTo(Math.log1p(2) * 1.0, within(1e-12));
        assertThat(h1.apply(1)).isCloseTo(Math.log1p(1) * (1 + Math.log(4.0 / 2.0)), within(1e-12));
        Row h2 = rows.get("h2@2024-05-01T10:00:00Z");
        assertThat(h2.<Long>getAs("unknown_template_count")).isEqualTo(1L);
    }

    @Test
    void numericFeaturesAreCentredOnTheTrainingWindows() {
        WindowFeaturizerModel model = new WindowFeaturizer().setEntityCols("host").fit(logs);
        List<Row> rows = model.transform(logs).select("features").collectAsList();
        int first = model.vocabulary().size();
        for (int j = 0; j < NumericFeatures.NAMES.size(); j++) {
            int dim = first + j;
            double mean = rows.stream().mapToDouble(r -> r.<Vector>getAs(0).apply(dim)).average().orElseThrow();
            assertThat(mean).as(NumericFeatures.NAMES.get(j)).isCloseTo(0.0, within(1e-9));
        }
    }

    @Test
    void sessionsSpanTheirFirstToLastLine() {
        WindowFeaturizerModel model = new WindowFeaturizer().setSessionKey("block_id").fit(logs);
        Map<String, Row> rows = model.transform(logs).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.<String>getAs("entity"), r -> r));

        assertThat(rows).containsOnlyKeys("b1", "b2");
        Row b1 = rows.get("b1");
        assertThat(b1.<String>getAs("entity_type")).isEqualTo("block_id");
        assertThat(b1.<Timestamp>getAs("window_start").toInstant()).isEqualTo(Instant.parse("2024-05-01T10:30:00Z"));
        assertThat(b1.<Timestamp>getAs("window_end").toInstant()).isEqualTo(Instant.parse("2024-05-01T10:40:00Z"));
        assertThat(b1.getJavaMap(b1.fieldIndex("template_counts"))).isEqualTo(Map.of("T1", 1L, "T3", 1L));
        assertThat(model.featureSchema().window()).isEqualTo("session:block_id");
        assertThat(b1.<Long>getAs("distinct_users")).isEqualTo(1L);
        assertThat(rows.get("b2").<Long>getAs("distinct_users")).as("no user in the session").isZero();
    }

    @Test
    void distinctUsersAreExactBeyondWhereASketchWouldEstimate() {
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            rows.add(LogRows.row("2024-05-01T10:" + String.format("%02d", i % 60) + ":00Z", "T" + (i % 7), false,
                    "INFO", i % 2500 == 0 ? null : "user-" + (i % 2500), "h1", "api", Map.of()));
        }
        Dataset<Row> many = LogRows.frame(spark, rows);
        Row window = new WindowFeaturizer().setEntityCols("host").setWindowDuration("1 hour").fit(many)
                .transform(many).first();
        assertThat(window.<Long>getAs("line_count")).isEqualTo(5000L);
        assertThat(window.<Long>getAs("distinct_users")).isEqualTo(2499L);
    }

    @Test
    void multipleEntityColumnsAreJoinedAndNamed() {
        WindowFeaturizerModel model = new WindowFeaturizer().setEntityCols("service", "host")
                .setWindowDuration("1 day").fit(logs);
        Map<String, Long> lines = model.transform(logs).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.<String>getAs("entity"), r -> r.<Long>getAs("line_count")));

        assertThat(lines).isEqualTo(Map.of("api|h1", 4L, "db|h2", 2L, "db|", 1L));
        assertThat(model.featureSchema().window()).isEqualTo("window:service+host/1 day");
    }

    @Test
    void badWindowSettingsAreRejectedByName() {
        assertThatThrownBy(() -> new WindowFeaturizer().setWindowDuration("hourly").fit(logs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot set windowDuration to 'hourly': expected '<n> <unit>' with n > 0 and unit second,"
                        + " minute, hour, day or week, e.g. '10 minutes' or '1 day'");
        assertThatThrownBy(() -> new WindowFeaturizer().setEntityCols("pod").fit(logs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Input has no column 'pod' (an entity column)");
    }

    @Test
    void saveAndLoadGivesTheSameFeatures(@TempDir Path dir) throws Exception {
        WindowFeaturizerModel model = new WindowFeaturizer().setEntityCols("host").setVocabSize(2).fit(logs);
        String path = dir.resolve("featurizer").toString();
        model.write().save(path);
        WindowFeaturizerModel loaded = WindowFeaturizerModel.load(path);

        assertThat(loaded.uid()).isEqualTo(model.uid());
        assertThat(loaded.getVocabSize()).isEqualTo(2);
        assertThat(loaded.featureSchemaFingerprint()).isEqualTo(model.featureSchemaFingerprint());
        List<Row> expected = model.transform(logs).orderBy("entity", "window_start").collectAsList();
        assertThat(loaded.transform(logs).orderBy("entity", "window_start").collectAsList())
                .containsExactlyElementsOf(expected);

        WindowFeaturizer estimator = new WindowFeaturizer().setSessionKey("request_id").setMinDocFreq(3);
        estimator.write().save(dir.resolve("estimator").toString());
        WindowFeaturizer restored = WindowFeaturizer.load(dir.resolve("estimator").toString());
        assertThat(restored.getSessionKey()).contains("request_id");
        assertThat(restored.getMinDocFreq()).isEqualTo(3);
    }
}
