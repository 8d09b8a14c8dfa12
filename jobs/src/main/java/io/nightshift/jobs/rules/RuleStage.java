package io.nightshift.jobs.rules;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import io.nightshift.jobs.cli.NightshiftException;
import io.nightshift.jobs.findings.Findings;
import io.nightshift.jobs.lake.CanonicalSchema;
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
     * <p>One pass over the day keeps the rows that any rule's condition selects, and the rules then run over those
     * only. Why: a scan of the cached day turns every row's requested columns back into a row before any filter
     * (Spark's cache has no vectorized reader for strings), so a scan per rule cost the whole day's columns once per
     * rule, though a rule keeps a small share of the rows. Each rule still applies its own condition to the kept
     * rows, so its findings are the same as over the whole day.
     */
    public Dataset<Row> findings(Dataset<Row> logs) {
        if (catalog.rules().isEmpty()) {
            return null;
        }
        Column anyRule = catalog.rules().stream().map(RuleExecutor::filter).reduce(Column::or).orElseThrow();
        Dataset<Row> candidates = logs.where(anyRule.and(col(CanonicalSchema.TIMESTAMP).isNotNull()))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<Dataset<Row>> parts = new ArrayList<>();
            for (Rule rule : catalog.rules()) {
                parts.add(executor.findings(rule, candidates));
            }
            return Findings.withIds(parts.stream().reduce(Dataset::unionByName).orElseThrow()).localCheckpoint(true);
        } finally {
            candidates.unpersist();
        }
    }
}
