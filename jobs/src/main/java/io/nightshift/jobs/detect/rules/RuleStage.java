package io.nightshift.jobs.detect.rules;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * Runs every rule of a catalog over the day's logs and stages the findings once (all rules unioned, ids added by
 * {@link Findings#withIds}). The catalog is loaded and validated when the stage is built, before the pipeline reads
 * any data; a catalog with errors refuses to build, because a broken rule would otherwise be a silently missing
 * detection. Unsupported Sigma rules are reported on the progress output at run time and left out.
 */
public final class RuleStage implements Stage {
    private static final String WHOLE_STAGE_CODEGEN = "spark.sql.codegen.wholeStage";

    private final RuleCatalog catalog;
    private final RuleExecutor executor;

    /**
     * @throws NightshiftException (bad config) listing each problem as {@code FILE:LINE: rule ID: reason}
     */
    public RuleStage(RuleCatalog catalog, int maxEvidenceRows) {
        if (!catalog.valid()) {
            throw NightshiftException.badConfig(catalog.errors().size() + " problem(s) in the rules (run 'nightshift"
                    + " rules check' for the list):\n" + catalog.errors().stream().map(RuleValidationError::toString)
                    .collect(Collectors.joining("\n")));
        }
        this.catalog = catalog;
        this.executor = new RuleExecutor(maxEvidenceRows);
    }

    /** Loads and validates the configured rules directory. */

    public RuleCatalog catalog() {
        return catalog;
    }

    @Override
    public String name() {
        return "rules";
    }

    @Override
    public StageOutputs run(Night night) {
        for (RuleValidationError s : catalog.skipped()) {
            night.progress().line(String.format("%-18s %s", name(), s));
        }
        Computed computed = compute(night.logs());
        night.progress().line(String.format("%-18s %d rules (%d skipped), %d rows matched by some rule", name(),
                catalog.rules().size(), catalog.skipped().size(), computed.matchedRows()));
        return computed.findings() == null ? StageOutputs.empty()
                : StageOutputs.of(ResultTables.FINDINGS, computed.findings());
    }

    /**
     * What {@link #run} stages: every rule's findings with ids, computed now (null when the catalog has no rules),
     * and how many of the day's rows some rule matched.
     */
    public record Computed(Dataset<Row> findings, long matchedRows) {
    }

    /**
     * The findings as the nightly run computes them: the rows some rule matches are selected in one pass and cached
     * while the rules read them, then released.
     */
    public Computed compute(Dataset<Row> logs) {
        if (catalog.rules().isEmpty()) {
            return new Computed(null, 0);
        }
        CachedMatches matched = cachedMatchedRows(logs);
        try {
            return new Computed(findingsOfMatched(matched.rows()).localCheckpoint(true), matched.count());
        } finally {
            matched.rows().unpersist();
        }
    }

    /**
     * Every rule's findings with ids, or null when the catalog has no rules; lazy, for small inputs: nothing is
     * cached ({@link #compute} for a day).
     */
    public Dataset<Row> findings(Dataset<Row> logs) {
        return catalog.rules().isEmpty() ? null : findingsOfMatched(matchedRows(logs));
    }

    /**
     * The rows at least one rule matches, with a flag per rule saying which. One pass over the day evaluates every
     * rule's condition, and the rules then read these rows alone (4% of a 10.6M-row day with the starter pack), not
     * the day once each. The conditions' text tests are evaluated per field together ({@link TextScans}), the text
     * decoded and scanned once for all of them.
     */
    Dataset<Row> matchedRows(Dataset<Row> logs) {
        TextScans scans = new TextScans();
        List<Column> columns = new ArrayList<>(List.of(col("*")));
        List<Column> flags = new ArrayList<>();
        for (int i = 0; i < catalog.rules().size(); i++) {
            columns.add(RuleExecutor.matches(catalog.rules().get(i), scans).as(flag(i)));
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
    private CachedMatches cachedMatchedRows(Dataset<Row> logs) {
        RuntimeConfig conf = logs.sparkSession().conf();
        Option<String> before = conf.getOption(WHOLE_STAGE_CODEGEN);
        conf.set(WHOLE_STAGE_CODEGEN, "false");
        try {
            Dataset<Row> matched = matchedRows(logs).persist(StorageLevel.MEMORY_AND_DISK());
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
     * ({@link RuleSetExecutor}; the same rows as each rule's {@link RuleExecutor} plan, unioned).
     */
    private Dataset<Row> findingsOfMatched(Dataset<Row> matched) {
        return Findings.withIds(new RuleSetExecutor(executor).findingsOfMatched(catalog.rules(), matched));
    }

    static String flag(int rule) {
        return "_matches_rule_" + rule;
    }
}
