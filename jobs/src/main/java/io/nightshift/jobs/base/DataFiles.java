package io.nightshift.jobs.base;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Small files at a {@link Location} (reference data, indicator feeds, reports, notifications), read and written
 * through Hadoop's {@link FileSystem}, so each works the same on a local disk, HDFS or an object store. Credentials
 * come from the Hadoop configuration (the {@code spark.hadoop.*} settings, an instance role, the environment).
 */
public final class DataFiles {
    private static final String SPARK_HADOOP_PREFIX = "spark.hadoop.";

    private DataFiles() {
    }

    /**
     * A Hadoop configuration from Spark settings, for commands that run without Spark: their
     * {@code spark.hadoop.*} entries apply as they do in Spark.
     */
    public static Configuration hadoopConfiguration(Map<String, String> sparkSettings) {
        Configuration hadoop = new Configuration();
        applyHadoopSettings(sparkSettings, hadoop);
        return hadoop;
    }

    /** Sets the {@code spark.hadoop.*} entries of {@code sparkSettings} on {@code hadoop}, without the prefix. */
    public static void applyHadoopSettings(Map<String, String> sparkSettings, Configuration hadoop) {
        sparkSettings.forEach((k, v) -> {
            if (k.startsWith(SPARK_HADOOP_PREFIX)) {
                hadoop.set(k.substring(SPARK_HADOOP_PREFIX.length()), v);
            }
        });
    }

    public static boolean exists(Location location, Configuration hadoop) {
        try {
            return fileSystem(location, hadoop).exists(location.hadoopPath());
        } catch (IOException e) {
            throw failure("cannot check", location, e);
        }
    }

    public static boolean isDirectory(Location location, Configuration hadoop) {
        try {
            return fileSystem(location, hadoop).getFileStatus(location.hadoopPath()).isDirectory();
        } catch (FileNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw failure("cannot check", location, e);
        }
    }

    /** Every file under {@code dir}, however deep, in name order; hidden ones ({@code .x}, {@code _x}) left out. */
    public static List<Location> filesUnder(Location dir, Configuration hadoop) {
        List<Location> files = new ArrayList<>();
        try {
            FileSystem fs = fileSystem(dir, hadoop);
            Path root = fs.makeQualified(dir.hadoopPath());
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
            while (it.hasNext()) {
                FileStatus s = it.next();
                if (!hidden(root, s.getPath())) {
                    String relative = root.toUri().relativize(s.getPath().toUri()).getPath();
                    files.add(dir.resolve(relative));
                }
            }
        } catch (IOException e) {
            throw failure("cannot list", dir, e);
        }
        files.sort(Comparator.comparing(Location::value));
        return files;
    }

    public static String readString(Location file, Configuration hadoop) {
        try (InputStream in = fileSystem(file, hadoop).open(file.hadoopPath())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw failure("cannot read", file, e);
        }
    }

    /**
     * Writes {@code text} so that a reader sees the old file or the whole new one, never a part: on a local disk
     * and HDFS through a temporary file renamed into place; on an object store by one upload, which stores become
     * visible whole.
     */
    public static void writeString(Location file, String text, Configuration hadoop) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (file.isLocal()) {
            writeLocal(file.localPath(), bytes);
            return;
        }
        try {
            FileSystem fs = fileSystem(file, hadoop);
            Path target = file.hadoopPath();
            if (file.onObjectStore()) {
                try (OutputStream out = fs.create(target, true)) {
                    out.write(bytes);
                }
                return;
            }
            fs.mkdirs(target.getParent());
            Path tmp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
            try {
                try (OutputStream out = fs.create(tmp, false)) {
                    out.write(bytes);
                }
                fs.delete(target, false);
                if (!fs.rename(tmp, target)) {
                    throw new IOException("rename of " + tmp + " failed");
                }
            } finally {
                fs.delete(tmp, false);
            }
        } catch (IOException e) {
            throw failure("cannot write", file, e);
        }
    }

    private static void writeLocal(java.nio.file.Path target, byte[] bytes) {
        try {
            java.nio.file.Files.createDirectories(target.getParent());
            // A sibling, so the move is a rename; created like any file (umask, where createTempFile would make it
            // owner-only), so readers can open it.
            java.nio.file.Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID()
                    + ".tmp");
            try {
                java.nio.file.Files.write(tmp, bytes);
                try {
                    java.nio.file.Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                    java.nio.file.Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                java.nio.file.Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw failure("cannot write", Location.local(target), e);
        }
    }

    private static boolean hidden(Path root, Path file) {
        for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
            if (p.getName().startsWith(".") || p.getName().startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    private static FileSystem fileSystem(Location location, Configuration hadoop) throws IOException {
        return location.hadoopPath().getFileSystem(hadoop);
    }

    private static UncheckedIOException failure(String what, Location location, IOException e) {
        return new UncheckedIOException(what + " " + location + ": " + e.getMessage(), e);
    }
}
