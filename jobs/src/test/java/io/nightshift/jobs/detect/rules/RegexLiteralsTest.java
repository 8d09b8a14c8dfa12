package io.nightshift.jobs.detect.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import com.google.re2j.Pattern;

import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.detect.rules.load.RuleStarterPackTest;

/**
 * The literals a pattern needs: what the analysis proves for known shapes, that it proves nothing for constructs it
 * does not model, and, for every pattern of the shipped rules, that no text a pattern matches lacks all of them
 * (checked on generated texts built from the pattern's own words, odd case and separators included).
 */
class RegexLiteralsTest {

    /** The reference: the pattern found in the text by RE2/J alone, with no literal prefilter (null for null). */
    private static Column re2Find(Column text, String pattern) {
        Pattern compiled = Pattern.compile(pattern);
        return org.apache.spark.sql.functions.udf(
                (org.apache.spark.sql.api.java.UDF1<String, Boolean>) t -> t == null ? null
                        : compiled.matcher(t).find(), org.apache.spark.sql.types.DataTypes.BooleanType).apply(text);
    }

    private static Optional<Set<String>> ci(String pattern) {
        return literals(pattern, true);
    }

    private static Optional<Set<String>> literals(String pattern, boolean ignoreCase) {
        return RegexLiterals.required(pattern, ignoreCase).map(RegexLiterals.Literals::strings);
    }

    @Test
    void literalRunsAlternativesAndOptionalPartsBecomeTheStringsAMatchMustContain() {
        assertThat(ci("^Failed password for ")).contains(Set.of("failed password for "));
        // a longer alternative containing a shorter one adds nothing
        assertThat(ci("\\b(admin|administrator|superuser)\\b")).contains(Set.of("admin", "superuser"));
        assertThat(ci("audit[ -]?log(ging)?\\s+(was\\s+|has been\\s+)?(disabled|stopped|turned off)"
                + "|disabled?\\s+audit[ -]?log")).contains(Set.of("auditlog", "audit log", "audit-log"));
        assertThat(literals("\\bsudo\\s+-l\\b", false)).contains(Set.of("sudo"));
        assertThat(literals("(?s)^\\Q/var/www/\\E.*\\Q.PHP\\E$", true))
                .contains(Set.of("/var/www/"));
        assertThat(literals("Error\\.[Cc]ode{2,}", false)).contains(Set.of("Error.Cod", "Error.cod"));
        assertThat(literals("(?i)TOKEN=", false)).contains(Set.of("token="));
        assertThat(RegexLiterals.required("(?i)TOKEN=", false).orElseThrow().folded()).isTrue();
        assertThat(RegexLiterals.required("TOKEN=", false).orElseThrow().folded()).isFalse();
    }

    @Test
    void provesNothingWhenSomeMatchNeedsNoLongLiteral() {
        assertThat(ci("a|.*")).isEmpty();
        assertThat(ci("(login)?\\d+")).isEmpty();
        assertThat(ci("ab\\s+cd")).isEmpty(); // literals under three characters filter too little
        assertThat(ci("[a-z]+ failed")).contains(Set.of(" failed"));
        assertThat(ci("x*")).isEmpty();
    }

    @Test
    void givesUpOnConstructsItDoesNotModel() {
        assertThat(ci("(?=password)pass")).isEmpty();
        assertThat(ci("(token)=\\1")).isEmpty();
        assertThat(ci("\\p{Lu}sername")).isEmpty();
        assertThat(ci("user(?i:name)")).isEmpty();
        assertThat(ci("(?u)straße")).isEmpty();
        // Java folds only ASCII letters without UNICODE_CASE; lower() would fold this one
        assertThat(ci("ÉCHEC de connexion")).isEmpty();
        assertThat(literals("ÉCHEC de connexion", false)).contains(Set.of("ÉCHEC de connexion"));
        assertThat(ci("[[a-c]&&[b]]admin")).isEmpty();
    }

