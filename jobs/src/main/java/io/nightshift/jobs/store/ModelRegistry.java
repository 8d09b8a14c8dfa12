package io.nightshift.jobs.store;

import static org.apache.spark.sql.functions.col;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.schema.ResultTables;

/** Versions of trained models in {@code model_registry}; the files live under the warehouse, never in the repo. */
public final class ModelRegistry {
    /** A registered version. */
    public record Entry(String name, int version, Timestamp trainedAt, LocalDate trainingFrom, LocalDate trainingTo,
                        String path) {
    }

    private final ResultsStore store;

    public ModelRegistry(ResultsStore store) {
        this.store = store;
    }

    /** Where a version's files go: per namespace, as two namespaces of one warehouse each number their own versions. */
    public String pathFor(String name, int version) {
        String root = store.config().catalogProperties().getOrDefault("warehouse", store.config().path().toString());
        return root + "/models/" + store.config().namespace() + "/" + name + "/v" + String.format("%04d", version);
    }

    public int nextVersion(String name) {
        Row r = store.read(ResultTables.MODEL_REGISTRY).where(col("name").equalTo(name))
                .agg(org.apache.spark.sql.functions.max("version")).first();
        return r.isNullAt(0) ? 1 : r.getInt(0) + 1;
    }

    /**
     * The newest active version trained only on days before {@code date}: a backfill of an old date never scores
     * with a model that has seen that date or later ones.
     */
    public Entry newest(String name, LocalDate date) {
        List<Row> rows = store.read(ResultTables.MODEL_REGISTRY)
                .where(col("name").equalTo(name).and(col("status").equalTo("active"))
                        .and(col("training_to").lt(org.apache.spark.sql.functions.lit(date.toString()).cast("date"))))
                .orderBy(col("version").desc()).limit(1).collectAsList();
        return rows.isEmpty() ? null : entry(rows.get(0));
    }

    public Entry version(String name, int version) {
        List<Row> rows = store.read(ResultTables.MODEL_REGISTRY)
                .where(col("name").equalTo(name).and(col("version").equalTo(version))).collectAsList();
        if (rows.isEmpty()) {
            throw NightshiftException.badInput("model " + name + " has no version " + version
                    + " (see: scripts/nightshift query \"SELECT name, version, trained_at FROM model_registry\")");
        }
        return entry(rows.get(0));
    }

    public void register(String name, int version, LocalDate from, LocalDate to, Map<String, String> params,
                         Map<String, Double> metrics, String path, String modelCard) {
        Row row = RowFactory.create(name, version, Timestamp.from(Instant.now()), Date.valueOf(from), Date.valueOf(to),
                scala.jdk.javaapi.CollectionConverters.asScala(params),
                scala.jdk.javaapi.CollectionConverters.asScala(metrics), path, "active", modelCard);
        store.upsert(ResultTables.MODEL_REGISTRY, store.spark().createDataFrame(List.of(row),
                ResultTables.MODEL_REGISTRY.schema()), List.of("name", "version"));
    }

    private static Entry entry(Row r) {
        return new Entry(r.getAs("name"), r.getAs("version"), r.getAs("trained_at"),
                r.<Date>getAs("training_from").toLocalDate(), r.<Date>getAs("training_to").toLocalDate(),
                r.getAs("path"));
    }
}
