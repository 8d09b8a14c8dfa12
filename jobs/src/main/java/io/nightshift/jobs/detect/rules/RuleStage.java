package io.nightshift.jobs.detect.rules;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.storage.StorageLevel;

import scala.Option;

import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.detect.Findings;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.stage.Night;
import io.nightshift.jobs.stage.Stage;
import io.nightshift.jobs.stage.StageOutputs;

/**
 * Runs every rule of a catalog over the day's logs and stages the findings once: one pass over the day flags the
 * rows each rule matches, and {@link RuleSetExecutor} turns every rule's rows into findings in one plan whatever the
 * number of rules (ids added by {@link Findings#withIds}). A rule that cannot run — invalid in its file, or whose condition or threshold Spark
 * cannot type over the day's columns — is left out, named with its file and the reason on the progress output and in
 * the stage's notes (the run records them in {@code job_runs.detail} and the report shows them), and the other rules
 * run: one broken file must not cost the night its trends, intel and other detections. A <em>strict</em> stage
 * (the run's {@code --strict-rules}) refuses instead, before any data is read, as {@code rules check} does.
 */
public final class RuleStage implements Stage {
    private static final String WHOLE_STAGE_CODEGEN = "spark.sql.codegen.wholeStage";

    private final RuleCatalog catalog;
    private final RuleExecutor executor;
    private final int maxEvidenceRows;
    private final boolean strict;

    /** A strict stage: see {@link #RuleStage(RuleCatalog, int, boolean)}. */
    public RuleStage(RuleCatalog catalog, int maxEvidenceRows) {
        this(catalog, maxEvidenceRows, true);
    }

    /**
     * @param strict refuse a catalog with any invalid rule, and fail on a rule Spark cannot type, rather than leave
     *               such rules out
     * @throws NightshiftException (bad config) when strict and the catalog has errors, listing each problem as
     *                             {@code FILE:LINE: rule ID: reason}
     */
    public RuleStage(RuleCatalog catalog, int maxEvidenceRows, boolean strict) {
        if (strict && !catalog.valid()) {
            throw NightshiftException.badConfig(catalog.errors().size() + " problem(s) in the rules (run 'nightshift"
                    + " rules check' for the list):\n" + catalog.errors().stream().map(RuleValidationError::toString)
                    .collect(Collectors.joining("\n")));
        }
        this.catalog = catalog;
        this.executor = new RuleExecutor(maxEvidenceRows);
        this.maxEvidenceRows = maxEvidenceRows;
        this.strict = strict;
    }

    public RuleCatalog catalog() {
        return catalog;
    }

    @Override
    public String name() {
        return "rules";
    }

    @Override
    public StageOutputs run(Night night) {
        Computed computed = compute(night.logs());
        StageOutputs out = computed.findings() == null ? StageOutputs.empty()
                : StageOutputs.of(ResultTables.FINDINGS, computed.findings());
        for (RuleValidationError s : computed.left()) {
            night.progress().line(String.format("%-18s %s", name(), s));
            out = out.withNote("rule left out: " + s);
        }
        night.progress().line(String.format("%-18s %d rules%s (%d left out), %d rows matched by some rule", name(),
                computed.rules(), computed.correlations() == 0 ? "" : " and " + computed.correlations()
                        + " correlations", computed.left().size(), computed.matchedRows()));
        return out;
    }

    /**
     * What {@link #run} stages: every runnable rule's findings with ids, computed now (null when no rule can run),
     * how many of the day's rows some rule matched, how many rules and Sigma correlations ran, and the rules left
     * out with the reason (invalid, unsupported Sigma, or not typed by Spark).
     */
    public record Computed(Dataset<Row> findings, long matchedRows, int rules, int correlations,
                           List<RuleValidationError> left) {
        public Computed {
            left = List.copyOf(left);
        }
    }

    /** The rules and correlations that run over a day. */
    private record Plan(List<Rule> rules, List<Correlation> correlations) {
    }

