package io.nightshift.jobs.store;

import java.util.Set;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.nightshift.jobs.schema.ResultTable;
import io.nightshift.jobs.stage.History;

/**
 * A stage's history read from the warehouse: the tables it declared, nothing else. Each table is read as the
 * warehouse holds it when the night begins (Spark pins an Iceberg table's snapshot when the read is planned, and
 * nothing is published before the last stage), so every stage of a night sees the same earlier nights.
 */
public final class StoredHistory implements History {
    private final ResultsStore store;
    private final String stage;
    private final Set<ResultTable> declared;

    public StoredHistory(ResultsStore store, String stage, Set<ResultTable> declared) {
        this.store = store;
        this.stage = stage;
        this.declared = Set.copyOf(declared);
    }

    @Override
    public Dataset<Row> read(ResultTable table) {
        if (!declared.contains(table)) {
            throw new IllegalStateException("stage " + stage + " reads " + table.name()
                    + " without declaring it in reads()");
        }
        return store.read(table);
    }
}
