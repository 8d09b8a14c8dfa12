package io.nightshift.jobs.after.report;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.nightshift.jobs.after.report.ReportData.AnomalousWindow;
import io.nightshift.jobs.after.report.ReportData.Incident;
import io.nightshift.jobs.after.report.ReportData.ModelVersion;
import io.nightshift.jobs.after.report.ReportData.RuleFired;
import io.nightshift.jobs.after.report.ReportData.Template;
import io.nightshift.jobs.after.report.ReportData.TemplateContribution;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.config.AnomalyConfig;
import io.nightshift.jobs.pipeline.NightlyPipeline;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.JobRunLog;
import io.nightshift.jobs.store.ResultsStore;

/**
 * The per-night reads of the report that return whole records: the run, incidents, anomalous windows, new
 * templates, model versions and rules. Each is limited in Spark to the top N; rows become {@link ReportData}
 * records here, so nothing downstream sees a Spark {@link Row}.
 */
final class ReportRows {
    static final int MAX_INCIDENTS = 100;
    static final int MAX_WINDOWS = 20;
    static final int MAX_TEMPLATES_PER_WINDOW = 8;
    static final int MAX_NEW_TEMPLATES = 25;
    static final int MAX_MODELS = 10;
    static final int MAX_RULES = 100;
    /** Runs of one date looked at to find the latest successful one and what came after it. */
    private static final int MAX_RUNS = 50;

    /** The first {@code shown} of a list and how long it was. */
    record Bounded<T>(List<T> shown, long total) {
    }

    private final ResultsStore store;
    private final LocalDate date;
    private final Column day;

    ReportRows(ResultsStore store, LocalDate date) {
        this.store = store;
        this.date = date;
        this.day = lit(date.toString()).cast("date");
    }

    /**
     * The latest successful nightly run of the date; later runs that did not succeed become notes (a crash while
     * publishing can leave some tables with their rows).
     *
     * @throws NightshiftException (bad input) when the date has no run, or none that succeeded
     */
    ReportData.Run run(String tables, List<String> notes) {
        List<Row> runs = store.read(ResultTables.JOB_RUNS)
                .where(col("command").equalTo(NightlyPipeline.COMMAND).and(col("logical_date").equalTo(day)))
                .orderBy(col("started_at").desc()).limit(MAX_RUNS).collectAsList();
        if (runs.isEmpty()) {
            throw NightshiftException.badInput("no nightly run for " + date + " in " + tables + ".job_runs, so there "
                    + "is nothing to report; run the night first: scripts/nightshift run --date " + date);
        }
        for (Row r : runs) {
            if (JobRunLog.SUCCEEDED.equals(r.getAs("status"))) {
                String detail = r.getAs("detail");
                if (detail != null && !detail.isBlank()) {
                    detail.lines().forEach(line -> notes.add(Character.toUpperCase(line.charAt(0))
                            + line.substring(1)));
                }
                return run(r);
            }
            notes.add("A later run of this night, " + r.getAs("run_id") + " (started "
                    + HtmlOut.time(instant(r.getAs("started_at"))) + "), is " + r.getAs("status")
                    + (r.getAs("error_message") == null ? "" : ": " + r.getAs("error_message"))
                    + ". This report shows the latest successful run.");
        }
        Row latest = runs.get(0);
        throw NightshiftException.badInput("no successful nightly run for " + date + " in " + tables + ".job_runs: the "
                + "latest, " + latest.getAs("run_id") + ", is " + latest.getAs("status")
                + (latest.getAs("error_message") == null ? "" : " (" + latest.getAs("error_message") + ")")
                + "; rerun the night first: scripts/nightshift run --date " + date);
    }

    private static ReportData.Run run(Row r) {
        Map<String, Long> counts = new HashMap<>();
        Map<String, Double> seconds = new HashMap<>();
        if (r.getAs("stage_counts") != null) {
            r.<String, Long>getJavaMap(r.fieldIndex("stage_counts")).forEach(counts::put);
        }
        if (r.getAs("stage_seconds") != null) {
            r.<String, Double>getJavaMap(r.fieldIndex("stage_seconds")).forEach(seconds::put);
        }
        return new ReportData.Run(r.getAs("run_id"), r.getAs("status"), instant(r.getAs("started_at")),
                instant(r.getAs("ended_at")), longOf(r, "input_rows"), longOf(r, "quarantined_rows"),
                longOf(r, "duplicate_rows"), longOf(r, "input_files"), counts, seconds, r.getAs("code_version"),
                r.getAs("spark_master"));
    }

