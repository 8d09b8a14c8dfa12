package io.nightshift.jobs.lake;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import scala.concurrent.Await;
import scala.concurrent.duration.Duration;

import io.nightshift.jobs.schema.CanonicalSchema;

/**
 * One logical date's input after mapping and validation. {@link #checked()} is every row read with its quarantine
 * reason (null when usable); {@link #rows()} and {@link #quarantine()} are views of it, each reading the lake anew
 * (only the columns it needs); {@link #cachedRows()} is the nightly run's one cached copy of the usable rows.
 *
 * @param files     the data files that were read for the date
 * @param dedupKeyed whether rows are de-duplicated on a configured record id
 * @param skippedFiles files left out as unusable ({@code lake.ignore_corrupt_files}); in quarantine, each with its
 *                   rows when Spark can read it alone, else as one row
 */
public record LakeInput(LocalDate date, Dataset<Row> checked, List<String> files, boolean dedupKeyed,
                        List<ParquetFileCheck.BadFile> skippedFiles) {

    /**
     * Duplicate record ids up to this many are removed with a broadcast join; beyond it (a lake that delivers most
     * records twice) the whole day is de-duplicated by a shuffle.
     */
    static final long BROADCAST_DUPLICATES = 200_000;

    private static final long OBSERVED_WAIT_SECONDS = 60;
    private static final String ID_HASH = "_id_hash";

    /**
     * Usable rows with exactly the {@link CanonicalSchema#struct()} columns, one per record id when keyed.
     *
     * <p>De-duplication first finds the record ids that occur more than once (a shuffle of the ids alone) and only
     * those rows go through {@code dropDuplicates}; the others pass by a broadcast anti-join. Most deliveries are
     * clean, and de-duplicating every row would shuffle and sort the whole day with its messages.
     */
    public Dataset<Row> rows() {
        Dataset<Row> usable = usable();
        return dedupKeyed ? withoutDuplicates(usable) : usable;
    }

    /**
     * The day's usable rows, persisted, and what a pass over every row read had to compute anyway.
     *
     * @param rows     {@link #rows()}, persisted ({@code MEMORY_AND_DISK}), with any columns added before caching;
     *                 the caller unpersists it
     * @param rowCount how many rows it holds
     * @param observed the values of the aggregates passed to {@link #cachedRows(List)}, in their order
     */
    public record CachedDay(Dataset<Row> rows, long rowCount, Row observed) {
    }

    /** {@link #rows()}, persisted and counted; the caller unpersists it. */
    public Dataset<Row> cachedRows() {
        return cachedRows(List.of()).rows();
    }

    /**
     * {@link #rows()}, persisted and counted, with {@code observed} (aggregates over every row of {@link #checked()},
     * quarantined ones included) computed by the same pass that fills the cache: the lake is read and validated once
     * for both. The repeated record ids are looked up in the cached usable rows rather than in the lake.
     */
    public CachedDay cachedRows(List<Column> observed) {
        return cachedRows(observed, UnaryOperator.identity());
    }

    /**
     * {@link #cachedRows(List)} with columns added to the usable rows before they are cached, in the same pass
     * (and before de-duplication, which keeps them).
     *
     * @param beforeCache the usable rows (canonical columns) to the rows to cache: those columns and any added
     */
    public CachedDay cachedRows(List<Column> observed, UnaryOperator<Dataset<Row>> beforeCache) {
        Observation observation = observed.isEmpty() ? null : new Observation("lake_input_" + UUID.randomUUID());
        Dataset<Row> source = observation == null ? checked : checked.observe(observation, observed.get(0),
                observed.subList(1, observed.size()).toArray(Column[]::new));
        Dataset<Row> usable = beforeCache.apply(usable(source)).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> rows = dedupKeyed ? withoutDuplicates(usable) : usable;
        long count;
        if (rows == usable) {
            count = usable.count();
        } else {
            // Computed before the usable rows it reads from are released.
            rows = rows.persist(StorageLevel.MEMORY_AND_DISK());
            count = rows.count();
            usable.unpersist();
        }
        Row values = null;
        if (observation != null) {
            values = awaitObserved(observation);
            if (values == null || values.length() != observed.size()) {
                // Spark reports observed metrics after the action, through its listener bus; should they not come
                // (an action that reused another cache of the same rows) or come empty (seen on a day whose rows
                // were all quarantined), one more pass computes them.
                values = checked.agg(observed.get(0), observed.subList(1, observed.size()).toArray(Column[]::new))
                        .first();
            }
        }
        return new CachedDay(rows, count, values);
    }

    /** The observed values, or null when Spark has not reported them within a minute of the action. */
    private static Row awaitObserved(Observation observation) {
        try {
            return Await.result(observation.future(), Duration.apply(OBSERVED_WAIT_SECONDS, "s"));
        } catch (Exception e) {
            if (e instanceof TimeoutException) {
                return null;
            }
            throw new IllegalStateException("observing the lake input failed: " + e.getMessage(), e);
        }
    }

    private Dataset<Row> usable() {
        return usable(checked);
    }

    private static Dataset<Row> usable(Dataset<Row> checked) {
        return checked.where(col(RowValidator.REASON).isNull()).select(CanonicalSchema.columns());
    }

    /**
     * {@code good} itself when no record id repeats. The repeats are looked for by the ids' 64-bit hashes: a hash
     * aggregation over fixed-width keys, far cheaper than one over every id string of the day. A repeated hash is a
     * repeated id or, rarely, two ids that collide; the rows of either go through the exact de-duplication by id,
     * so a collision costs a little time and never a row.
     */
    private Dataset<Row> withoutDuplicates(Dataset<Row> good) {
        Column idHash = when(col(CanonicalSchema.ROW_ID).isNotNull(), xxhash64(col(CanonicalSchema.ROW_ID)));
        Dataset<Row> repeatedHashes = good.select(idHash.as(ID_HASH)).where(col(ID_HASH).isNotNull())
                .groupBy(ID_HASH).count().where(col("count").gt(1)).select(ID_HASH);
        // Counted first, in one job over all of the aggregation's partitions, and a day without repeats (the usual
        // one) ends here; collecting with a limit read those partitions one job after another, a core idle.
        long repeats = repeatedHashes.count();
        if (repeats == 0) {
            return good;
        }
        if (repeats > BROADCAST_DUPLICATES) {
            return good.dropDuplicates(CanonicalSchema.ROW_ID);
        }
        List<Row> repeated = repeatedHashes.collectAsList();
        Dataset<Row> hashes = checked.sparkSession().createDataFrame(repeated,
                new StructType().add(ID_HASH, DataTypes.LongType, false));
        Column sameHash = idHash.equalTo(hashes.col(ID_HASH));
        return good.join(broadcast(hashes), sameHash, "left_anti").unionByName(
                good.join(broadcast(hashes), sameHash, "left_semi").dropDuplicates(CanonicalSchema.ROW_ID));
    }

    /**
     * Canonical column → how its values were converted from the lake's ({@link SchemaMapper#CONVERSION}), for the
     * columns that needed a conversion.
     */
    public java.util.Map<String, String> conversions() {
        return SchemaMapper.conversions(checked.schema());
    }

    /** Unusable rows in the {@code quarantine} table's shape (without its date column). */
    public Dataset<Row> quarantine() {
        return quarantine(-1);
    }

    /**
     * {@link #quarantine()} when the pass that filled the cache already counted the unusable rows: with none, the
     * lake is not read again only to find that out (a whole pass over the day's files on a clean night).
     *
     * @param unusableRows rows the validation rejected, as counted over this input; negative when unknown
     */
    public Dataset<Row> quarantine(long unusableRows) {
        Dataset<Row> rows = checked.where(col(RowValidator.REASON).isNotNull()).select(
                col(CanonicalSchema.ROW_ID).as("row_id"),
                col(RowValidator.REASON).as("reason"),
                col(LakeReader.SOURCE_FILE).as("source_file"),
                col(LakeReader.RAW_JSON).as("raw_json"));
        if (unusableRows == 0) {
            rows = checked.sparkSession().createDataFrame(List.of(), rows.schema());
        }
        if (skippedFiles.isEmpty()) {
            return rows;
        }
        // A file Spark can read alone keeps every row in quarantine, as it was; one it cannot read is one row.
        List<Row> unreadable = skippedFiles.stream().filter(f -> !f.readable())
                .map(f -> RowFactory.create("file:" + f.file(), "unusable file: " + f.reason(), f.file(), null))
                .toList();
        Dataset<Row> all = rows.unionByName(checked.sparkSession().createDataFrame(unreadable, rows.schema()));
        for (ParquetFileCheck.BadFile f : skippedFiles) {
            if (f.readable()) {
                all = all.unionByName(rowsOf(f));
            }
        }
        return all;
    }

    /** A skipped file's rows in the quarantine's shape: each row whole, as JSON, with the file's reason. */
    private Dataset<Row> rowsOf(ParquetFileCheck.BadFile file) {
        Dataset<Row> rows = checked.sparkSession().read().parquet(file.file());
        Column whole = to_json(struct(java.util.Arrays.stream(rows.columns())
                .map(c -> col("`" + c.replace("`", "``") + "`")).toArray(Column[]::new)));
        return rows.select(sha2(whole, 256).as("row_id"), lit("unusable file: " + file.reason()).as("reason"),
                col("_metadata.file_path").as("source_file"), whole.as("raw_json"));
    }

    /** Rows of the files left out, as their footers count them (a file whose footer is unreadable counts none). */
    public long skippedRows() {
        return skippedFiles.stream().mapToLong(f -> Math.max(0, f.rows())).sum();
    }
}
