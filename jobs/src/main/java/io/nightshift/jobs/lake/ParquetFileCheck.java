package io.nightshift.jobs.lake;

import java.io.IOException;
import java.util.ArrayList;
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

import io.nightshift.jobs.concurrent.SideBySide;

/**
 * Opens the footer of every data file of a day before Spark reads it, so that a corrupt file (truncated, not Parquet
 * at all, or a column whose type differs from the rest of the day) is named — and either fails the run or is skipped
 * and recorded — instead of failing deep inside a Spark task, or, with Spark's own {@code ignoreCorruptFiles},
 * vanishing without a trace.
 *
 * <p>Footers are a few kilobytes at the end of each file; reading them costs one small read per file.
 */
public final class ParquetFileCheck {
    /** A file that cannot be used, and why. */
    public record BadFile(String file, String reason) {
    }

    /** The day's data files, split into readable ones and bad ones. */
    public record Result(List<String> good, List<BadFile> bad) {
    }

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

    public static Result check(Configuration conf, List<String> files) {
        Map<String, Map<String, String>> schemas = new LinkedHashMap<>();
        List<BadFile> bad = new ArrayList<>();
        for (Footer footer : footers(conf, files)) {
            if (footer.problem() == null) {
                schemas.put(footer.file(), footer.columnTypes());
            } else {
                bad.add(new BadFile(footer.file(), footer.problem()));
            }
        }
        // What the day's files mostly agree on is the reference; a file that disagrees on a shared column is the
        // odd one out (a new column alone is fine: it is ignored).
        Map<String, Map<String, Integer>> votes = new HashMap<>();
        schemas.values().forEach(columns -> columns.forEach((name, type) ->
                votes.computeIfAbsent(name, k -> new HashMap<>()).merge(type, 1, Integer::sum)));
        List<String> good = new ArrayList<>();
        for (var e : schemas.entrySet()) {
            String mismatch = null;
            for (var column : e.getValue().entrySet()) {
                String usual = usual(votes.get(column.getKey()));
                if (!usual.equals(column.getValue())) {
                    mismatch = "column '" + column.getKey() + "' is " + column.getValue()
                            + " where the day's other files have " + usual;
                    break;
                }
            }
            if (mismatch == null) {
                good.add(e.getKey());
            } else {
                bad.add(new BadFile(e.getKey(), mismatch));
            }
        }
        return new Result(good, bad);
    }

    /** Footers read at once: on an object store each is a round trip, and a day may have hundreds of files. */
    static final int PARALLEL_READS = 16;

    /** A file's column types, or why it could not be read (then the types are null). */
    private record Footer(String file, Map<String, String> columnTypes, String problem) {
    }

    /** Every file's footer, in the order of {@code files}, read by up to {@link #PARALLEL_READS} threads. */
    private static List<Footer> footers(Configuration conf, List<String> files) {
        try (SideBySide reads = new SideBySide("nightshift-footer-read", Math.min(PARALLEL_READS, files.size()),
                "reading the lake files' footers")) {
            // footer() turns every failure of a file into its problem; what await rethrows is a bug, not bad input.
            List<Future<Footer>> pending = files.stream().map(f -> reads.submit(() -> footer(conf, f))).toList();
            return pending.stream().map(reads::await).toList();
        }
    }

    private static Footer footer(Configuration conf, String file) {
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file), conf))) {
            return new Footer(file, columnTypes(reader.getFooter().getFileMetaData().getSchema()), null);
        } catch (IOException | RuntimeException e) {
            return new Footer(file, null,
                    "not a readable Parquet file (" + io.nightshift.jobs.cli.NightshiftCli.oneLine(e) + ")");
        }
    }

    private static String usual(Map<String, Integer> typeVotes) {
        // Ties go to the alphabetically first type, so the verdict does not depend on listing order.
        return typeVotes.entrySet().stream()
                .max(Map.Entry.<String, Integer>comparingByValue()
                        .thenComparing(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder())))
                .orElseThrow().getKey();
    }

    private static Map<String, String> columnTypes(MessageType schema) {
        Map<String, String> types = new LinkedHashMap<>();
        for (Type field : schema.getFields()) {
            types.put(field.getName(), field.isPrimitive()
                    ? field.asPrimitiveType().getPrimitiveTypeName()
                      + (field.getLogicalTypeAnnotation() == null ? "" : " (" + field.getLogicalTypeAnnotation() + ")")
                    : "group " + field.asGroupType().getFields().stream().map(Type::getName).toList());
        }
        return types;
    }
}
