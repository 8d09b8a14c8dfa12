package io.nightshift.jobs.detect.rules;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A rule's boolean condition over one log row, as data: {@link All}, {@link Any}, {@link Not} and {@link Match}
 * leaves. Nightshift rules and Sigma detections both compile to this tree, and {@link ConditionCompiler} turns it
 * into a Spark {@code Column}; nothing in it is ever text that Spark parses.
 */
public sealed interface Condition {

    /** True when every part is. An empty list is true. */
    record All(List<Condition> parts) implements Condition {
        public All {
            parts = List.copyOf(parts);
        }
    }

    /** True when at least one part is. An empty list is false. */
    record Any(List<Condition> parts) implements Condition {
        public Any {
            parts = List.copyOf(parts);
        }
    }

    record Not(Condition part) implements Condition {
    }

    /**
     * One test on one field. {@code values} are already checked and typed for the field: {@link BigDecimal} for
     * numeric fields and numeric operators, {@link String} otherwise, {@link Boolean} for {@code exists}.
     * {@code ignoreCase} lower-cases both sides of string tests (Sigma's default).
     */
    record Match(FieldRef field, Operator op, List<Object> values, boolean ignoreCase) implements Condition {
        public Match {
            values = List.copyOf(values);
        }

        /**
         * Checks and types raw values (strings, numbers, booleans as YAML gives them) for {@code op} on {@code field}.
         *
         * @throws IllegalArgumentException with a reason naming the field, the operator and the bad value
         */
        public static Match of(FieldRef field, Operator op, List<?> raw, boolean ignoreCase) {
            if (raw.isEmpty()) {
                throw new IllegalArgumentException("operator '" + op.word() + "' on field '" + field + "' needs a value");
            }
            if (raw.size() > 1 && !op.acceptsList()) {
                throw new IllegalArgumentException("operator '" + op.word() + "' on field '" + field
                        + "' takes one value, got a list" + (op == Operator.EQUALS ? " (use 'in' for a list)" : ""));
            }
            List<Object> typed = new ArrayList<>();
            for (Object v : raw) {
                typed.add(typed(field, op, v));
            }
            if (op == Operator.REGEX) {
                for (Object p : typed) {
                    String problem = RegexSyntax.problem((String) p);
                    if (problem != null) {
                        throw new IllegalArgumentException("bad regex for field '" + field + "': " + problem);
                    }
                }
            }
            if (field.timestamp() && op != Operator.EXISTS) {
                throw new IllegalArgumentException("field '" + field + "' is a timestamp; test "
                        + FieldRef.HOUR_OF_DAY + " or " + FieldRef.DAY_OF_WEEK + " instead, or use 'exists'");
            }
            return new Match(field, op, typed, ignoreCase);
        }

        private static Object typed(FieldRef field, Operator op, Object v) {
            if (v == null) {
                throw new IllegalArgumentException("operator '" + op.word() + "' on field '" + field
                        + "' got an empty value (use 'exists: false' to test for a missing value)");
            }
            if (op == Operator.EXISTS) {
                if (v instanceof Boolean b) {
                    return b;
                }
                String s = v.toString().trim();
                if (s.equals("true") || s.equals("false")) {
                    return Boolean.valueOf(s);
                }
                throw new IllegalArgumentException("'exists' on field '" + field + "' takes true or false, got '"
                        + v + "'");
            }
            boolean wantsNumber = op.numeric() || (field.numeric() && (op == Operator.EQUALS || op == Operator.IN));
            if (wantsNumber) {
                try {
                    return new BigDecimal(v.toString().trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("operator '" + op.word() + "' on field '" + field
                            + "' needs a number, got '" + v + "'");
                }
            }
            if (field.numeric()) {
                throw new IllegalArgumentException("operator '" + op.word() + "' is for text, but field '" + field
                        + "' is numeric; use equals, in, gt, gte, lt or lte");
            }
            return v.toString();
        }
    }
}
