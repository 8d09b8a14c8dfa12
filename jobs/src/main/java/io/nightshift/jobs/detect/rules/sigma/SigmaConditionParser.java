package io.nightshift.jobs.detect.rules.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.nightshift.jobs.detect.rules.Condition;
import io.nightshift.jobs.detect.rules.RuleSyntaxException;

/**
 * A recursive-descent parser for Sigma's {@code detection.condition} over already compiled selections:
 * <pre>
 * expr    := and ('or' and)*
 * and     := unary ('and' unary)*
 * unary   := 'not' unary | primary
 * primary := '(' expr ')' | ('1' | 'any' | 'all') 'of' (pattern | 'them') | selection-name
 * </pre>
 * {@code pattern} is a selection name with {@code *} wildcards ({@code selection_*}). Keywords are
 * case-insensitive. Aggregation pipes ({@code | count() by ...}) and {@code near} are reported as unsupported.
 */
final class SigmaConditionParser {
    private static final Pattern TOKEN = Pattern.compile("\\s*(\\(|\\)|\\||[^\\s()|]+)");

    private final Map<String, Condition> selections;
    private final List<String> tokens;
    private final int line;
    private int pos;

    private SigmaConditionParser(String text, Map<String, Condition> selections, int line) {
        this.selections = selections;
        this.tokens = tokenize(text, line);
        this.line = line;
    }

    /**
     * @param selections compiled selections by name, in file order (for {@code all of them})
     * @param line       the condition's line, for messages
     * @throws RuleSyntaxException         when the condition is malformed or names an unknown selection
     * @throws SigmaUnsupportedException   for aggregation pipes and {@code near}
     */
    static Condition parse(String text, Map<String, Condition> selections, int line) {
        SigmaConditionParser p = new SigmaConditionParser(text, selections, line);
        if (p.tokens.isEmpty()) {
            throw new RuleSyntaxException(line, "detection.condition is empty");
        }
        Condition c = p.expr();
        if (p.pos < p.tokens.size()) {
            String t = p.tokens.get(p.pos);
            if (t.equals("|")) {
                throw new SigmaUnsupportedException(line, "aggregation '" + text.substring(text.indexOf('|')).trim()
                        + "' is not supported (use a Nightshift rule with"
                        + " group_by/window/threshold instead)");
            }
            throw new RuleSyntaxException(line, "unexpected '" + t + "' in condition '" + text + "'");
        }
        return c;
    }

    private static List<String> tokenize(String text, int line) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        int at = 0;
        while (at < text.length() && m.find(at) && m.start() == at) {
            out.add(m.group(1));
            at = m.end();
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
        if (at < text.length()) {
            throw new RuleSyntaxException(line, "cannot read condition '" + text + "' at position " + at);
        }
        return out;
    }

    private String peek() {
        return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private boolean accept(String keyword) {
        String t = peek();
        if (t != null && t.equalsIgnoreCase(keyword)) {
            pos++;
            return true;
        }
        return false;
    }

    private Condition expr() {
        List<Condition> parts = new ArrayList<>(List.of(and()));
        while (accept("or")) {
            parts.add(and());
        }
        return parts.size() == 1 ? parts.get(0) : new Condition.Any(parts);
    }

    private Condition and() {
        List<Condition> parts = new ArrayList<>(List.of(unary()));
        while (true) {
            if (accept("and")) {
                parts.add(unary());
            } else if ("near".equalsIgnoreCase(peek())) {
                throw new SigmaUnsupportedException(line, "'near' (temporal correlation) is not supported");
            } else {
                break;
            }
        }
        return parts.size() == 1 ? parts.get(0) : new Condition.All(parts);
    }

    private Condition unary() {
        if (accept("not")) {
            return new Condition.Not(unary());
        }
        return primary();
    }

    private Condition primary() {
        String t = peek();
        if (t == null) {
            throw new RuleSyntaxException(line, "condition ends where a selection name was expected");
        }
        if (t.equals("(")) {
            pos++;
            Condition inner = expr();
            if (!accept(")")) {
                throw new RuleSyntaxException(line, "missing ')' in condition");
            }
            return inner;
        }
        if (t.equals(")") || t.equals("|") || isKeyword(t)) {
            if (t.equals("|")) {
                throw new SigmaUnsupportedException(line, "aggregation pipes are not supported");
            }
            throw new RuleSyntaxException(line, "unexpected '" + t + "' where a selection name was expected");
        }
        pos++;
        if ("of".equalsIgnoreCase(peek())) {
            pos++;
            return quantified(t);
        }
        Condition s = selections.get(t);
        if (s == null) {
            throw new RuleSyntaxException(line, "condition names selection '" + t + "', which detection does not"
                    + " define (defined: " + selections.keySet() + ")");
        }
        return s;
    }

    private Condition quantified(String quantifier) {
        boolean all;
        if (quantifier.equals("1") || quantifier.equalsIgnoreCase("any")) {
            all = false;
        } else if (quantifier.equalsIgnoreCase("all")) {
            all = true;
        } else {
            throw new SigmaUnsupportedException(line, "quantifier '" + quantifier + " of' is not supported (use 1 of,"
                    + " any of or all of)");
        }
        String target = peek();
        if (target == null || target.equals("(") || target.equals(")")) {
            throw new RuleSyntaxException(line, "'" + quantifier + " of' needs a selection pattern or 'them'");
        }
        pos++;
        List<Condition> matched = new ArrayList<>();
        Pattern glob = target.equalsIgnoreCase("them") ? null
                : Pattern.compile(Pattern.quote(target).replace("*", "\\E.*\\Q"));
        selections.forEach((name, c) -> {
            // 'them' leaves out selections named _like_this, as Sigma specifies.
            if (glob == null ? !name.startsWith("_") : glob.matcher(name).matches()) {
                matched.add(c);
            }
        });
        if (matched.isEmpty()) {
            throw new RuleSyntaxException(line, "'" + quantifier + " of " + target + "' matches no selection"
                    + " (defined: " + selections.keySet() + ")");
        }
        return all ? new Condition.All(matched) : new Condition.Any(matched);
    }

    private static boolean isKeyword(String t) {
        return t.equalsIgnoreCase("and") || t.equalsIgnoreCase("or") || t.equalsIgnoreCase("not")
                || t.equalsIgnoreCase("of");
    }
}
