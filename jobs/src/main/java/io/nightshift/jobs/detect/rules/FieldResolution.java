package io.nightshift.jobs.detect.rules;

/**
 * How one field name written in a rule became the field a condition reads: a Sigma rule's {@code CommandLine} or
 * {@code userIdentity.arn} through a field mapping, or through none.
 *
 * @param ruleField the name as the rule writes it
 * @param field     what is read
 * @param mappedBy  the mapping that resolved it ("pipeline aws_cloudtrail", "rules.sigma_field_mapping", "built-in
 *                  Sigma mapping"), or null when no mapping knows the name and it is read from
 *                  {@code attributes['<name>']} as a guess (reported by {@code rules check} and {@code rules show})
 */
public record FieldResolution(String ruleField, FieldRef field, String mappedBy) {
    public boolean mapped() {
        return mappedBy != null;
    }

    /** {@code CommandLine -> attributes.CommandLine (pipeline linux_auditd)}, or {@code ... (no mapping)}. */
    @Override
    public String toString() {
        return ruleField + " -> " + field + " (" + (mappedBy == null ? "no mapping" : mappedBy) + ")";
    }
}