    /** Incidents the night's run opened or updated, most urgent first (P1, then higher severity score). */
    Bounded<Incident> incidents() {
        Dataset<Row> inc = store.read(ResultTables.INCIDENTS).where(col("updated_date").equalTo(day));
        List<Incident> shown = inc
                .orderBy(coalesce(col("priority"), lit("P9")), col("severity_score").desc_nulls_last(),
                        col("incident_id"))
                .limit(MAX_INCIDENTS).collectAsList().stream().map(ReportRows::incident).toList();
        return new Bounded<>(shown, shown.size() < MAX_INCIDENTS ? shown.size() : inc.count());
    }

    private static Incident incident(Row r) {
        Integer affected = r.getAs("affected_tenant_count");
        return new Incident(r.getAs("incident_id"), r.getAs("status"), r.getAs("title"), r.getAs("summary"),
                r.getAs("severity"), doubleOf(r, "severity_score"), strings(r, "severity_reasons"),
                r.getAs("priority"), strings(r, "priority_reasons"), r.getAs("functional_impact"),
                r.getAs("information_impact"), r.getAs("recoverability"), instant(r.getAs("first_seen")),
                instant(r.getAs("last_seen")),
                new ReportData.Scope(strings(r, "regions"), strings(r, "datacenters"), strings(r, "services"),
                        strings(r, "hosts"), strings(r, "tenants"), affected == null ? 0 : affected),
                strings(r, "detectors"), strings(r, "finding_ids").size(), strings(r, "recommended_actions"));
    }

    /** The night's highest-scored anomalous windows, each with the text of its explaining templates. */
    Bounded<AnomalousWindow> anomalousWindows() {
        Dataset<Row> a = store.read(ResultTables.ANOMALY_SCORES).where(col("date").equalTo(day)
                .and(col("is_anomaly")));
        List<Row> rows = a.orderBy(col("score").desc_nulls_last(), col("distance").desc_nulls_last(), col("view"),
                col("entity"), col("window_start")).limit(MAX_WINDOWS).collectAsList();
        Set<String> ids = new LinkedHashSet<>();
        for (Row r : rows) {
            contributions(r).forEach(t -> ids.add(t.getAs("template_id")));
        }
        Map<String, String> texts = templateTexts(ids);
        List<AnomalousWindow> shown = new ArrayList<>();
        for (Row r : rows) {
            List<TemplateContribution> templates = contributions(r).stream()
                    .map(t -> {
                        String id = t.getAs("template_id");
                        return new TemplateContribution(id, texts.get(id), doubleOf(t, "observed"),
                                doubleOf(t, "expected"), doubleOf(t, "contribution"));
                    })
                    .toList();
            Integer version = r.getAs("model_version");
            shown.add(new AnomalousWindow(r.getAs("view"), r.getAs("entity_type"), r.getAs("entity"),
                    instant(r.getAs("window_start")), instant(r.getAs("window_end")), longOf(r, "line_count"),
                    doubleOf(r, "score"), version == null ? 0 : version, templates));
        }
        return new Bounded<>(shown, shown.size() < MAX_WINDOWS ? shown.size() : a.count());
    }

    private static List<Row> contributions(Row window) {
        List<Row> all = window.getAs("top_templates") == null ? List.of()
                : window.getList(window.fieldIndex("top_templates"));
        return all.subList(0, Math.min(MAX_TEMPLATES_PER_WINDOW, all.size()));
    }

