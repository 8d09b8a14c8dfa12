package io.nightshift.jobs.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import io.nightshift.jobs.cli.NightshiftException;
import io.nightshift.jobs.findings.Findings;
import io.nightshift.jobs.pipeline.Stage;
import io.nightshift.jobs.pipeline.StageContext;
import io.nightshift.jobs.store.ResultTables;

/**
 * Runs every rule of a catalog over the day's logs and stages the findings once (all rules unioned, ids added by
 * {@link Findings#withIds}). The catalog is loaded and validated when the stage is built, before the pipeline reads
 * any data; a catalog with errors refuses to build, because a broken rule would otherwise be a silently missing
 * detection. Unsupported Sigma rules are reported on the progress output at run time and left out.
 */
public final class RuleStage implements Stage {
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
    public static RuleStage fromConfig(RulesConfig config) {
        return new RuleStage(RuleLoader.fromConfig(config).load(config.directory()), config.maxEvidenceRows());
    }

    public RuleCatalog catalog() {
        return catalog;
    }

    @Override
    public String name() {
        return "rules";
    }

    @Override
    public void run(StageContext ctx) {
        for (RuleValidationError s : catalog.skipped()) {
            ctx.progress().line(String.format("%-18s %s", name(), s));
        }
        Dataset<Row> all = findings(ctx.logs());
        if (all != null) {
            ctx.outputs().add(ResultTables.FINDINGS, all);
        }
        ctx.progress().line(String.format("%-18s %d rules (%d skipped)", name(), catalog.rules().size(),
                catalog.skipped().size()));
    }

    /**
     * Every rule's findings with ids, computed (checkpointed), or null when the catalog has no rules.
     *
     * <p>One pass over the day evaluates every rule's text tests together ({@link SharedTextTests}: the message
     * decoded once a row, not once per test) and keeps the rows some rule selects; each rule then runs over those,
     * applying its own condition again (cheap on the few rows kept), so its findings are what it finds over the day.
     */
    public Dataset<Row> findings(Dataset<Row> logs) {
        if (catalog.rules().isEmpty()) {
            return null;
        }
        SharedTextTests shared = new SharedTextTests();
        List<Column> filters = catalog.rules().stream().map(r -> RuleExecutor.filter(r, shared)).toList();
        Dataset<Row> candidates = logs.withColumns(shared.columns())
                .where(filters.stream().reduce(Column::or).orElseThrow())
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<Dataset<Row>> parts = new ArrayList<>();
            for (int i = 0; i < filters.size(); i++) {
                parts.add(executor.findings(catalog.rules().get(i), candidates, filters.get(i)));
            }
            return Findings.withIds(parts.stream().reduce(Dataset::unionByName).orElseThrow()).localCheckpoint(true);
        } finally {
            candidates.unpersist();
        }
    }
}
