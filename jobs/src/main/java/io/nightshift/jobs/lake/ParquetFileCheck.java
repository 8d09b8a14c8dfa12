package io.nightshift.jobs.lake;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.execution.datasources.parquet.ParquetToSparkSchemaConverter;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

import io.nightshift.jobs.base.Failures;
import io.nightshift.jobs.base.SideBySide;

/**
 * Opens the footer of every data file of a day before Spark reads it, so that a file Spark cannot use (truncated,
 * not Parquet at all, a column type Spark cannot read, or a column whose type differs from the day's expected one)
 * is named — and either fails the run or is skipped and recorded — instead of failing deep inside a Spark task with
 * no file named, or, with Spark's own {@code ignoreCorruptFiles}, vanishing without a trace.
 *
 * <p>A column's expected type, when the day's files disagree on it, is the one that suits the canonical column it
 * is mapped to best ({@link ColumnTypeFit}), then the one most of the day's <em>rows</em> have; never the one most
 * files have, which let a hundred-row file outvote a large one. Footers are a few kilobytes at the end of each file;
 * reading them costs one small read per file.
 */
public final class ParquetFileCheck {
    /**
     * A file that cannot be used, and why.
     *
     * @param rows     its row count from the footer; -1 when the footer could not be read
     * @param readable whether Spark can read the file on its own (its rows can then be kept in quarantine)
     */
    public record BadFile(String file, String reason, long rows, boolean readable) {
    }

    /**
     * The day's data files, split into readable ones and bad ones.
     *
     * @param schema every column of the good files with its expected type, in the order first seen: what Spark
     *               reads them with (left to itself, it takes the schema of one file, and a column that file lacks
     *               would be dropped from every file of the day)
     */
    public record Result(List<String> good, List<BadFile> bad, StructType schema) {
    }

    /** Footers read at once: on an object store each is a round trip, and a day may have hundreds of files. */
    static final int PARALLEL_READS = 16;

    private ParquetFileCheck() {
    }

    /** The data files under {@code dir}: Parquet output, without Spark's and Hadoop's marker and hidden files. */
    public static List<String> dataFiles(FileSystem fs, Path dir) throws IOException {
        List<String> files = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
        while (it.hasNext()) {
            FileStatus s = it.next();
            if (isData(dir, s.getPath())) {
                files.add(s.getPath().toString());
            }
        }
        files.sort(null);
        return files;
    }