    /**
     * The rules and correlations that run over {@code logs}, and in {@code left} those that cannot, with the reason.
     * A correlation runs when its base rules do and its group and value fields type over the day's columns.
     */
    private Plan runnable(Dataset<Row> logs, List<RuleValidationError> left) {
        left.addAll(catalog.errors());
        left.addAll(catalog.skipped());
        List<Rule> out = new ArrayList<>();
        for (Rule r : catalog.rules()) {
            if (runs(r.sourceFile(), r.line(), r.id(), typeProblem(r, logs), left)) {
                out.add(r);
            }
        }
        Set<String> ids = out.stream().map(Rule::id).collect(Collectors.toSet());
        List<Correlation> correlations = new ArrayList<>();
        for (Correlation c : catalog.correlations()) {
            String missing = c.ruleIds().stream().filter(id -> !ids.contains(id)).findFirst().orElse(null);
            String problem = missing != null ? "its rule " + missing + " cannot run" : typeProblem(c, logs);
            if (runs(c.sourceFile(), c.line(), c.id(), problem, left)) {
                correlations.add(c);
            }
        }
        return new Plan(out, correlations);
    }

    /** True when {@code problem} is null; otherwise refuses (strict) or records the rule as left out. */
    private boolean runs(String file, int line, String id, String problem, List<RuleValidationError> left) {
        if (problem == null) {
            return true;
        }
        if (strict) {
            throw NightshiftException.badConfig(file + ":" + line + ": rule " + id + ": cannot run over the day's"
                    + " columns: " + problem);
        }
        left.add(new RuleValidationError(file, line, id, "cannot run over the day's columns: " + problem));
        return false;
    }

    /** Why Spark cannot read the correlation's group and value fields from {@code logs}, or null. */
    private static String typeProblem(Correlation c, Dataset<Row> logs) {
        List<Column> fields = new ArrayList<>();
        c.groupBy().forEach(k -> k.perRule().forEach(f -> fields.add(f.column().cast("string"))));
        c.valueFields().forEach(f -> fields.add(f.column().cast("string")));
        return fields.isEmpty() ? null : analysisProblem(() -> logs.select(fields.toArray(Column[]::new)).schema());
    }

    /**
     * Why Spark cannot plan the rule's findings over {@code logs} (its condition, keys and measure resolved and typed
     * against the day's columns), or null when it can. Only analysis: no data is read.
     */
    private String typeProblem(Rule rule, Dataset<Row> logs) {
        return analysisProblem(() -> executor.findings(rule, logs).schema());
    }

    private static String analysisProblem(Analysis analysis) {
        try {
            analysis.run();
            return null;
        } catch (Exception e) {
            // Exception: Spark's AnalysisException is checked to Java and thrown undeclared.
            String m = io.nightshift.jobs.base.Failures.innermost(e);
            return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
        }
    }

    /**
     * The findings as the nightly run computes them: the rows some rule matches are selected in one pass and cached
     * while the rules read them, then released.
     */
    public Computed compute(Dataset<Row> logs) {
        List<RuleValidationError> left = new ArrayList<>();
        Plan run = runnable(logs, left);
        if (run.rules().isEmpty()) {
            return new Computed(null, 0, 0, 0, left);
        }
        CachedMatches matched = cachedMatchedRows(run.rules(), logs);
        try {
            Dataset<Row> findings = findingsOfMatched(run, matched.rows());
            return new Computed(findings == null ? null : findings.localCheckpoint(true), matched.count(),
                    run.rules().size(), run.correlations().size(), left);
        } finally {
            matched.rows().unpersist();
        }
    }

    /**
     * Every rule's findings with ids, or null when the catalog has no rules; lazy, for small inputs: nothing is
     * cached ({@link #compute} for a day).
     */
    public Dataset<Row> findings(Dataset<Row> logs) {
        Plan run = runnable(logs, new ArrayList<>());
        return run.rules().isEmpty() ? null : findingsOfMatched(run, matchedRows(run.rules(), logs));
    }

