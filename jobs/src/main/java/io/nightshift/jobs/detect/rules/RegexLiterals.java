package io.nightshift.jobs.detect.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The literals a regular expression cannot match without: a small set of strings such that every match of the
 * pattern contains at least one of them. A rule's pattern then runs only on rows whose text contains one, which a
 * byte search decides far faster than the regular expression's search from every position (the same idea as the
 * prefilters of RE2 and of trigram code search, kept to whole literals).
 *
 * <p>The analysis is exact for the constructs it knows (literals, escapes, groups, alternation, quantifiers, small
 * classes of single characters, anchors and word boundaries) and gives up, returning nothing, on anything else
 * (look-arounds, back-references, Unicode classes, inline flags other than a leading {@code (?i)}, {@code (?s)} or
 * {@code (?m)}): no prefilter is always safe. With {@code ignoreCase} the literals are lower-cased and are meant to
 * be looked for in the lower-cased text; Java's case-insensitive matching folds ASCII letters only, so a pattern
 * with a non-ASCII literal gets no prefilter then.
 */
final class RegexLiterals {
    /** Shorter literals filter too little to pay for the extra search. */
    static final int MIN_LENGTH = 3;
    private static final int MAX_STRINGS = 32;
    private static final int MAX_STRING_LENGTH = 64;
    private static final int MAX_CLASS_SIZE = 8;

    private RegexLiterals() {
    }

    /**
     * Strings every match contains one of.
     *
     * @param strings the literals, each at least {@link #MIN_LENGTH} long
     * @param folded  whether the match is case-insensitive (by the caller's flag or a leading {@code (?i)}): the
     *                strings are then lower-cased and must be looked for with ASCII letters folded
     */
    record Literals(Set<String> strings, boolean folded) {
    }

    /**
     * The literals every match of {@code pattern} (compiled as given, or with {@code (?i)} in front when
     * {@code ignoreCase}) contains one of; empty when there is no such set this analysis can prove.
     */
    static Optional<Literals> required(String pattern, boolean ignoreCase) {
        Parser parser = new Parser(pattern, ignoreCase);
        Info root;
        try {
            root = parser.parse();
        } catch (Unsupported e) {
            return Optional.empty();
        }
        Set<String> required = root.requirement();
        if (required == null) {
            return Optional.empty();
        }
        Set<String> minimal = minimal(required);
        boolean useful = minimal.stream().allMatch(s -> s.length() >= MIN_LENGTH);
        return useful ? Optional.of(new Literals(minimal, parser.ignoreCase)) : Optional.empty();
    }

    /** Drops every string that contains another member: a text holding the longer one holds the shorter. */
    private static Set<String> minimal(Set<String> strings) {
        List<String> byLength = new ArrayList<>(strings);
        byLength.sort(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
        Set<String> kept = new LinkedHashSet<>();
        for (String s : byLength) {
            if (kept.stream().noneMatch(s::contains)) {
                kept.add(s);
            }
        }
        return kept;
    }

    /** Thrown for a construct the analysis does not model; the pattern then gets no prefilter. */
    private static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported() {
            super(null, null, false, false);
        }
    }

    /**
     * What is known of a sub-pattern: {@code exact}, every string it can match (null when too many or unknown), and
     * {@code required}, strings one of which each of its matches contains (null when none is known).
     */
    private record Info(Set<String> exact, Set<String> required) {
        static final Info ANY = new Info(null, null);
        static final Info EMPTY = new Info(Set.of(""), null);

        static Info literal(String s) {
            return new Info(Set.of(s), null);
        }

        /** The strings one of which every match contains, or null; an empty string among them proves nothing. */
        Set<String> requirement() {
            return exact != null ? requirementOf(exact) : required;
        }
    }

    /** The more selective of two requirements: the longer shortest string, then the fewer strings. */
    private static Set<String> better(Set<String> a, Set<String> b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        int shortestA = a.stream().mapToInt(String::length).min().orElse(0);
        int shortestB = b.stream().mapToInt(String::length).min().orElse(0);
        if (shortestA != shortestB) {
            return shortestA > shortestB ? a : b;
        }
        return a.size() <= b.size() ? a : b;
    }

    private static Set<String> requirementOf(Set<String> exact) {
        return exact.contains("") ? null : exact;
    }