    /** Every regular expression of the shipped starter pack, with whether it matches case-insensitively. */
    private static List<Condition.Match> packPatterns() {
        List<Condition.Match> out = new ArrayList<>();
        for (Rule r : RuleStarterPackTest.pack().rules()) {
            collect(r.condition(), out);
            if (r.threshold() != null) {
                collect(r.threshold().countWhere(), out);
                collect(r.threshold().followedBy(), out);
            }
        }
        return out;
    }

    private static void collect(Condition c, List<Condition.Match> out) {
        if (c instanceof Condition.All all) {
            all.parts().forEach(p -> collect(p, out));
        } else if (c instanceof Condition.Any any) {
            any.parts().forEach(p -> collect(p, out));
        } else if (c instanceof Condition.Not not) {
            collect(not.part(), out);
        } else if (c instanceof Condition.Match m && m.op() == Operator.REGEX) {
            out.add(m);
        }
    }

    /**
     * Texts around random expansions of the pattern (a random alternative, repeat count and class member each time,
     * random case), with random prefixes and suffixes, and unrelated texts: most match, some only nearly.
     */
    private static List<String> texts(String pattern, Random random, int count) {
        List<String> out = new ArrayList<>();
        String[] noise = {"", "x", "user alice ", "the ", "a-b ", "Admin ", "log", "\t", "ok. "};
        for (int n = 0; n < count; n++) {
            StringBuilder s = new StringBuilder();
            if (random.nextInt(3) > 0) {
                s.append(noise[random.nextInt(noise.length)]);
            }
            new Expander(pattern, random).expandInto(s);
            s.append(noise[random.nextInt(noise.length)]);
            out.add(s.toString());
        }
        return out;
    }

    /** A random walk through a pattern (this test's own reading of regex syntax, independent of the analysis). */
    private static final class Expander {
        private final String p;
        private final Random random;
        private int i;

        Expander(String pattern, Random random) {
            this.p = pattern.replace("(?s)", "").replace("(?i)", "");
            this.random = random;
        }

        void expandInto(StringBuilder out) {
            alternation(out);
        }

        private void alternation(StringBuilder out) {
            List<StringBuilder> alternatives = new ArrayList<>();
            do {
                StringBuilder alternative = new StringBuilder();
                while (i < p.length() && p.charAt(i) != '|' && p.charAt(i) != ')') {
                    atom(alternative);
                }
                alternatives.add(alternative);
            } while (i < p.length() && p.charAt(i) == '|' && ++i > 0);
            out.append(alternatives.get(random.nextInt(alternatives.size())));
        }

        private void atom(StringBuilder out) {
            int begin = i;
            StringBuilder one = new StringBuilder();
            char c = p.charAt(i++);
            if (c == '(') {
                if (p.startsWith("?:", i)) {
                    i += 2;
                }
                alternation(one);
                i++;
            } else if (c == '[') {
                List<Character> members = new ArrayList<>();
                while (p.charAt(i) != ']') {
                    char m = p.charAt(i++);
                    members.add(m == '\\' ? p.charAt(i++) : m);
                }
                i++;
                one.append(members.get(random.nextInt(members.size())));
            } else if (c == '\\') {
                char e = p.charAt(i++);
                switch (e) {
                    case 's' -> one.append(random.nextBoolean() ? " " : "\t");
                    case 'd' -> one.append(random.nextInt(10));
                    case 'w' -> one.append('q');
                    case 'b', 'B' -> { }
                    case 'Q' -> {
                        int end = p.indexOf("\\E", i);
                        one.append(p, i, end);
                        i = end + 2;
                    }
                    default -> one.append(e);
                }
            } else if (c == '.') {
                one.append(random.nextBoolean() ? " " : " z ");
            } else if (c != '^' && c != '$') {
                one.append(c);
            }
            int repeats = 1;
            if (i < p.length() && "?*+{".indexOf(p.charAt(i)) >= 0) {
                char q = p.charAt(i++);
                if (q == '{') {
                    String[] bounds = p.substring(i, p.indexOf('}', i)).split(",", -1);
                    i = p.indexOf('}', i) + 1;
                    repeats = Integer.parseInt(bounds[0]) + random.nextInt(2);
                } else {
                    repeats = q == '+' ? 1 + random.nextInt(2) : random.nextInt(q == '?' ? 2 : 3);
                }
            }
            for (int r = 0; r < repeats; r++) {
                String text = one.toString();
                out.append(switch (random.nextInt(3)) {
                    case 0 -> text.toUpperCase(Locale.ROOT);
                    default -> text;
                });
            }
            assertThat(i).as("expander stuck at %d in %s", begin, p).isGreaterThan(begin);
        }
    }

