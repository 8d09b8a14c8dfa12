package io.nightshift.jobs.detect.rules;

import java.util.stream.Collectors;

/**
 * A {@link Condition} as one line a person reads ({@code rules show}): every leaf with its field, test and values as
 * they are compiled, so a Sigma rule's meaning after wildcards, modifiers and field mapping can be checked by eye.
 * <pre>
 * (action = 'ConsoleLogin' [any case] AND (attributes.errorCode = 'success' [any case] OR attributes.errorCode is missing))
 * </pre>
 */
public final class ConditionText {
    private ConditionText() {
    }

    public static String of(Condition c) {
        if (c instanceof Condition.All all) {
            return all.parts().size() == 1 ? of(all.parts().get(0)) : all.parts().isEmpty() ? "TRUE"
                    : all.parts().stream().map(ConditionText::of).collect(Collectors.joining(" AND ", "(", ")"));
        }
        if (c instanceof Condition.Any any) {
            return any.parts().size() == 1 ? of(any.parts().get(0)) : any.parts().isEmpty() ? "FALSE"
                    : any.parts().stream().map(ConditionText::of).collect(Collectors.joining(" OR ", "(", ")"));
        }
        if (c instanceof Condition.Not not) {
            return "NOT " + of(not.part());
        }
        Condition.Match m = (Condition.Match) c;
        if (m.op() == Operator.EXISTS) {
            return m.field() + ((Boolean) m.values().get(0) ? " exists" : " is missing");
        }
        String values = m.values().stream().map(ConditionText::literal).collect(Collectors.joining(", "));
        String test = switch (m.op()) {
            case EQUALS -> "=";
            case IN -> "in";
            case REGEX -> "matches regex";
            case GT -> ">";
            case GTE -> ">=";
            case LT -> "<";
            case LTE -> "<=";
            default -> m.op().word();
        };
        boolean list = m.values().size() > 1;
        boolean text = !(m.values().get(0) instanceof java.math.BigDecimal);
        return m.field() + " " + test + " " + (list ? "[" + values + "]" : values)
                + (m.ignoreCase() && text ? " [any case]" : "");
    }

    private static String literal(Object v) {
        return v instanceof String s ? "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"
                : String.valueOf(v);
    }
}