    /**
     * Template text per id, from the night's log_templates or, for a template the window lacks (its cluster
     * expected it), the latest earlier night that logged it.
     */
    private Map<String, String> templateTexts(Set<String> ids) {
        Map<String, String> texts = new HashMap<>();
        if (ids.isEmpty()) {
            return texts;
        }
        store.read(ResultTables.LOG_TEMPLATES)
                .where(col("template_id").isin(ids.toArray()).and(col("date").leq(day)))
                .groupBy("template_id").agg(max_by(col("template"), col("date")))
                .collectAsList().forEach(r -> texts.put(r.getString(0), r.getString(1)));
        return texts;
    }

    /** Templates first logged this night (unknown to the model), the most frequent first. */
    Bounded<Template> newTemplates() {
        Dataset<Row> t = store.read(ResultTables.LOG_TEMPLATES).where(col("date").equalTo(day).and(col("is_new")));
        List<Template> shown = t.orderBy(col("event_count").desc_nulls_last(), col("template_id"))
                .limit(MAX_NEW_TEMPLATES).collectAsList().stream()
                .map(r -> new Template(r.getAs("template_id"), r.getAs("template"), longOf(r, "event_count"),
                        strings(r, "services")))
                .toList();
        return new Bounded<>(shown, shown.size() < MAX_NEW_TEMPLATES ? shown.size() : t.count());
    }

    /** The newest registered model versions, flagging the one(s) that scored this night. */
    List<ModelVersion> models() {
        List<Integer> used = store.read(ResultTables.ANOMALY_SCORES).where(col("date").equalTo(day))
                .select("model_version").distinct().limit(MAX_MODELS).collectAsList().stream()
                .filter(r -> !r.isNullAt(0)).map(r -> r.getInt(0)).toList();
        return store.read(ResultTables.MODEL_REGISTRY)
                .orderBy(col("trained_at").desc_nulls_last(), col("version").desc()).limit(MAX_MODELS)
                .collectAsList().stream().map(r -> {
                    Map<String, Double> metrics = new HashMap<>();
                    if (r.getAs("metrics") != null) {
                        r.<String, Double>getJavaMap(r.fieldIndex("metrics")).forEach(metrics::put);
                    }
                    String name = r.getAs("name");
                    int version = r.getAs("version");
                    return new ModelVersion(name, version, instant(r.getAs("trained_at")),
                            localDate(r.getAs("training_from")), localDate(r.getAs("training_to")),
                            r.getAs("status"), metrics,
                            AnomalyConfig.MODEL_NAME.equals(name) && used.contains(version));
                }).toList();
    }

    /** Rules with findings this night, identified by what the findings' metadata recorded about them. */
    List<RuleFired> rulesFired() {
        Column meta = col("metadata");
        return store.read(ResultTables.FINDINGS).where(col("date").equalTo(day).and(col("detector").equalTo("rule")))
                .groupBy(col("detector_id"), meta.getItem("rule_file"), meta.getItem("rule_format"),
                        meta.getItem("rule_status"), meta.getItem("rule_severity"))
                .count().orderBy(col("count").desc(), col("detector_id")).limit(MAX_RULES).collectAsList().stream()
                .map(r -> new RuleFired(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
                        r.getString(4), r.getLong(5)))
                .toList();
    }

    static ReportData.Finding finding(Row r) {
        Boolean suppressed = r.getAs("suppressed");
        return new ReportData.Finding(r.getAs("detector"), r.getAs("detector_id"), r.getAs("title"),
                doubleOf(r, "score"), r.getAs("severity"), instant(r.getAs("first_seen")),
                instant(r.getAs("last_seen")), r.getAs("service"), r.getAs("region"), r.getAs("host"),
                r.getAs("user"), r.getAs("tenant_id"), suppressed != null && suppressed);
    }

    private static List<String> strings(Row r, String field) {
        int i = r.fieldIndex(field);
        return r.isNullAt(i) ? List.of() : r.<String>getList(i).stream().filter(s -> s != null).toList();
    }

    private static long longOf(Row r, String field) {
        return ReportCollector.longOr0(r, r.fieldIndex(field));
    }

    private static double doubleOf(Row r, String field) {
        int i = r.fieldIndex(field);
        return r.isNullAt(i) ? 0.0 : ((Number) r.get(i)).doubleValue();
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static LocalDate localDate(java.sql.Date d) {
        return d == null ? null : d.toLocalDate();
    }
}