    @Test
    void noTextAShippedPatternMatchesLacksItsLiterals() {
        Random random = new Random(20261127L);
        int withLiterals = 0;
        for (Condition.Match m : packPatterns()) {
            String pattern = (String) m.values().get(0);
            Optional<RegexLiterals.Literals> found = RegexLiterals.required(pattern, m.ignoreCase());
            Optional<Set<String>> literals = found.map(RegexLiterals.Literals::strings);
            if (literals.isEmpty()) {
                continue;
            }
            withLiterals++;
            Pattern compiled = Pattern.compile(m.ignoreCase() ? "(?i)" + pattern : pattern);
            int matched = 0;
            for (String text : texts(pattern, random, 20_000)) {
                if (compiled.matcher(text).find()) {
                    matched++;
                    String haystack = found.get().folded() ? text.toLowerCase(Locale.ROOT) : text;
                    assertThat(literals.get().stream().anyMatch(haystack::contains))
                            .as("'%s' matches %s but holds none of %s", text, pattern, literals.get()).isTrue();
                }
            }
            assertThat(matched).as("generated texts matching %s", pattern).isPositive();
        }
        assertThat(withLiterals).as("shipped patterns with a prefilter").isGreaterThanOrEqualTo(8);
    }

    @Test
    void compiledConditionsSelectTheSameRowsAsThePatternAlone() {
        SparkSession spark = TestSpark.session();
        Random random = new Random(7L);
        List<Condition.Match> patterns = packPatterns();
        List<String> texts = new ArrayList<>();
        for (Condition.Match m : patterns) {
            texts.addAll(texts((String) m.values().get(0), random, 300));
        }
        texts.add("İ ADMİN created a new ADMIN user"); // non-ASCII letters next to the literals
        Dataset<Row> frame = spark.createDataset(texts, Encoders.STRING()).toDF("message").cache();
        FieldRef message = FieldRef.column("message");
        for (Condition.Match m : patterns) {
            String pattern = (String) m.values().get(0);
            Column compiled = ConditionCompiler.compile(Condition.Match.of(message, Operator.REGEX, List.of(pattern),
                    m.ignoreCase()));
            Column plain = re2Find(message.column(), m.ignoreCase() ? "(?i)" + pattern : pattern);
            long differing = frame.filter(compiled.equalTo(plain).unary_$bang()).count();
            assertThat(differing).as(pattern).isZero();
            assertThat(frame.filter(plain).count()).as(pattern).isPositive();
        }
        frame.unpersist();

        // A rule that does not ask for case folding but whose pattern starts with (?i) still folds.
        Dataset<Row> tokens = spark.createDataset(List.of("TOKEN=abc", "token=x", "Token = y"), Encoders.STRING())
                .toDF("message");
        Column inline = ConditionCompiler.compile(Condition.Match.of(message, Operator.REGEX, List.of("(?i)TOKEN="),
                false));
        assertThat(tokens.filter(inline).count()).isEqualTo(2);
    }