    /**
     * The rows at least one rule matches, with a flag per rule saying which. One pass over the day evaluates every
     * rule's condition, and the rules then read these rows alone (4% of a 10.6M-row day with the starter pack), not
     * the day once each. The conditions' text tests are evaluated per field together ({@link TextScans}), the text
     * decoded and scanned once for all of them.
     */
    Dataset<Row> matchedRows(Dataset<Row> logs) {
        return matchedRows(catalog.rules(), logs);
    }

    private static Dataset<Row> matchedRows(List<Rule> rules, Dataset<Row> logs) {
        TextScans scans = new TextScans();
        List<Column> columns = new ArrayList<>(List.of(col("*")));
        List<Column> flags = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            columns.add(RuleExecutor.matches(rules.get(i), scans).as(flag(i)));
            flags.add(col(flag(i)));
        }
        Map<String, Column> scanColumns = scans.columns();
        return logs.withColumns(scanColumns).select(columns.toArray(Column[]::new))
                .where(RuleSetExecutor.anyOf(flags)).drop(scanColumns.keySet().toArray(String[]::new));
    }

    /**
     * {@link #matchedRows}, cached (every rule reads them, and they are a small part of the day) and computed without
     * whole-stage code generation: fused into one method, a catalog's conditions make a method the JIT compiler gives
     * up on, and the pass ran at a third of the speed (99 s against 27 s over a 10.6M-row day with 18 rules).
     * Without it, Spark compiles the flags a few to a method.
     */
    private static CachedMatches cachedMatchedRows(List<Rule> rules, Dataset<Row> logs) {
        RuntimeConfig conf = logs.sparkSession().conf();
        Option<String> before = conf.getOption(WHOLE_STAGE_CODEGEN);
        conf.set(WHOLE_STAGE_CODEGEN, "false");
        try {
            Dataset<Row> matched = matchedRows(rules, logs).persist(StorageLevel.MEMORY_AND_DISK());
            return new CachedMatches(matched, matched.count());
        } finally {
            if (before.isDefined()) {
                conf.set(WHOLE_STAGE_CODEGEN, before.get());
            } else {
                conf.unset(WHOLE_STAGE_CODEGEN);
            }
        }
    }

    private record CachedMatches(Dataset<Row> rows, long count) {
    }

    /**
     * Every rule's findings over the rows {@link #matchedRows} selected, in one plan whatever the number of rules
     * ({@link RuleSetExecutor}; the same rows as each rule's {@link RuleExecutor} plan, unioned), except the rules
     * that only feed correlations, and every correlation's ({@link CorrelationExecutor}, over the same rows); null
     * when nothing reports.
     */
    private Dataset<Row> findingsOfMatched(Plan run, Dataset<Row> matched) {
        Set<String> feedOnly = RuleCatalog.correlationOnly(run.correlations());
        List<Boolean> reported = run.rules().stream().map(r -> !feedOnly.contains(r.id())).toList();
        Dataset<Row> out = reported.contains(true)
                ? new RuleSetExecutor(executor).findingsOfMatched(run.rules(), matched, reported) : null;
        if (!run.correlations().isEmpty()) {
            Map<String, Integer> flags = new HashMap<>();
            for (int i = 0; i < run.rules().size(); i++) {
                flags.put(run.rules().get(i).id(), i);
            }
            Dataset<Row> correlated = new CorrelationExecutor(maxEvidenceRows).findings(run.correlations(), flags,
                    matched);
            out = out == null ? correlated : out.unionByName(correlated);
        }
        return out == null ? null : Findings.withIds(out);
    }

    /** An analysis that may throw Spark's (checked, undeclared) AnalysisException. */
    private interface Analysis {
        void run() throws Exception;
    }

    static String flag(int rule) {
        return "_matches_rule_" + rule;
    }
}
