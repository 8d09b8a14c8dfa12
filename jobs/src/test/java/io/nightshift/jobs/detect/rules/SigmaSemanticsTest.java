package io.nightshift.jobs.detect.rules;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.detect.rules.load.RuleLoader;
import io.nightshift.jobs.detect.rules.sigma.SigmaFieldMapping;
import io.nightshift.jobs.detect.rules.sigma.SigmaPipeline;

/**
 * A differential test of Sigma semantics: every rule shape the Sigma loader accepts, each with records built from its
 * own selections (the value itself, a case variant, near misses: a trailing line break, one character more or less,
 * the string "null", a missing field), and the rows pySigma's documented semantics say match, written by hand from
 * the Sigma specification and pySigma's modifier table:
 * <ul>
 *   <li>a plain value equals the whole field, case-insensitively; {@code *} is any run of characters and {@code ?}
 *       exactly one, the value still matching the whole field; {@code \*}, {@code \?} and {@code \\} are the
 *       characters themselves and any other backslash is a backslash;</li>
 *   <li>{@code contains}, {@code startswith} and {@code endswith} put {@code *} around, after and before the value;
 *       {@code all} turns a list's OR into an AND; {@code re} is a case-sensitive regular expression found anywhere;</li>
 *   <li>{@code null} (alone or in a list) means the field has no value; {@code ''} is the empty string;</li>
 *   <li>keywords (a list of plain values, or {@code '|all'} over one) search the whole event, here its message,
 *       for each value anywhere in it;</li>
 *   <li>a number on a numeric field compares as a number; any other value compares with its text ({@code '40*'}
 *       matches 404);</li>
 *   <li>conditions: {@code and}, {@code or}, {@code not}, brackets, {@code 1 of}/{@code all of} a pattern or
 *       {@code them} (without {@code _} selections); a list of maps is an OR, a map an AND.</li>
 * </ul>
 * Each rule runs through the real loader and real Spark twice: its condition compiled alone, and all rules together
 * in the rule stage's one pass (shared text scans); both must give exactly the expected rows.
 */
class SigmaSemanticsTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    /** One rule and the rows built for it; {@code expected} are the ids that match by pySigma's semantics. */
    record Case(String name, String logsource, String detection, LogRows rows, Set<String> expected) {
    }

    private final List<Case> cases = new ArrayList<>();

    private void rule(String name, String logsource, String detection, Consumer<Rows> build, String... expected) {
        Rows r = new Rows(name);
        build.accept(r);
        cases.add(new Case(name, logsource, detection, r.rows, new TreeSet<>(
                java.util.Arrays.stream(expected).map(e -> name + "/" + e).toList())));
    }

    /** Rows of one case, their ids prefixed with its name. */
    static final class Rows {
        final String prefix;
        final LogRows rows = new LogRows();

        Rows(String prefix) {
            this.prefix = prefix;
        }

        LogRows.LogRow row(String id) {
            return rows.add(prefix + "/" + id, "2026-11-20T01:00:00Z");
        }
    }

    private void allShapes() {
        String linux = "{product: linux, service: auditd}";
        String web = "{category: webserver}";
        String trail = "{product: aws, service: cloudtrail}";

        rule("keywords", linux, """
                keywords: [grep, 'pass word']
                condition: keywords""", r -> {
            r.row("grep").message("type=EXECVE a0=grep a1=-r");
            r.row("case").message("GREP -R PASS WORD");
            r.row("pass").message("x PASS WORDy");
            r.row("neither").message("type=EXECVE a0=cat");
            r.row("split").message("pass  word");
        }, "grep", "case", "pass");

        rule("keywords-all", linux, """
                keywords:
                  '|all': [grep, password]
                condition: keywords""", r -> {
            r.row("both").message("type=EXECVE a0=grep a1=-ri a2=password");
            r.row("both-case").message("GREP PassWord");
            r.row("one").message("grep secret");
            r.row("other").message("password only");
        }, "both", "both-case");

        rule("keyword-wildcard", linux, """
                keywords:
                  - 'user*failed'
                  - 'b?d'
                condition: keywords""", r -> {
            r.row("star").message("auth: user bob failed.");
            r.row("order").message("failed user");
            r.row("one-char").message("a bad day");
            r.row("no-char").message("bd");
        }, "star", "one-char");

        rule("null-in-list", trail, """
                selection:
                  eventName: ConsoleLogin
                  errorCode: [Success, null]
                condition: selection""", r -> {
            r.row("missing").action("ConsoleLogin");
            r.row("success").action("ConsoleLogin").attr("errorCode", "success");
            r.row("denied").action("ConsoleLogin").attr("errorCode", "AccessDenied");
            r.row("string-null").action("ConsoleLogin").attr("errorCode", "null");
            r.row("other-event").action("GetObject");
        }, "missing", "success");

        rule("null-alone-and-empty", trail, """
                no_agent:
                  userAgent: null
                empty_agent:
                  userAgent: ''
                condition: 1 of them""", r -> {
            r.row("missing");
            r.row("empty").attr("user_agent", "");
            r.row("set").attr("user_agent", "aws-cli/2");
            r.row("string-null").attr("user_agent", "null");
        }, "missing", "empty");

        rule("wildcard-anchored", linux, """
                selection:
                  exe: 'foo*bar'
                condition: selection""", r -> {
            r.row("joined").attr("exe", "foobar");
            r.row("spaced").attr("exe", "foo bar");
            r.row("case").attr("exe", "FOO-BAR");
            r.row("newline").attr("exe", "foo bar\n");
            r.row("prefix").attr("exe", "xfoo bar");
            r.row("suffix").attr("exe", "foo barx");
        }, "joined", "spaced", "case");

        rule("endswith-single-char", linux, """
                selection:
                  exe|endswith: 'b?r'
                condition: selection""", r -> {
            r.row("bar").attr("exe", "/usr/bin/bar");
            r.row("bxr").attr("exe", "bxr");
            r.row("newline").attr("exe", "bar\n");
            r.row("two").attr("exe", "bxxr");
        }, "bar", "bxr");

        rule("endswith-plain", linux, """
                selection:
                  exe|endswith: 'bar'
                condition: selection""", r -> {
            r.row("bar").attr("exe", "foo BAR");
            r.row("newline").attr("exe", "foo bar\n");
        }, "bar");

        rule("startswith-wildcard", linux, """
                selection:
                  comm|startswith: 'adm?n'
                condition: selection""", r -> {
            r.row("admin").attr("comm", "admin");
            r.row("longer").attr("comm", "Administrator");
            r.row("inside").attr("comm", "xadmin");
            r.row("short").attr("comm", "adn");
        }, "admin", "longer");

        rule("unicode-case", linux, """
                wild:
                  acct: 'ÅSA.*'
                plain:
                  acct: 'ÖRJAN'
                part:
                  acct|contains: 'ÉLO'
                condition: 1 of them""", r -> {
            r.row("wild").user("åsa.k");
            r.row("wild-upper").user("ÅSA.K");
            r.row("ascii").user("asa.k");
            r.row("plain").user("örjan");
            r.row("part").user("mélodie");
            r.row("none").user("melodie");
        }, "wild", "wild-upper", "plain", "part");

        rule("numeric-field-text", web, """
                client_errors:
                  sc-status: '40*'
                exact:
                  sc-status: 500
                server_prefix:
                  sc-status|startswith: '50'
                condition: 1 of them""", r -> {
            r.row("404").status(404);
            r.row("40").status(40);
            r.row("500").status(500);
            r.row("503").status(503);
            r.row("200").status(200);
            r.row("none");
        }, "404", "40", "500", "503");

        rule("numeric-field-contains-and-list", web, """
                selection:
                  sc-status|contains: '0'
                  sc-bytes: [1024, '2*']
                condition: selection""", r -> {
            r.row("both").status(404).bytes(1024);
            r.row("prefix").status(301).bytes(2999);
            r.row("no-zero").status(512).bytes(1024);
            r.row("other-bytes").status(404).bytes(1000);
        }, "both", "prefix");

        rule("numeric-field-word", web, """
                selection:
                  sc-status: 'abc'
                condition: selection""", r -> r.row("404").status(404));

        rule("contains-all", linux, """
                selection:
                  proctitle|contains|all: ['-r', 'passw']
                condition: selection""", r -> {
            r.row("both").attr("proctitle", "grep -r PASSWORD /etc");
            r.row("one").attr("proctitle", "grep -r secret");
        }, "both");

        rule("escapes", linux, """
                star:
                  a0: 'a\\*b'
                dir:
                  cwd: 'C:\\Temp\\\\*'
                condition: 1 of them""", r -> {
            r.row("literal-star").attr("a0", "a*b");
            r.row("not-wild").attr("a0", "axb");
            r.row("dir").attr("cwd", "C:\\Temp\\x.txt");
            r.row("dir-case").attr("cwd", "c:\\temp\\");
            r.row("no-sep").attr("cwd", "C:\\Tempx");
        }, "literal-star", "dir", "dir-case");

        rule("regex", linux, """
                selection:
                  proctitle|re: 'Bad\\s+key'
                condition: selection""", r -> {
            r.row("match").attr("proctitle", "a Bad   key here");
            r.row("case").attr("proctitle", "bad key");
        }, "match");

        rule("not-filter-on-missing", linux, """
                selection:
                  type: EXECVE
                filter:
                  acct: root
                condition: selection and not filter""", r -> {
            r.row("no-user").attr("type", "EXECVE");
            r.row("alice").attr("type", "execve").user("alice");
            r.row("root").attr("type", "EXECVE").user("ROOT");
        }, "no-user", "alice");

        rule("quantifiers-and-list-of-maps", linux, """
                selection_a:
                  - type: SYSCALL
                  - type: PATH
                selection_b:
                  key: susp
                _helper:
                  comm: never
                condition: all of them""", r -> {
            r.row("syscall").attr("type", "SYSCALL").attr("key", "susp");
            r.row("path").attr("type", "PATH").attr("key", "SUSP");
            r.row("other-type").attr("type", "CWD").attr("key", "susp");
            r.row("no-key").attr("type", "SYSCALL");
        }, "syscall", "path");

        rule("one-of-pattern", linux, """
                sel_a:
                  comm: nc
                sel_b:
                  comm: ncat
                filter:
                  acct: backup
                condition: 1 of sel_* and not filter""", r -> {
            r.row("nc").attr("comm", "nc");
            r.row("ncat").attr("comm", "NCAT");
            r.row("filtered").attr("comm", "nc").user("backup");
            r.row("other").attr("comm", "ncx");
        }, "nc", "ncat");

        rule("condition-list", linux, """
                a:
                  comm: one
                b:
                  comm: two
                condition:
                  - a
                  - b""", r -> {
            r.row("one").attr("comm", "one");
            r.row("two").attr("comm", "two");
            r.row("three").attr("comm", "three");
        }, "one", "two");
    }

    @Test
    void everySupportedShapeMatchesAsPySigmaSays(@TempDir Path dir) throws IOException {
        allShapes();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Files.writeString(dir.resolve(String.format("%02d-%s.yml", i, c.name())), """
                    title: %s
                    id: case-%02d
                    logsource: %s
                    detection:
                    %s
                    """.formatted(c.name(), i, c.logsource(), c.detection().indent(2)));
        }
        SigmaFieldMapping mapping = new SigmaFieldMapping(Map.of(), List.of(SigmaPipeline.shipped("aws_cloudtrail"),
                SigmaPipeline.shipped("linux_auditd")));
        RuleCatalog catalog = new RuleLoader(mapping, Map.of()).load(dir);
        assertThat(catalog.errors()).isEmpty();
        assertThat(catalog.skipped()).isEmpty();
        assertThat(catalog.rules()).hasSize(cases.size());

        LogRows all = new LogRows();
        cases.forEach(c -> all.addAll(c.rows()));
        Dataset<Row> logs = all.frame(spark);

        // Each condition compiled alone, all of them in one select.
        List<Column> alone = new ArrayList<>(List.of(col("row_id")));
        for (int i = 0; i < cases.size(); i++) {
            alone.add(ConditionCompiler.compile(catalog.rules().get(i).condition()).as("c" + i));
        }
        Map<String, Set<String>> aloneHits = hits(logs.select(alone.toArray(Column[]::new)), "c");

        // All of them in the rule stage's one pass, where text tests of a field share one scan.
        Map<String, Set<String>> stageHits = hits(new RuleStage(catalog, 50).matchedRows(logs)
                .select(stageColumns(cases.size())), RuleStage.flag(0).replace("0", ""));

        Map<String, Set<String>> expected = new TreeMap<>();
        cases.forEach(c -> expected.put(c.name(), c.expected()));
        assertThat(aloneHits).isEqualTo(expected);
        assertThat(stageHits).isEqualTo(expected);
    }

    private static Column[] stageColumns(int n) {
        List<Column> cols = new ArrayList<>(List.of(col("row_id")));
        for (int i = 0; i < n; i++) {
            cols.add(col(RuleStage.flag(i)));
        }
        return cols.toArray(Column[]::new);
    }

    /** Per case, the rows of that case its rule matched (a rule matching another case's rows is not counted). */
    private Map<String, Set<String>> hits(Dataset<Row> flagged, String prefix) {
        Map<String, Set<String>> out = new TreeMap<>();
        cases.forEach(c -> out.put(c.name(), new TreeSet<>()));
        for (Row r : flagged.collectAsList()) {
            String id = r.getString(0);
            for (int i = 0; i < cases.size(); i++) {
                String name = cases.get(i).name();
                if (id.startsWith(name + "/") && Boolean.TRUE.equals(r.getAs(prefix + i))) {
                    out.get(name).add(id);
                }
            }
        }
        return out;
    }

    @Test
    void keywordsWithAllSearchTheMessageNotAnEmptyAttribute(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("k.yml"), """
                title: Find credentials in files
                logsource: {product: linux, service: auditd}
                detection:
                  keywords:
                    '|all': [grep, password]
                  condition: keywords
                """);
        Rule r = new RuleLoader(SigmaFieldMapping.defaultMapping(), Map.of()).load(dir).rules().get(0);
        assertThat(r.condition()).isEqualTo(new Condition.All(List.of(new Condition.All(List.of(
                new Condition.Match(FieldRef.column("message"), Operator.CONTAINS, List.of("grep"), true),
                new Condition.Match(FieldRef.column("message"), Operator.CONTAINS, List.of("password"), true))))));
    }
}
