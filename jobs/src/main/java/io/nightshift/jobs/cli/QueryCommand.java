package io.nightshift.jobs.cli;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.JobRun;
import io.nightshift.jobs.store.JobRunLog;
import io.nightshift.jobs.store.ResultsStore;
import io.nightshift.jobs.store.WriteLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nightshift query}: Spark SQL over the result tables, with plain table names. Read-only unless told: a
 * statement that writes runs only with {@code --allow-writes}, under the warehouse lock, recorded in
 * {@code job_runs}, and never on the evidence table.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Run Spark SQL against the result tables and print the result. Plain table names "
                + "(job_runs, trend_hourly, findings, incidents...) resolve in the configured catalog and namespace. "
                + "Read-only by default: only SELECT, WITH, SHOW, DESCRIBE and EXPLAIN run (decided by Spark's "
                + "parser); anything else exits " + ExitCodes.USAGE + " unless --allow-writes.")
public final class QueryCommand implements Callable<Integer> {
    /** Written by the nightly run and never changed after: no command may rewrite or drop it. */
    static final String INSERT_ONLY_TABLE = ResultTables.INCIDENT_EVIDENCE.name();
    static final String COMMAND = "query --allow-writes";

    enum Format { table, csv, json }

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "SQL", description = "The SQL statement.")
    String sql;

    @Option(names = "--limit", defaultValue = "100", description = "Rows to print (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--format", defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). csv is RFC 4180; "
                    + "text cells starting with =, +, -, @, tab or carriage return get a leading ' so a spreadsheet "
                    + "shows them instead of running them as formulas (see --raw).")
    Format format;

    @Option(names = "--raw", description = "csv: write cells exactly as stored (no formula neutralising).")
    boolean raw;

    @Option(names = "--truncate", defaultValue = "80",
            description = "Cut table cells longer than this (0 = never; default: ${DEFAULT-VALUE}).")
    int truncate;

    @Option(names = "--allow-writes",
            description = "Let a statement that changes tables run (INSERT, UPDATE, DELETE, MERGE, DROP, ALTER...): it "
                    + "takes the warehouse write lock and is recorded in job_runs. Never allowed on "
                    + "incident_evidence, which is insert-only.")
    boolean allowWrites;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw NightshiftException.usage("--limit must be at least 1, got " + limit);
        }
        NightshiftConfig config = common.loadConfig();
        ResultsStore store = common.openStore("nightshift-query", config);
        SqlStatement statement = SqlStatement.parse(store.spark(), sql);
        var write = statement.write();
        if (write.isEmpty()) {
            print(run(store, statement));
            return ExitCodes.OK;
        }
        String kind = SqlStatement.words(write.get());
        if (!allowWrites) {
            throw NightshiftException.usage("query is read-only: this statement is a " + kind + "; only SELECT, WITH, "
                    + "SHOW, DESCRIBE and EXPLAIN run. Pass --allow-writes to change tables (it takes the warehouse "
                    + "lock and is recorded in job_runs).");
        }
        if (statement.involves(store.spark(), INSERT_ONLY_TABLE)) {
            throw NightshiftException.usage("refused: this " + kind + " involves " + INSERT_ONLY_TABLE
                    + ", which is insert-only (preserved evidence with integrity hashes); no command changes or "
                    + "drops it, --allow-writes included.");
        }
        try (WriteLock lock = common.lockWarehouse(store, COMMAND);
             JobRun run = new JobRunLog(store).start("query-" + UUID.randomUUID().toString().substring(0, 8),
                     COMMAND, null, statement.sql())) {
            try {
                Dataset<Row> result = run(store, statement);
                print(result);
                run.succeeded(new JobRunLog.Outcome(JobRunLog.SUCCEEDED, 0, 0, 0, 0, Map.of(), Map.of(), null));
            } catch (Throwable e) {
                run.failed(e, Map.of());
                throw e;
            }
        }
        return ExitCodes.OK;
    }

    private static Dataset<Row> run(ResultsStore store, SqlStatement statement) {
        try {
            return store.spark().sql(statement.sql());
        } catch (Exception e) {
            // Spark reports SQL mistakes (unknown table or column) as a checked exception it does not declare.
            if (e instanceof org.apache.spark.sql.AnalysisException ae) {
                throw NightshiftException.usage("query failed: " + ae.getSimpleMessage());
            }
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
    }

    private void print(Dataset<Row> result) {
        switch (format) {
            case table -> result.show(limit, truncate);
            case csv -> new CsvOutput(System.out, !raw).write(result.schema(), result.limit(limit).collectAsList());
            case json -> result.limit(limit).toJSON().collectAsList().forEach(System.out::println);
        }
    }
}