    /** Every concatenation of one string of {@code a} and one of {@code b}, or null past the size limits. */
    private static Set<String> cross(Set<String> a, Set<String> b) {
        if ((long) a.size() * b.size() > MAX_STRINGS) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String x : a) {
            for (String y : b) {
                if (x.length() + y.length() > MAX_STRING_LENGTH) {
                    return null;
                }
                out.add(x + y);
            }
        }
        return out;
    }

    private static Info concat(List<Info> items) {
        Set<String> run = Set.of("");
        boolean allExact = true;
        Set<String> best = null;
        for (Info item : items) {
            if (item.exact() != null) {
                Set<String> joined = cross(run, item.exact());
                if (joined != null) {
                    run = joined;
                    continue;
                }
                best = better(best, requirementOf(run));
                run = item.exact();
            } else {
                best = better(best, requirementOf(run));
                best = better(best, item.required());
                run = Set.of("");
            }
            allExact = false;
        }
        if (allExact) {
            return new Info(run, null);
        }
        return new Info(null, better(best, requirementOf(run)));
    }

    private static Info alternation(List<Info> alternatives) {
        if (alternatives.size() == 1) {
            return alternatives.get(0);
        }
        Set<String> exact = new LinkedHashSet<>();
        Set<String> required = new LinkedHashSet<>();
        for (Info alternative : alternatives) {
            if (exact != null && alternative.exact() != null) {
                exact.addAll(alternative.exact());
            } else {
                exact = null;
            }
            Set<String> r = alternative.requirement();
            if (required != null && r != null) {
                required.addAll(r);
            } else {
                required = null;
            }
        }
        if (exact != null && exact.size() <= MAX_STRINGS) {
            return new Info(exact, null);
        }
        return new Info(null, required != null && required.size() <= MAX_STRINGS ? required : null);
    }

    private static Info repeat(Info item, int min, int max) {
        if (max == 0) {
            return Info.EMPTY;
        }
        if (min == 0) {
            if (max == 1 && item.exact() != null) {
                Set<String> optional = new LinkedHashSet<>(item.exact());
                optional.add("");
                return new Info(optional, null);
            }
            return Info.ANY;
        }
        if (min == 1 && max == 1) {
            return item;
        }
        return new Info(null, item.requirement());
    }

    /** Recursive descent over the subset of {@link java.util.regex.Pattern} syntax described above. */
    private static final class Parser {
        private final String p;
        private boolean ignoreCase;
        private int i;

        Parser(String pattern, boolean ignoreCase) {
            this.p = pattern;
            this.ignoreCase = ignoreCase;
        }

        Info parse() throws Unsupported {
            leadingFlags();
            Info root = alternation();
            if (i != p.length()) {
                throw new Unsupported();
            }
            return root;
        }

        /** Flags at the very start apply to the whole pattern; {@code (?i)} turns on case folding. */
        private void leadingFlags() throws Unsupported {
            while (p.startsWith("(?", i) && i + 2 < p.length() && p.charAt(i + 2) != ':') {
                int close = p.indexOf(')', i);
                if (close < 0) {
                    throw new Unsupported();
                }
                for (char f : p.substring(i + 2, close).toCharArray()) {
                    switch (f) {
                        case 'i' -> ignoreCase = true;
                        case 's', 'm', 'd' -> {
                            // dot-all, multi-line and Unix lines change what '.', '^' and '$' match, never a literal
                        }
                        default -> throw new Unsupported();
                    }
                }
                i = close + 1;
            }
        }

        private Info alternation() throws Unsupported {
            List<Info> alternatives = new ArrayList<>();
            alternatives.add(sequence());
            while (i < p.length() && p.charAt(i) == '|') {
                i++;
                alternatives.add(sequence());
            }
            return RegexLiterals.alternation(alternatives);
        }

        private Info sequence() throws Unsupported {
            List<Info> items = new ArrayList<>();
            while (i < p.length() && p.charAt(i) != '|' && p.charAt(i) != ')') {
                items.add(quantified(atom()));
            }
            return concat(items);
        }

        private Info quantified(Info atom) throws Unsupported {
            if (i >= p.length()) {
                return atom;
            }
            int min;
            int max;
            char c = p.charAt(i);
            if (c == '*') {
                min = 0;
                max = Integer.MAX_VALUE;
                i++;
            } else if (c == '+') {
                min = 1;
                max = Integer.MAX_VALUE;
                i++;
            } else if (c == '?') {
                min = 0;
                max = 1;
                i++;
            } else if (c == '{') {
                int close = p.indexOf('}', i);
                if (close < 0) {
                    throw new Unsupported();
                }
                String[] bounds = p.substring(i + 1, close).split(",", -1);
                try {
                    min = Integer.parseInt(bounds[0]);
                    max = bounds.length == 1 ? min
                            : bounds[1].isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(bounds[1]);
                } catch (NumberFormatException e) {
                    throw new Unsupported();
                }
                if (bounds.length > 2) {
                    throw new Unsupported();
                }
                i = close + 1;
            } else {
                return atom;
            }
            if (i < p.length() && (p.charAt(i) == '?' || p.charAt(i) == '+')) {
                i++; // lazy or possessive: the same strings match
            }
            return repeat(atom, min, max);
        }

        private Info atom() throws Unsupported {
            char c = p.charAt(i++);
            switch (c) {
                case '(' -> {
                    if (p.startsWith("?", i)) {
                        if (!p.startsWith("?:", i)) {
                            throw new Unsupported();
                        }
                        i += 2;
                    }
                    Info inner = alternation();
                    if (i >= p.length() || p.charAt(i) != ')') {
                        throw new Unsupported();
                    }
                    i++;
                    return inner;
                }
                case '[' -> {
                    return characterClass();
                }
                case '.' -> {
                    return Info.ANY;
                }
                case '^', '$' -> {
                    return Info.EMPTY;
                }
                case '\\' -> {
                    return escape();
                }
                case '*', '+', '?', '{' -> throw new Unsupported();
                default -> {
                    return Info.literal(String.valueOf(literal(c)));
                }
            }
        }

        private Info escape() throws Unsupported {
            if (i >= p.length()) {
                throw new Unsupported();
            }
            char e = p.charAt(i++);
            switch (e) {
                case 'b', 'B', 'A', 'z', 'Z', 'G' -> {
                    return Info.EMPTY;
                }
                case 'd', 'D', 's', 'S', 'w', 'W', 'h', 'H', 'v', 'V', 'R', 'X' -> {
                    return Info.ANY;
                }
                case 'Q' -> {
                    int end = p.indexOf("\\E", i);
                    String quoted = p.substring(i, end < 0 ? p.length() : end);
                    i = end < 0 ? p.length() : end + 2;
                    StringBuilder s = new StringBuilder();
                    for (char q : quoted.toCharArray()) {
                        s.append(literal(q));
                    }
                    return Info.literal(s.toString());
                }
                case 't' -> {
                    return Info.literal("\t");
                }
                case 'n' -> {
                    return Info.literal("\n");
                }
                case 'r' -> {
                    return Info.literal("\r");
                }
                default -> {
                    if (Character.isLetterOrDigit(e)) {
                        throw new Unsupported(); // back-references; Unicode, hex, control and octal escapes
                    }
                    return Info.literal(String.valueOf(literal(e)));
                }
            }
        }

        /** A class of a few single characters is their alternation; ranges, negations and escaped classes are any. */
        private Info characterClass() throws Unsupported {
            boolean negated = p.startsWith("^", i);
            if (negated) {
                i++;
            }
            if (p.startsWith("]", i)) {
                throw new Unsupported();
            }
            Set<String> members = new LinkedHashSet<>();
            boolean known = !negated;
            while (true) {
                if (i >= p.length()) {
                    throw new Unsupported();
                }
                char c = p.charAt(i++);
                if (c == ']') {
                    break;
                }
                if (c == '[' || (c == '&' && p.startsWith("&", i))) {
                    throw new Unsupported(); // nested classes, unions and intersections
                }
                char member;
                if (c == '\\') {
                    if (i >= p.length()) {
                        throw new Unsupported();
                    }
                    char e = p.charAt(i++);
                    if ("dDsSwWhHvV".indexOf(e) >= 0) {
                        known = false;
                        continue;
                    }
                    if (Character.isLetterOrDigit(e)) {
                        throw new Unsupported();
                    }
                    member = e;
                } else {
                    member = c;
                }
                if (p.startsWith("-", i) && i + 1 < p.length() && p.charAt(i + 1) != ']') {
                    known = false; // a range
                    i++;
                    if (p.charAt(i) == '\\') {
                        i++;
                    }
                    i++;
                    continue;
                }
                members.add(String.valueOf(known ? literal(member) : member));
            }
            if (!known || members.isEmpty() || members.size() > MAX_CLASS_SIZE) {
                return Info.ANY;
            }
            return new Info(members, null);
        }

        /** A literal character as the lower-cased text holds it under case folding. */
        private char literal(char c) throws Unsupported {
            if (!ignoreCase) {
                return c;
            }
            if (c > 127) {
                throw new Unsupported();
            }
            return Character.toLowerCase(c);
        }
    }
}
