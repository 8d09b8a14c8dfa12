package io.nightshift.jobs.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

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
            ctx.outputs().addComputed(ResultTables.FINDINGS, all);
        }
        ctx.progress().line(String.format("%-18s %d rules (%d skipped)", name(), catalog.rules().size(),
                catalog.skipped().size()));
    }

    /** Every rule's findings with ids, or null when the catalog has no rules. */
    public Dataset<Row> findings(Dataset<Row> logs) {
        List<Dataset<Row>> parts = new ArrayList<>();
        for (Rule rule : catalog.rules()) {
            parts.add(executor.findings(rule, logs));
        }
        return parts.stream().reduce((a, b) -> a.unionByName(b)).map(Findings::withIds).orElse(null);
    }
}
