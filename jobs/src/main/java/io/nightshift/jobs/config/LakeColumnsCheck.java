package io.nightshift.jobs.config;

import java.util.Map;
import java.util.regex.Pattern;

import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.schema.CanonicalSchema;

/**
 * Validates {@code lake.columns}: each key is a canonical column or {@code attributes.<key>}, each value a lake
 * column or a dotted path into one ({@code userIdentity.arn}). Whether the path exists is known only when a day's
 * files are read (the lake reader names it then).
 */
final class LakeColumnsCheck {
    /** An attribute key a rule can name as {@code attributes.<key>} (the same characters its field syntax takes). */
    private static final Pattern ATTRIBUTE_KEY = Pattern.compile("attributes\\.[A-Za-z0-9_.:@/-]+");

    private LakeColumnsCheck() {
    }

    /** @throws NightshiftException (bad config) naming the key and the value */
    static void check(String origin, Map<String, String> columns) {
        columns.forEach((key, value) -> {
            if (!CanonicalSchema.COLUMNS.containsKey(key) && !ATTRIBUTE_KEY.matcher(key).matches()) {
                throw NightshiftException.badConfig(origin + ": lake.columns maps unknown canonical column '"
                        + key + "'; canonical columns are " + CanonicalSchema.describe()
                        + ", or attributes.<key> for one key of the attributes map (letters, digits and _.:@/-)");
            }
            if (value == null || value.isBlank() || value.startsWith(".") || value.endsWith(".")
                    || value.contains("..")) {
                throw NightshiftException.badConfig(origin + ": lake.columns." + key + ": '" + value
                        + "' is not a lake column or a dotted path into one (e.g. userIdentity.arn)");
            }
        });
    }
}
