package io.nightshift.jobs.store;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.types.StructField;

import io.nightshift.jobs.config.NightshiftConfig.WarehouseConfig;
import io.nightshift.jobs.schema.ResultTable;
import io.nightshift.jobs.schema.ResultTables;

/**
 * The Iceberg results store: creates tables on first use from {@link ResultTables} and writes them idempotently.
 * A per-date write replaces exactly that date's rows in one Iceberg commit, so a rerun leaves the same rows and a
 * reader never sees half a write.
 */
public final class ResultsStore {
    private final SparkSession spark;
    private final WarehouseConfig config;
    private final CommitRetry retry;

    public ResultsStore(SparkSession spark, WarehouseConfig config) {
        this.spark = spark;
        this.config = config;
        this.retry = new CommitRetry(spark, this::fullName);
    }

    /** Spark settings that register the catalog; they must be in place before the session starts. */
    public static Map<String, String> sparkConf(WarehouseConfig config) {
        Map<String, String> conf = new LinkedHashMap<>();
        String prefix = "spark.sql.catalog." + config.catalog();
        conf.put("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
        conf.put(prefix, "org.apache.iceberg.spark.SparkCatalog");
        WarehouseTables.catalogProperties(config).forEach((k, v) -> conf.put(prefix + "." + k, v));
        conf.put("spark.sql.defaultCatalog", config.catalog());
        return conf;
    }

    public SparkSession spark() {
        return spark;
    }

    public WarehouseConfig config() {
        return config;
    }

    public String fullName(ResultTable table) {
        return config.table(table.name());
    }

    /** Creates the namespace and every known table that does not exist yet, and makes plain names resolve. */
    public void ensureAll() {
        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + config.catalog() + "." + config.namespace());
        for (ResultTable t : ResultTables.all()) {
            ensure(t);
        }
        spark.sql("USE " + config.catalog() + "." + config.namespace());
    }

    public void ensure(ResultTable table) {
        String ddl = "CREATE TABLE IF NOT EXISTS " + fullName(table) + " (" + table.schema().toDDL() + ") USING iceberg"
                + (table.partitionedByDate() ? " PARTITIONED BY (date)" : "")
                + " TBLPROPERTIES ('format-version'='2', 'write.parquet.compression-codec'='zstd',"
                + " 'commit.retry.num-retries'='10')";
        spark.sql(ddl);
        addMissingColumns(table);
    }

    /**
     * Schema evolution for a warehouse written by an older version: columns a table definition gained since are
     * added (nullable, so the rows written before read as null), in one metadata commit; no data is rewritten.
     */
    private void addMissingColumns(ResultTable table) {
        List<String> existing = Arrays.asList(spark.table(fullName(table)).columns());
        List<String> missing = new ArrayList<>();
        for (StructField f : table.schema().fields()) {
            if (existing.contains(f.name())) {
                continue;
            }
            if (!f.nullable()) {
                throw new IllegalStateException("table " + fullName(table) + " lacks the required column '" + f.name()
                        + "' and a required column cannot be added to existing rows; recreate the table");
            }
            missing.add(f.toDDL());
        }
        if (!missing.isEmpty()) {
            spark.sql("ALTER TABLE " + fullName(table) + " ADD COLUMNS (" + String.join(", ", missing) + ")");
        }
    }

    public Dataset<Row> read(ResultTable table) {
        return spark.table(fullName(table));
    }

    /** Rows of {@code table} for dates in [from, to]. */
    public Dataset<Row> readDates(ResultTable table, LocalDate from, LocalDate to) {
        return read(table).where(col("date").between(lit(from.toString()).cast("date"), lit(to.toString()).cast("date")));
    }

    /**
     * Replaces all rows of {@code date} in a date-partitioned table with {@code rows} (which need not carry the
     * {@code date} column), in one commit. An empty {@code rows} deletes the date's rows.
     */
    public void replaceDate(ResultTable table, LocalDate date, Dataset<Row> rows) {
        if (!table.partitionedByDate()) {
            throw new IllegalArgumentException(table.name() + " is not partitioned by date");
        }
        Column day = lit(date.toString()).cast("date");
        Dataset<Row> withDate = rows.withColumn("date", day);
        try {
            conform(withDate, table).writeTo(fullName(table)).overwrite(col("date").equalTo(day));
        } catch (NoSuchTableException e) {
            throw missing(table, e);
        }
    }

    private IllegalStateException missing(ResultTable table, NoSuchTableException e) {
        return new IllegalStateException("table " + fullName(table) + " does not exist; ensureAll() creates it", e);
    }

    /**
     * Replaces the rows of several dates at once (rows carry their {@code date}); one commit. Used to fill history
     * for many days in one pass.
     */
    public void replaceDates(ResultTable table, List<LocalDate> dates, Dataset<Row> rows) {
        Column in = col("date").isin(dates.stream().map(java.sql.Date::valueOf).toArray());
        try {
            conform(rows, table).writeTo(fullName(table)).overwrite(in);
        } catch (NoSuchTableException e) {
            throw missing(table, e);
        }
    }

