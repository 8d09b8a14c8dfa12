package io.nightshift.jobs.base;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Where data lives: a local folder or file, or a URI of any file system Hadoop knows ({@code hdfs://},
 * {@code s3a://}, {@code abfss://}, {@code gs://}, ...). Every configured data location is one of these, so an
 * object-store URI is never squeezed through {@link java.nio.file.Path} (which turns {@code s3a://b/lake} into
 * {@code s3a:/b/lake}).
 *
 * <p>A local location is kept as an absolute, normalised path without a scheme ({@code file:} URIs become one), so
 * what is printed and stored is what a person typed; a remote one is kept as its URI, without a trailing slash.
 * Credentials inside a URI ({@code s3a://KEY:SECRET@bucket}) are refused: they would be printed and stored.
 *
 * @param value the absolute local path, or the URI
 */
public record Location(String value) {
    private static final java.util.regex.Pattern URI_FORM = java.util.regex.Pattern.compile(
            "^[a-zA-Z][a-zA-Z0-9+.-]*:(//.*|/.*)");
    /** Stores without an atomic rename or create-if-absent in Hadoop's view of them. */
    private static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "s3n", "gs", "abfs", "abfss", "wasb",
            "wasbs", "oss", "cos", "cosn", "obs");

    public Location {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a location cannot be empty");
        }
    }

    /**
     * Reads a configured location: a URI stays a URI, {@code file:} URIs and plain paths become absolute local paths
     * (relative ones against {@code base}).
     *
     * @throws IllegalArgumentException when the text is not a valid URI or holds credentials; the message says why
     */
    public static Location of(String text, Path base) {
        String v = text.trim();
        // "C:\x" (a Windows drive) is no URI, and a one-letter scheme is one; two letters at least are a scheme.
        if (URI_FORM.matcher(v).matches() && v.indexOf(':') > 1) {
            URI uri;
            try {
                uri = new URI(v);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("'" + v + "' is not a valid URI: " + e.getReason());
            }
            // abfss://container@account... names a container before '@'; user:secret@ is a credential.
            if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
                throw new IllegalArgumentException("the location holds credentials before '@'; give them in the "
                        + "Hadoop settings instead (spark.hadoop.fs.s3a.access.key and the like, an instance role or "
                        + "the environment), where they are never printed");
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("file")) {
                return local(Path.of(uri.getPath()));
            }
            String s = v.length() > scheme.length() + 3 && v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
            return new Location(scheme + s.substring(scheme.length()));
        }
        Path p = Path.of(v);
        return local(p.isAbsolute() ? p : base.resolve(p));
    }

    public static Location local(Path path) {
        return new Location(path.toAbsolutePath().normalize().toString());
    }

    /** {@code file} for a local location, else the URI's scheme in lower case. */
    public String scheme() {
        int colon = value.indexOf(':');
        return isLocal() ? "file" : value.substring(0, colon);
    }

    public boolean isLocal() {
        return !URI_FORM.matcher(value).matches() || value.indexOf(':') <= 1;
    }

    /**
     * Whether the location is on an object store (S3, GCS, Azure storage, ...): no atomic rename, and a file created
     * "if absent" may not be.
     */
    public boolean onObjectStore() {
        return OBJECT_STORES.contains(scheme());
    }

    /** The local path; only for a local location. */
    public Path localPath() {
        if (!isLocal()) {
            throw new IllegalStateException(value + " is not a local path");
        }
        return Path.of(value);
    }

    /** A location inside this one; {@code relative} uses {@code /} between its parts. */
    public Location resolve(String relative) {
        if (isLocal()) {
            return local(localPath().resolve(relative));
        }
        return new Location(value + "/" + relative);
    }

    /** The last part of the location's path. */
    public String name() {
        int slash = value.lastIndexOf('/');
        return slash < 0 ? value : value.substring(slash + 1);
    }

    /**
     * The location in the form Hadoop's file systems and Spark's readers take. A local one is qualified with
     * {@code file:}: on a cluster whose default file system is HDFS, a plain path would otherwise mean HDFS.
     */
    public org.apache.hadoop.fs.Path hadoopPath() {
        return isLocal() ? new org.apache.hadoop.fs.Path(localPath().toUri()) : new org.apache.hadoop.fs.Path(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
