package io.nightshift.jobs.lake;

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
 * reason (null when usable); {@link #rows()} and {@link #quarantine()} are views of it. Call {@link #cache()} before
 * using both, so the lake is scanned once.
 *
 * @param files     the data files that were read for the date
 * @param dedupKeyed whether rows are de-duplicated on a configured record id
 * @param skippedFiles files left out as unusable ({@code lake.ignore_corrupt_files}); each is one quarantine row
 */
public record LakeInput(LocalDate date, Dataset<Row> checked, List<String> files, boolean dedupKeyed,
                        List<ParquetFileCheck.BadFile> skippedFiles) {

    public LakeInput cache() {
        return new LakeInput(date, checked.persist(StorageLevel.MEMORY_AND_DISK()), files, dedupKeyed, skippedFiles);
    }

    public void release() {
        checked.unpersist();
    }

    /** Usable rows with exactly the {@link CanonicalSchema#struct()} columns, one per record id when keyed. */
    public Dataset<Row> rows() {
        Column[] canonical = Arrays.stream(CanonicalSchema.struct().fieldNames())
                .map(n -> col("`" + n + "`")).toArray(Column[]::new);
        Dataset<Row> good = checked.where(col(RowValidator.REASON).isNull()).select(canonical);
        return dedupKeyed ? good.dropDuplicates(CanonicalSchema.ROW_ID) : good;
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

    public Dataset<Row> usableBeforeDedup() {
        return checked.where(col(RowValidator.REASON).isNull());
    }
}