    /**
     * Appends rows (for append-only tables, or rows whose keys are known to be new, such as a run's first
     * {@code job_runs} row); retried when another writer's commit got in first.
     */
    public void append(ResultTable table, Dataset<Row> rows) {
        retry.run(table, () -> {
            try {
                conform(rows, table).writeTo(fullName(table)).append();
            } catch (NoSuchTableException e) {
                throw missing(table, e);
            }
        });
    }

    /**
     * A MERGE of {@code rows} into {@code table} with a caller's ON condition and clauses ({@code t} is the table,
     * {@code s} the rows), retried on conflicting commits: for conditional updates such as "move the status only if
     * it is still what the analyst saw".
     */
    public void mergeWhere(ResultTable table, Dataset<Row> rows, String on, String clauses) {
        String view = uniqueView("nightshift_cond_" + table.name());
        retry.run(table, () -> {
            rows.createOrReplaceTempView(view);
            spark.sql("MERGE INTO " + fullName(table) + " t USING " + view + " s ON " + on + " " + clauses);
            spark.catalog().dropTempView(view);
        });
    }

    /** Drops cached metadata of {@code table}, so the next read sees other writers' commits. */
    public void refresh(ResultTable table) {
        spark.sql("REFRESH TABLE " + fullName(table));
    }

    /** Temp views are per session; a unique name keeps two threads writing through one session apart. */
    private static String uniqueView(String prefix) {
        return prefix + "_" + VIEWS.incrementAndGet();
    }

    private static final java.util.concurrent.atomic.AtomicLong VIEWS = new java.util.concurrent.atomic.AtomicLong();

    /** Commits this store retried because another writer (an analyst, the nightly run) committed first. */
    public long conflictRetries() {
        return retry.retries();
    }

    /**
     * Inserts or replaces rows matched on {@code keys}, in one MERGE commit (for small tables keyed by an id, such as
     * job_runs; row-level updates are what MERGE is for).
     */
    public void upsert(ResultTable table, Dataset<Row> rows, List<String> keys) {
        if (table.preserved().isEmpty()) {
            merge(table, rows, keys, "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *");
            return;
        }
        List<String> sets = new ArrayList<>();
        for (String c : table.schema().fieldNames()) {
            if (!keys.contains(c) && !table.preserved().contains(c)) {
                sets.add("t.`" + c + "` = s.`" + c + "`");
            }
        }
        merge(table, rows, keys, "WHEN MATCHED THEN UPDATE SET " + String.join(", ", sets)
                + " WHEN NOT MATCHED THEN INSERT *");
    }

    /**
     * Updates only {@code columns} of the rows matched on {@code keys} (rows carry the keys and those
     * columns; unmatched rows are ignored), and only where {@code condition} holds: a SQL condition over the
     * table's row {@code t} and the update's row {@code s}, checked against the snapshot the commit lands on. A
     * status that another writer moved in the meantime can so be protected (a notification another process
     * delivered stays delivered).
     */
    public void updateColumnsWhere(ResultTable table, Dataset<Row> rows, List<String> keys, List<String> columns,
                                   String condition) {
        List<String> sets = new ArrayList<>();
        for (String c : columns) {
            sets.add("t.`" + c + "` = s.`" + c + "`");
        }
        mergeWhere(table, rows, onKeys(keys), "WHEN MATCHED AND (" + condition + ") THEN UPDATE SET "
                + String.join(", ", sets));
    }

    private static String onKeys(List<String> keys) {
        List<String> on = new ArrayList<>();
        for (String k : keys) {
            on.add("t.`" + k + "` = s.`" + k + "`");
        }
        return String.join(" AND ", on);
    }

    /** Inserts the rows whose keys are not in the table yet, in one MERGE commit; existing rows stay untouched. */
    public void insertNew(ResultTable table, Dataset<Row> rows, List<String> keys) {
        merge(table, rows, keys, "WHEN NOT MATCHED THEN INSERT *");
    }

    /** One MERGE commit of {@code rows} into {@code table} on equal {@code keys}, with the given clauses. */
    private void merge(ResultTable table, Dataset<Row> rows, List<String> keys, String clauses) {
        mergeWhere(table, conform(rows, table), onKeys(keys), clauses);
    }

    /**
     * Selects the table's columns in its order with its types; a missing nullable column becomes null, a missing
     * required one is a programming error named here rather than deep inside Iceberg.
     */
    static Dataset<Row> conform(Dataset<Row> rows, ResultTable table) {
        List<String> present = Arrays.asList(rows.columns());
        List<Column> cols = new ArrayList<>();
        for (StructField f : table.schema().fields()) {
            if (present.contains(f.name())) {
                cols.add(col("`" + f.name() + "`").cast(f.dataType()).as(f.name()));
            } else if (f.nullable()) {
                cols.add(lit(null).cast(f.dataType()).as(f.name()));
            } else {
                throw new IllegalStateException("rows for table " + table.name() + " lack required column '"
                        + f.name() + "'; they have " + present);
            }
        }
        return rows.select(cols.toArray(Column[]::new));
    }
}
