package io.nightshift.jobs.lake;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.config.NightshiftConfig.LakeConfig;
import io.nightshift.jobs.schema.CanonicalSchema;

/**
 * Reads one logical date from the Parquet log lake. With Hive-style {@code date=YYYY-MM-DD} folders only that
 * folder is listed and read (partition pruning by construction); without them the whole root is read and filtered
 * on the timestamp. The result is mapped to the canonical schema and split into usable rows and quarantine.
 */
public final class LakeReader {
    static final String SOURCE_FILE = "_source_file";
    static final String RAW_ROW = "_raw";
    static final String RAW_JSON = "_raw_json";
    static final String NANOS_AS_LONG = "spark.sql.legacy.parquet.nanosAsLong";

    private final SparkSession spark;
    private final LakeConfig config;
    private final SchemaMapper mapper;

    public LakeReader(SparkSession spark, LakeConfig config) {
        this.spark = spark;
        this.config = config;
        this.mapper = new SchemaMapper(config.columns(), config.timestampFormat());
    }

    /** False when the lake is partitioned by date and has no folder for {@code date}. */
    public boolean hasDay(LocalDate date) {
        Path root = config.root().hadoopPath();
        FileSystem fs = fileSystem(root);
        if (!exists(fs, root) || !isPartitioned(fs, root)) {
            return exists(fs, root);
        }
        return exists(fs, new Path(root, config.partitionColumn() + "=" + date));
    }

    public LakeInput read(LocalDate date) {
        Path root = config.root().hadoopPath();
        FileSystem fs = fileSystem(root);
        if (!exists(fs, root)) {
            throw NightshiftException.badInput("lake root " + config.root() + " does not exist (set lake.root in the config "
                    + "or pass --lake)");
        }
        // Corrupt files are found by ParquetFileCheck, by name; Spark's own skipping would hide them.
        spark.conf().set("spark.sql.files.ignoreCorruptFiles", "false");
        // Nanosecond timestamps (pyarrow's default unit) are refused by Spark unless read as numbers; SchemaMapper
        // turns epoch nanoseconds into timestamps.
        spark.conf().set(NANOS_AS_LONG, "true");
        boolean partitioned = isPartitioned(fs, root);
        Path folder = partitioned ? new Path(root, config.partitionColumn() + "=" + date) : root;
        if (partitioned && !exists(fs, folder)) {
            return empty(date, List.of());
        }
        ParquetFileCheck.Result checkedFiles;
        try {
            checkedFiles = ParquetFileCheck.check(spark.sparkContext().hadoopConfiguration(),
                    ParquetFileCheck.dataFiles(fs, folder), mapper.lakeColumnTypes(), spark.sessionState().conf());
        } catch (IOException e) {
            throw NightshiftException.badInput("cannot list " + folder + ": " + e.getMessage());
        }
        List<ParquetFileCheck.BadFile> bad = checkedFiles.bad();
        if (!bad.isEmpty() && !config.ignoreCorruptFiles()) {
            throw NightshiftException.badInput(bad.size() + " unusable lake file(s) for " + date + ": " + bad.get(0).file()
                    + ": " + bad.get(0).reason() + (bad.size() > 1 ? " (and " + (bad.size() - 1) + " more)" : "")
                    + ". Set lake.ignore_corrupt_files: true to skip such files and record them in quarantine.");
        }
        if (checkedFiles.good().isEmpty()) {
            return empty(date, bad);
        }
        Dataset<Row> source = spark.read().schema(checkedFiles.schema()).option("basePath", root.toString())
                .parquet(checkedFiles.good().toArray(String[]::new));
        List<String> files = checkedFiles.good();
        String origin = partitioned ? config.root().resolve(config.partitionColumn() + "=" + date).toString()
                : config.root().toString();

        List<Column> raw = new ArrayList<>();
        for (String c : source.columns()) {
            raw.add(col(SchemaMapper.quote(c)));
        }
        Dataset<Row> withMeta = source
                .withColumn(SOURCE_FILE, col("_metadata.file_path"))
                .withColumn(RAW_ROW, struct(raw.toArray(Column[]::new)));
        Dataset<Row> canonical = mapper.toCanonical(withMeta, origin, List.of(SOURCE_FILE, RAW_ROW));
        if (!partitioned) {
            // Rows whose timestamp cannot be placed on any day are kept (and quarantined) with the date's run.
            Column ts = col(CanonicalSchema.TIMESTAMP);
            canonical = canonical.where(ts.isNull().or(to_date(ts).equalTo(lit(date.toString()).cast("date"))));
        }
        canonical = canonical.withColumn(CanonicalSchema.ROW_ID, rowId(source));
        // Keep the raw row (as JSON) only where it is needed: for rows that go to quarantine.
        Dataset<Row> checked = RowValidator.withReason(canonical, date);
        checked = checked
                .withColumn(RAW_JSON, when(col(RowValidator.REASON).isNotNull(), to_json(col(RAW_ROW))))
                .drop(RAW_ROW, SchemaMapper.RAW_TIMESTAMP);
        return new LakeInput(date, checked, files, config.dedupKey() != null, bad);
    }

    private Column rowId(Dataset<Row> source) {
        List<Column> content = new ArrayList<>();
        for (String n : CanonicalSchema.COLUMNS.keySet()) {
            content.add(col(SchemaMapper.quote(n)));
        }
        Column contentHash = sha2(to_json(struct(content.toArray(Column[]::new))), 256);
        if (config.dedupKey() == null) {
            return contentHash;
        }
        if (!Arrays.asList(source.columns()).contains(config.dedupKey())) {
            throw NightshiftException.badInput("lake.dedup_key column '" + config.dedupKey() + "' is missing in "
                    + config.root() + "; columns found: " + Arrays.asList(source.columns()));
        }
        return coalesce(col(RAW_ROW + "." + SchemaMapper.quote(config.dedupKey())).cast("string"), contentHash);
    }

    private LakeInput empty(LocalDate date, List<ParquetFileCheck.BadFile> skipped) {
        StructType schema = CanonicalSchema.struct();
        for (String c : CanonicalSchema.COLUMNS.keySet()) {
            schema = schema.add(SchemaMapper.TYPE_WARNING + c, DataTypes.BooleanType);
        }
        schema = schema
                .add(SOURCE_FILE, DataTypes.StringType)
                .add(RowValidator.REASON, DataTypes.StringType)
                .add(RAW_JSON, DataTypes.StringType);
        return new LakeInput(date, spark.createDataFrame(List.<Row>of(), schema), List.of(), false, skipped);
    }

    private boolean isPartitioned(FileSystem fs, Path root) {
        try {
            String prefix = config.partitionColumn() + "=";
            for (FileStatus s : fs.listStatus(root)) {
                if (s.isDirectory() && s.getPath().getName().startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw NightshiftException.badInput("cannot list lake root " + root + ": " + e.getMessage());
        }
    }

    private FileSystem fileSystem(Path root) {
        try {
            return root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw NightshiftException.badInput("cannot open the file system of lake root " + root + ": "
                    + e.getMessage());
        }
    }

    private static boolean exists(FileSystem fs, Path p) {
        try {
            return fs.exists(p);
        } catch (IOException e) {
            throw NightshiftException.badInput("cannot check " + p + ": " + e.getMessage());
        }
    }
}