    @Test
    void anAnyOfPatternsOnOneFieldSelectsWhatTheirRlikesSelect() {
        SparkSession spark = TestSpark.session();
        Random random = new Random(11L);
        List<Condition.Match> patterns = packPatterns();
        List<String> texts = new ArrayList<>(List.of("TOKEN=abc", "Secret 42", "build 7x", "nothing here"));
        for (Condition.Match m : patterns) {
            texts.addAll(texts((String) m.values().get(0), random, 100));
        }
        Dataset<Row> frame = spark.createDataset(texts, Encoders.STRING()).toDF("message").cache();
        FieldRef message = FieldRef.column("message");
        for (boolean ignoreCase : List.of(true, false)) {
            // every shipped pattern in one 'any' (merged into one test of all of them), then with patterns whose
            // literals are searched differently ((?i) inside) or that have none (no prefilter for the merged test)
            List<Condition> leaves = new ArrayList<>();
            List<String> all = new ArrayList<>();
            for (Condition.Match m : patterns) {
                leaves.add(Condition.Match.of(message, Operator.REGEX, m.values(), ignoreCase));
                all.add((String) m.values().get(0));
            }
            for (List<String> extra : List.of(List.<String>of(), List.of("(?i)TOKEN="), List.of("\\d+x"))) {
                List<Condition> parts = new ArrayList<>(leaves);
                parts.add(Condition.Match.of(message, Operator.EQUALS, List.of("nothing here"), false));
                List<String> expected = new ArrayList<>(all);
                if (!extra.isEmpty()) {
                    parts.add(Condition.Match.of(message, Operator.REGEX, extra, ignoreCase));
                    expected.addAll(extra);
                }
                Column merged = ConditionCompiler.compile(new Condition.Any(parts));
                Column plain = expected.stream().map(p -> re2Find(message.column(), ignoreCase ? "(?i)" + p : p))
                        .reduce(Column::or).orElseThrow().or(message.column().equalTo("nothing here"));
                long differing = frame.filter(merged.equalTo(plain).unary_$bang()).count();
                assertThat(differing).as("%s, case %s", extra, ignoreCase ? "folded" : "kept").isZero();
                // the generated texts match in any case; the case-keeping patterns match their lower-case ones
                assertThat(frame.filter(merged).count()).isGreaterThan(ignoreCase ? texts.size() / 2 : 20);
            }
        }
        frame.unpersist();
    }

    /**
     * Tests of every kind a scan holds: each shipped pattern with and without case folding, patterns whose literals
     * are searched with case kept or that have none, and case-insensitive substrings (ASCII; with a value beginning
     * with a non-ASCII letter the compiler keeps Spark's lower()).
     */
    private static List<TextMatch> scanTests() {
        List<TextMatch> tests = new ArrayList<>();
        for (Condition.Match m : packPatterns()) {
            tests.add(TextMatch.regex(List.of((String) m.values().get(0)), true));
            tests.add(TextMatch.regex(List.of((String) m.values().get(0)), false));
        }
        tests.add(TextMatch.regex(List.of("(?i)TOKEN="), false));
        tests.add(TextMatch.regex(List.of("\\d+x"), true));
        tests.add(TextMatch.regex(List.of("Secret \\d+", "(?i)TOKEN="), false));
        tests.add(TextMatch.containsAnyIgnoringCase(List.of("cat /etc/shadow", "CAT /etc/passwd", "sudo")));
        tests.add(TextMatch.containsAnyIgnoringCase(List.of("key")));
        tests.add(TextMatch.containsAnyIgnoringCase(List.of("n", "ad")));
        tests.add(TextMatch.containsAnyIgnoringCase(List.of("/cmd.jsp", "?cmd=", "&cmd=")));
        return tests;
    }

    private static List<String> scanTexts(Random random) {
        List<String> texts = new ArrayList<>(List.of("", "TOKEN=abc", "Secret 42", "build 7x", "cat /ETC/shadow now",
                "\u212Aey rotated", "KEY rotated", "İ ADMİN created a new ADMIN user", "GET /x?CMD=ls", "sudo -l",
                "Failed password for root", "ÉCHEC sudo"));
        for (Condition.Match m : packPatterns()) {
            texts.addAll(texts((String) m.values().get(0), random, 60));
        }
        return texts;
    }

    @Test
    void oneScanOfAFieldGivesEveryTestItsOwnOutcome() {
        List<TextMatch> tests = scanTests();
        assertThat(tests).hasSizeLessThanOrEqualTo(TextScan.MAX_TESTS).hasSizeGreaterThan(20);
        TextScan scan = new TextScan(tests);
        int matches = 0;
        for (String text : scanTexts(new Random(5L))) {
            long bits = scan.call(text);
            for (int i = 0; i < tests.size(); i++) {
                boolean alone = tests.get(i).call(text);
                assertThat((bits & (1L << i)) != 0).as("test %d on '%s'", i, text).isEqualTo(alone);
                matches += alone ? 1 : 0;
            }
        }
        assertThat(matches).isGreaterThan(500);
        assertThat(scan.call(null)).isNull();
    }

