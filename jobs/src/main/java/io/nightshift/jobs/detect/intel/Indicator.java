package io.nightshift.jobs.detect.intel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;

/**
 * One threat-intelligence indicator, normalised.
 *
 * @param id         STIX id, or {@code type:} + a hash of type and value for CSV feeds (stable across files and runs)
 * @param value      normalised with {@link IndicatorType#normalize}
 * @param source     feed name (CSV {@code source} column; STIX creator identity name or file name)
 * @param confidence 0–100
 * @param validFrom  first day it applies (null: always)
 * @param expiry     last day it applies, inclusive (null: no expiry)
 * @param origin     {@code file:line} it came from, for analysts
 */
public record Indicator(String id, IndicatorType type, String value, String source, int confidence,
                        LocalDate validFrom, LocalDate expiry, String origin) {

    /** True when the indicator applies on {@code date}: started and not expired. */
    public boolean activeOn(LocalDate date) {
        return (validFrom == null || !validFrom.isAfter(date)) && (expiry == null || !expiry.isBefore(date));
    }

    /** The id a CSV indicator gets: {@code ip:3f9a...} (16 hex of SHA-256 over type and normalised value). */
    public static String derivedId(IndicatorType type, String normalizedValue) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((type.word() + "|" + normalizedValue).getBytes(StandardCharsets.UTF_8));
            return type.word() + ":" + HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
