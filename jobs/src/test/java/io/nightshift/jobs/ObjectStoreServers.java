package io.nightshift.jobs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The S3-compatible server and PostgreSQL on 127.0.0.1, as {@code scripts/objectstore-up} starts them: once per test
 * JVM, through the script itself (so the tests run what a person runs), and stopped with {@code
 * scripts/objectstore-down} when the JVM exits if this JVM started them. Servers already up (a person's, or an earlier
 * test JVM's) are used as they are.
 */
public final class ObjectStoreServers {
    private static Map<String, String> settings;

    private ObjectStoreServers() {
    }

    /** The script's settings (NIGHTSHIFT_S3_ENDPOINT, NIGHTSHIFT_JDBC_URI, ...), the servers answering. */
    public static synchronized Map<String, String> up() {
        if (settings != null) {
            return settings;
        }
        boolean wereUp = listening(port("NIGHTSHIFT_S3_PORT", 58080)) && listening(port("NIGHTSHIFT_PG_PORT", 55432));
        String out = run("objectstore-up");
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        if (!wereUp) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> run("objectstore-down")));
        }
        settings = Map.copyOf(values);
        return settings;
    }

    /** The Spark settings that point S3A at the S3 server. */
    public static Map<String, String> s3aSettings() {
        Map<String, String> s = up();
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.hadoop.fs.s3a.endpoint", s.get("NIGHTSHIFT_S3_ENDPOINT"));
        conf.put("spark.hadoop.fs.s3a.endpoint.region", "us-east-1");
        conf.put("spark.hadoop.fs.s3a.path.style.access", "true");
        conf.put("spark.hadoop.fs.s3a.connection.ssl.enabled", "false");
        conf.put("spark.hadoop.fs.s3a.access.key", s.get("NIGHTSHIFT_S3_ACCESS_KEY"));
        conf.put("spark.hadoop.fs.s3a.secret.key", s.get("NIGHTSHIFT_S3_SECRET_KEY"));
        conf.put("spark.hadoop.fs.s3a.aws.credentials.provider",
                "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        return conf;
    }

    /** A Hadoop configuration with {@link #s3aSettings}. */
    public static org.apache.hadoop.conf.Configuration s3aConfiguration() {
        return io.nightshift.jobs.base.DataFiles.hadoopConfiguration(s3aSettings());
    }

    /**
     * Uploads every file under {@code localDir} to the folder {@code target} (an {@code s3a://} URI), each through
     * S3A's output stream. (S3A's copyFromLocalFile goes through the SDK's transfer manager, whose signed file uploads
     * s3proxy rejects with XAmzContentSHA256Mismatch; the streams Spark and Iceberg write with are what matter.)
     */
    public static void upload(java.nio.file.Path localDir, String target) throws IOException {
        org.apache.hadoop.conf.Configuration conf = s3aConfiguration();
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(target);
        org.apache.hadoop.fs.FileSystem fs = root.getFileSystem(conf);
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(localDir)) {
            for (java.nio.file.Path file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                String relative = localDir.relativize(file).toString().replace('\\', '/');
                try (var out = fs.create(new org.apache.hadoop.fs.Path(root, relative), true)) {
                    java.nio.file.Files.copy(file, out);
                }
            }
        }
    }

    private static int port(String variable, int dflt) {
        String v = System.getenv(variable);
        return v == null ? dflt : Integer.parseInt(v);
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String run(String script) {
        try {
            Process p = new ProcessBuilder(TestSpark.repoRoot().resolve("scripts/" + script).toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("scripts/" + script + " failed (exit "
                        + (p.isAlive() ? "none: timed out" : p.exitValue()) + "); its messages are above");
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run scripts/" + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
