package io.nightshift.jobs.incidents;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.nightshift.jobs.base.SparkOrdering;

/**
 * The evidence hashes of {@link EvidenceCollector} computed in plain Java, for {@code evidence verify} to check an
 * incident's few rows without starting Spark. Each must give exactly what the Spark expressions give (a test holds
 * them to it on the same rows):
 * <ul>
 *   <li>a row's hash is {@code sha2(log_json, 256)}: SHA-256 of the text's UTF-8 bytes, in lowercase hex;</li>
 *   <li>the manifest is {@link EvidenceCollector#manifestHashes}: SHA-256 of the {@code row_id:sha256} lines, sorted
 *       by their UTF-8 bytes ({@code array_sort}) and joined by newlines. A line with a null part is left out, as
 *       {@code concat} makes it null and {@code collect_list} drops nulls.</li>
 * </ul>
 */
public final class EvidenceManifest {
    /** One preserved row as the manifest sees it. */
    public record Entry(String rowId, String sha256) {
    }

    private EvidenceManifest() {
    }

    /** SHA-256 of {@code text} as Spark's {@code sha2(text, 256)} gives it; null for null. */
    public static String sha256(String text) {
        if (text == null) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * The manifest hash of an incident's preserved rows; null when it has none (Spark's grouping yields no row for
     * it then).
     */
    public static String manifest(List<Entry> rows) {
        if (rows.isEmpty()) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        for (Entry e : rows) {
            if (e.rowId() != null && e.sha256() != null) {
                lines.add(e.rowId() + ":" + e.sha256());
            }
        }
        lines.sort(SparkOrdering.UTF8_BINARY);
        return sha256(String.join("\n", lines));
    }
}
