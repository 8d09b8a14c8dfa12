package io.nightshift.jobs.lake;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.storage.StorageLevel;

/**
 * One logical date's input after mapping and validation. {@link #checked()} is every row read with its quarantine
 * reason (null when usable); {@link #rows()} and {@link #quarantine()} are views of it, each reading the lake anew
 * (only the columns it needs); {@link #cachedRows()} is the nightly run's one cached copy of the usable rows.
 *
 * @param files     the data files that were read for the date
 * @param dedupKeyed whether rows are de-duplicated on a configured record id
 * @param skippedFiles files left out as unusable ({@code lake.ignore_corrupt_files}); each is one quarantine row
 */
public record LakeInput(LocalDate date, Dataset<Row> checked, List<String> files, boolean dedupKeyed,
                        List<ParquetFileCheck.BadFile> skippedFiles) {

    /**
     * Duplicate record ids up to this many are removed with a broadcast join; beyond it (a lake that delivers most
     * records twice) the whole day is de-duplicated by a shuffle.
     */
    static final long BROADCAST_DUPLICATES = 200_000;

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
     * {@link #rows()}, persisted ({@code MEMORY_AND_DISK}); the caller unpersists it. The repeated record
     * ids are looked up in the cached usable rows rather than in the lake, so the files are read once, not twice.
     */
    public Dataset<Row> cachedRows() {
        Dataset<Row> usable = usable().persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> rows = dedupKeyed ? withoutDuplicates(usable) : usable;
        if (rows == usable) {
            return usable;
        }
        // Computed before the usable rows it reads from are released.
        Dataset<Row> cached = rows.persist(StorageLevel.MEMORY_AND_DISK());
        cached.count();
        usable.unpersist();
        return cached;
    }

    private Dataset<Row> usable() {
        Column[] canonical = Arrays.stream(CanonicalSchema.struct().fieldNames())
                .map(n -> col("`" + n + "`")).toArray(Column[]::new);
        return checked.where(col(RowValidator.REASON).isNull()).select(canonical);
    }

    /** {@code good} itself when no record id repeats. */
    private Dataset<Row> withoutDuplicates(Dataset<Row> good) {
        List<Row> repeated = good.groupBy(CanonicalSchema.ROW_ID).count().where(col("count").gt(1))
                .select(CanonicalSchema.ROW_ID).limit((int) BROADCAST_DUPLICATES + 1).collectAsList();
        if (repeated.isEmpty()) {
            return good;
        }
        if (repeated.size() > BROADCAST_DUPLICATES) {
            return good.dropDuplicates(CanonicalSchema.ROW_ID);
        }
        Dataset<Row> ids = checked.sparkSession().createDataFrame(repeated,
                good.select(CanonicalSchema.ROW_ID).schema());
        Column sameId = good.col(CanonicalSchema.ROW_ID).equalTo(ids.col(CanonicalSchema.ROW_ID));
        return good.join(broadcast(ids), sameId, "left_anti").unionByName(good.join(broadcast(ids), sameId, "left_semi")
                .dropDuplicates(CanonicalSchema.ROW_ID));
    }

    /** Unusable rows in the {@code quarantine} table's shape (without its date column). */
    public Dataset<Row> quarantine() {
        Dataset<Row> rows = checked.where(col(RowValidator.REASON).isNotNull()).select(
                col(CanonicalSchema.ROW_ID).as("row_id"),
                col(RowValidator.REASON).as("reason"),
                col(LakeReader.SOURCE_FILE).as("source_file"),
                col(LakeReader.RAW_JSON).as("raw_json"));
        if (skippedFiles.isEmpty()) {
            return rows;
        }
        List<Row> files = skippedFiles.stream()
                .map(f -> RowFactory.create("file:" + f.file(), "unusable file: " + f.reason(), f.file(), null))
                .toList();
        return rows.unionByName(checked.sparkSession().createDataFrame(files, rows.schema()));
    }
}