    private static boolean isData(Path root, Path file) {
        for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
            String name = p.getName();
            if (name.startsWith("_") && !name.contains("=") || name.startsWith(".")) {
                return false;
            }
        }
        return !file.getName().endsWith(".crc");
    }

    /**
     * @param mapped   lake column → the canonical type of the column it is mapped to, for every mapped column
     * @param sparkSql the settings Spark will read the files with (how it reads nanosecond timestamps, INT96...)
     */
    public static Result check(Configuration conf, List<String> files, Map<String, DataType> mapped, SQLConf sparkSql) {
        List<Footer> readable = new ArrayList<>();
        List<BadFile> bad = new ArrayList<>();
        for (Footer footer : footers(conf, files, sparkSql)) {
            if (footer.problem() == null) {
                readable.add(footer);
            } else {
                bad.add(new BadFile(footer.file(), footer.problem(), footer.rows(), false));
            }
        }
        Map<String, Type> expected = expectedTypes(readable, mapped);
        List<String> good = new ArrayList<>();
        for (Footer footer : readable) {
            String mismatch = null;
            for (var column : footer.columns().entrySet()) {
                String want = describe(expected.get(column.getKey()));
                String have = describe(column.getValue());
                if (!want.equals(have)) {
                    mismatch = "column '" + column.getKey() + "' is " + have + " where the day's expected type is "
                            + want + because(column.getKey(), mapped);
                    break;
                }
            }
            if (mismatch == null) {
                good.add(footer.file());
            } else {
                bad.add(new BadFile(footer.file(), mismatch, footer.rows(), true));
            }
        }
        // Bad files in listing order, as they were found; the verdicts themselves never depend on that order.
        bad.sort(Comparator.comparingInt(b -> files.indexOf(b.file())));
        StructType schema = new ParquetToSparkSchemaConverter(sparkSql).convert(
                new MessageType("day", List.copyOf(expected.values())));
        return new Result(good, bad, schema);
    }

    private static String because(String column, Map<String, DataType> mapped) {
        DataType canonical = mapped.get(column);
        return canonical == null ? " (the type most of the day's rows have)"
                : " (the type that suits the canonical " + canonical.simpleString() + " column it is mapped to)";
    }

    /**
     * Each column's expected type among the readable files: for a mapped column the best {@link ColumnTypeFit}, then
     * the most rows, then the first type name (so the verdict depends on neither listing order nor file count).
     */
    private static Map<String, Type> expectedTypes(List<Footer> footers, Map<String, DataType> mapped) {
        // column -> its types as described -> one such type and the rows of all files that have it
        Map<String, Map<String, Candidate>> candidates = new LinkedHashMap<>();
        for (Footer footer : footers) {
            footer.columns().forEach((name, type) -> candidates.computeIfAbsent(name, k -> new HashMap<>())
                    .merge(describe(type), new Candidate(type, footer.rows()),
                            (a, b) -> new Candidate(a.type(), a.rows() + b.rows())));
        }
        Map<String, Type> expected = new LinkedHashMap<>();
        candidates.forEach((column, types) -> {
            DataType canonical = mapped.get(column);
            Comparator<Map.Entry<String, Candidate>> order = Comparator.comparing(e -> canonical == null
                    ? ColumnTypeFit.NATURAL : ColumnTypeFit.of(e.getValue().type(), canonical));
            order = order.thenComparingLong(e -> e.getValue().rows())
                    .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()));
            expected.put(column, types.entrySet().stream().max(order).orElseThrow().getValue().type());
        });
        return expected;
    }

    private record Candidate(Type type, long rows) {
    }

    /** A file's top-level columns and row count, or why it cannot be read (then the columns are null). */
    private record Footer(String file, Map<String, Type> columns, long rows, String problem) {
    }

    /** Every file's footer, in the order of {@code files}, read by up to {@link #PARALLEL_READS} threads. */
    private static List<Footer> footers(Configuration conf, List<String> files, SQLConf sparkSql) {
        try (SideBySide reads = new SideBySide("nightshift-footer-read", Math.min(PARALLEL_READS, files.size()),
                "reading the lake files' footers")) {
            // footer() turns every failure of a file into its problem; what await rethrows is a bug, not bad input.
            List<Future<Footer>> pending = files.stream().map(f -> reads.submit(() -> footer(conf, f, sparkSql)))
                    .toList();
            return pending.stream().map(reads::await).toList();
        }
    }

    private static Footer footer(Configuration conf, String file, SQLConf sparkSql) {
        MessageType schema;
        long rows;
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file), conf))) {
            schema = reader.getFooter().getFileMetaData().getSchema();
            rows = reader.getRecordCount();
        } catch (IOException | RuntimeException e) {
            return new Footer(file, null, -1,
                    "not a readable Parquet file (" + Failures.oneLine(e) + ")");
        }
        String unreadable = unreadableColumn(schema, sparkSql);
        if (unreadable != null) {
            return new Footer(file, null, rows, unreadable);
        }
        Map<String, Type> columns = new LinkedHashMap<>();
        schema.getFields().forEach(f -> columns.put(f.getName(), f));
        return new Footer(file, columns, rows, null);
    }

    /**
     * Why Spark cannot read a column of the file with these settings (a type it refuses, such as a nanosecond
     * timestamp where it does not read those as numbers), or null when it can read them all. Spark's own message
     * names neither the file nor, for some types, the column.
     */
    private static String unreadableColumn(MessageType schema, SQLConf sparkSql) {
        ParquetToSparkSchemaConverter converter = new ParquetToSparkSchemaConverter(sparkSql);
        try {
            converter.convert(schema);
            return null;
        } catch (Exception whole) {
            // Spark's AnalysisException is checked to Java, and thrown undeclared: catch Exception, not Runtime.
            for (Type field : schema.getFields()) {
                try {
                    converter.convert(new MessageType(schema.getName(), field));
                } catch (Exception e) {
                    return "column '" + field.getName() + "' has type " + describe(field) + ", which Spark cannot read ("
                            + Failures.oneLine(e) + ")";
                }
            }
            return "Spark cannot read its schema (" + Failures.oneLine(whole) + ")";
        }
    }

    static String describe(Type field) {
        return field.isPrimitive()
                ? field.asPrimitiveType().getPrimitiveTypeName()
                  + (field.getLogicalTypeAnnotation() == null ? "" : " (" + field.getLogicalTypeAnnotation() + ")")
                : "group " + field.asGroupType().getFields().stream().map(Type::getName).toList();
    }
}
