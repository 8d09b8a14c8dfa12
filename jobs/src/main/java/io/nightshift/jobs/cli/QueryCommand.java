package io.nightshift.jobs.cli;

import java.util.concurrent.Callable;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.store.ResultsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nightshift query}: Spark SQL over the result tables, with plain table names. */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Run Spark SQL against the result tables and print the result. Plain table names "
                + "(job_runs, trend_hourly, findings, incidents...) resolve in the configured catalog and namespace.")
public final class QueryCommand implements Callable<Integer> {
    enum Format { table, csv, json }

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "SQL", description = "The SQL statement.")
    String sql;

    @Option(names = "--limit", defaultValue = "100", description = "Rows to print (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--format", defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--truncate", defaultValue = "80",
            description = "Cut table cells longer than this (0 = never; default: ${DEFAULT-VALUE}).")
    int truncate;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw NightshiftException.usage("--limit must be at least 1, got " + limit);
        }
        NightshiftConfig config = common.loadConfig();
        ResultsStore store = common.openStore("nightshift-query", config);
        Dataset<Row> result;
        try {
            result = store.spark().sql(sql);
        } catch (Exception e) {
            // Spark reports SQL mistakes (unknown table or column, syntax) as a checked exception it does not declare.
            if (e instanceof org.apache.spark.sql.AnalysisException ae) {
                throw NightshiftException.usage("query failed: " + ae.getSimpleMessage());
            }
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
        switch (format) {
            case table -> result.show(limit, truncate);
            case csv -> {
                System.out.println(String.join(",", result.columns()));
                for (Row r : result.limit(limit).collectAsList()) {
                    StringBuilder line = new StringBuilder();
                    for (int i = 0; i < r.length(); i++) {
                        if (i > 0) {
                            line.append(',');
                        }
                        line.append(csvCell(r.get(i)));
                    }
                    System.out.println(line);
                }
            }
            case json -> result.limit(limit).toJSON().collectAsList().forEach(System.out::println);
        }
        return ExitCodes.OK;
    }

    static String csvCell(Object v) {
        if (v == null) {
            return "";
        }
        String s = v.toString();
        return s.matches(".*[,\"\\r\\n].*") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