    @Test
    void conditionsCompiledWithSharedScansSelectWhatTheyDoAlone() {
        SparkSession spark = TestSpark.session();
        List<String> texts = scanTexts(new Random(9L));
        texts.add(null);
        Dataset<Row> frame = spark.createDataset(texts, Encoders.STRING()).toDF("message")
                .withColumn("user", org.apache.spark.sql.functions.upper(org.apache.spark.sql.functions.col("message")))
                .cache();
        FieldRef message = FieldRef.column("message");
        FieldRef other = FieldRef.column("user");
        // conditions testing two fields, more tests on one field than one scan holds, tests repeated
        List<Condition> conditions = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (Condition.Match m : packPatterns()) {
                FieldRef field = round == 1 ? other : message;
                conditions.add(Condition.Match.of(field, Operator.REGEX, m.values(), round % 2 == 0));
                conditions.add(new Condition.Not(Condition.Match.of(field, Operator.CONTAINS, List.of("admin", "key"),
                        true)));
            }
        }
        assertThat(conditions.size()).isGreaterThan(TextScan.MAX_TESTS);
        TextScans scans = new TextScans();
        List<Column> shared = new ArrayList<>();
        List<Column> alone = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            shared.add(ConditionCompiler.compile(conditions.get(i), scans).as("s" + i));
            alone.add(ConditionCompiler.compile(conditions.get(i)).as("a" + i));
        }
        assertThat(scans.columns()).hasSizeGreaterThanOrEqualTo(3);
        List<Column> all = new ArrayList<>(shared);
        all.addAll(alone);
        List<Row> rows = frame.withColumns(scans.columns()).select(all.toArray(Column[]::new)).collectAsList();
        int trues = 0;
        for (Row r : rows) {
            for (int i = 0; i < conditions.size(); i++) {
                assertThat(r.getBoolean(i)).as("condition %d", i).isEqualTo(r.getBoolean(conditions.size() + i));
                trues += r.getBoolean(i) ? 1 : 0;
            }
        }
        assertThat(trues).isGreaterThan(rows.size());
        frame.unpersist();
    }

    @Test
    void caseInsensitiveContainsAgreesWithSparksLowerAndNullStaysNull() {
        SparkSession spark = TestSpark.session();
        List<String> texts = new ArrayList<>(List.of("cat /ETC/shadow now", "Cat /etc/Passwd", "concatenate",
                "\u212Aey rotated", "KEY rotated", "İSTANBUL login", "istanbul", "cat  /etc/shadow", ""));
        texts.add(null);
        Dataset<Row> frame = spark.createDataset(texts, Encoders.STRING()).toDF("message");
        FieldRef message = FieldRef.column("message");
        for (List<String> values : List.of(List.of("cat /etc/shadow", "CAT /etc/passwd"), List.of("key"),
                List.of("i̇stanbul"), List.of("cat"), List.of("n", "cat /etc/passwd"), List.of("w", "ke"))) {
            Column compiled = ConditionCompiler.compile(Condition.Match.of(message, Operator.CONTAINS, values, true));
            Column lowered = values.stream().map(v -> org.apache.spark.sql.functions.lower(message.column())
                    .contains(v.toLowerCase(Locale.ROOT))).reduce(Column::or).orElseThrow();
            List<Row> rows = frame.select(message.column(), compiled.as("compiled"),
                    org.apache.spark.sql.functions.coalesce(lowered, org.apache.spark.sql.functions.lit(false))
                            .as("lowered")).collectAsList();
            for (Row r : rows) {
                assertThat(r.getBoolean(1)).as("%s in '%s'", values, r.get(0)).isEqualTo(r.getBoolean(2));
            }
            assertThat(rows).as("%s matches something", values).anyMatch(r -> r.getBoolean(1));
        }
    }
}
