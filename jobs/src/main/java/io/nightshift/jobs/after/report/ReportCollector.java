package io.nightshift.jobs.after.report;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.nightshift.jobs.after.report.ReportData.Count;
import io.nightshift.jobs.after.report.ReportData.DailyPoint;
import io.nightshift.jobs.after.report.ReportData.DetectorCount;
import io.nightshift.jobs.after.report.ReportData.FindingMark;
import io.nightshift.jobs.after.report.ReportData.NightVolume;
import io.nightshift.jobs.after.report.ReportData.Series;
import io.nightshift.jobs.after.report.ReportData.Trends;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.lake.LakeProfile;
import io.nightshift.jobs.pipeline.NightlyPipeline;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.ResultsStore;

/**
 * Reads one night's report out of the result tables into a {@link ReportData}. Every query aggregates or limits in
 * Spark before anything reaches the driver: the report shows the top N of each list and says how many there were.
 * Incidents, anomalous windows, templates and versions are read by {@link ReportRows}, which also turns rows into
 * records.
 */
public final class ReportCollector {
    /** Charts per dimension (services, regions): the busiest ones over the period. */
    static final int MAX_SERIES = 24;
    static final int MAX_QUARANTINE_REASONS = 10;
    static final int MAX_TOP_FINDINGS = 25;
    /** Finding titles listed in a chart marker's tooltip. */
    static final int MAX_MARK_TITLES = 5;
    static final String NO_VALUE = "(none)";
    private static final String FLEET = "fleet";

    private final ResultsStore store;

    public ReportCollector(ResultsStore store) {
        this.store = store;
    }

    /**
     * @param date the night
     * @param days days of trend history, ending on {@code date}
     * @throws NightshiftException (bad input) when the date has no successful nightly run
     */
    public ReportData collect(LocalDate date, int days, Instant now) {
        String tables = store.config().catalog() + "." + store.config().namespace();
        ReportRows rows = new ReportRows(store, date);
        List<String> notes = new ArrayList<>();
        ReportData.Run run = rows.run(tables, notes);
        columnsBecameNull(date, notes);
        LocalDate from = date.minusDays(days - 1L);
        Trends trends = trends(from, date, notes);
        var incidents = rows.incidents();
        var windows = rows.anomalousWindows();
        var templates = rows.newTemplates();
        return new ReportData(date, days, now, tables, run, notes, volume(from, date), trends, nightFindings(date),
                incidents.shown(), incidents.total(), windows.shown(), windows.total(), templates.shown(),
                templates.total(), new ReportData.Versions(rows.models(), rows.rulesFired()));
    }

    /**
     * Schema drift the night's run saw (columns null in every row that had values on earlier dates), and lake values
     * of a type no conversion rule could use.
     */
    private void columnsBecameNull(LocalDate date, List<String> notes) {
        store.read(ResultTables.LAKE_PROFILE)
                .where(col("date").equalTo(day(date)).and(col("status").equalTo(LakeProfile.BECAME_NULL)
                        .or(col("type_warnings").gt(0))))
                .orderBy("column_name").collectAsList()
                .forEach(r -> {
                    java.sql.Date seen = r.getAs("last_seen_date");
                    Long warnings = r.getAs("type_warnings");
                    var column = new LakeProfile.ColumnProfile(r.getAs("column_name"), r.getAs("lake_column"),
                            r.<Long>getAs("rows"), r.<Long>getAs("non_null"), r.getAs("status"),
                            seen == null ? null : seen.toLocalDate(), warnings == null ? 0 : warnings,
                            r.getAs("conversion"));
                    if (LakeProfile.BECAME_NULL.equals(column.status())) {
                        notes.add(column.describe(date)
                                + " (schema drift or a producer that stopped filling it; see lake_profile).");
                    }
                    if (column.typeWarnings() > 0) {
                        notes.add(column.describeTypeWarnings() + " (type warnings; see lake_profile).");
                    }
                });
    }

    private static Column day(LocalDate d) {
        return lit(d.toString()).cast("date");
    }

    private ReportData.Volume volume(LocalDate from, LocalDate to) {
        List<NightVolume> nights = new ArrayList<>();
        // The latest successful run of each night, as job_runs recorded it.
        store.read(ResultTables.JOB_RUNS)
                .where(col("command").equalTo(NightlyPipeline.COMMAND).and(col("status").equalTo("succeeded"))
                        .and(col("logical_date").between(day(from), day(to))))
                .groupBy("logical_date")
                .agg(max_by(struct(col("input_rows"), col("quarantined_rows")), col("started_at")).as("v"))
                .select(col("logical_date"), col("v.input_rows"), col("v.quarantined_rows"))
                .orderBy("logical_date").collectAsList()
                .forEach(r -> nights.add(new NightVolume(r.getDate(0).toLocalDate(), longOr0(r, 1), longOr0(r, 2))));
        Dataset<Row> q = store.read(ResultTables.QUARANTINE).where(col("date").equalTo(day(to)));
        List<Count> reasons = q.groupBy(coalesce(col("reason"), lit(NO_VALUE)).as("reason")).count()
                .orderBy(col("count").desc(), col("reason")).limit(MAX_QUARANTINE_REASONS).collectAsList().stream()
                .map(r -> new Count(r.getString(0), r.getLong(1))).toList();
        long reasonsTotal = reasons.size() < MAX_QUARANTINE_REASONS ? reasons.size()
                : q.agg(countDistinct(col("reason"))).first().getLong(0);
        return new ReportData.Volume(nights, reasons, reasonsTotal);
    }

    /**
     * Two Spark jobs: the daily points of the fleet and of the busiest services and regions (ranked in Spark), then
     * the findings marks of those series.
     */
    private Trends trends(LocalDate from, LocalDate to, List<String> notes) {
        Dataset<Row> daily = store.readDates(ResultTables.TREND_DAILY, from, to)
                .select(col("date"), named("service"), named("region"), col("event_count"), col("error_count"));
        Dataset<Row> fleetPoints = daily.groupBy("date").agg(sum("event_count").as("events"),
                        sum("error_count").as("errors"))
                .select(lit(FLEET).as("kind"), lit("all").as("name"), col("date"), col("events"), col("errors"),
                        lit(0L).as("total"), lit(1L).as("names"));
        List<Row> points = fleetPoints.unionByName(ranked(daily, "service")).unionByName(ranked(daily, "region"))
                .collectAsList();
        // Charts in order of the period's events, busiest first (ties by name).
        Map<String, List<String>> top = new HashMap<>();
        Map<String, Long> totals = new HashMap<>();
        points.stream().sorted(Comparator.<Row>comparingLong(r -> -longOf(r, "total"))
                .thenComparing(r -> r.<String>getAs("name"))).forEach(r -> {
                    List<String> names = top.computeIfAbsent(r.getAs("kind"), k -> new ArrayList<>());
                    if (!names.contains(r.<String>getAs("name"))) {
                        names.add(r.getAs("name"));
                    }
                    totals.put(r.getAs("kind"), r.getAs("names"));
                });

        Dataset<Row> findings = store.readDates(ResultTables.FINDINGS, from, to)
                .where(not(coalesce(col("suppressed"), lit(false))))
                .select(col("date"), named("service"), named("region"), col("score"), col("title"),
                        severityRank().as("rank"));
        Dataset<Row> marks = marks(findings, FLEET, lit("all"), List.of("all"))
                .unionByName(marks(findings, "service", col("service"), top.getOrDefault("service", List.of())))
                .unionByName(marks(findings, "region", col("region"), top.getOrDefault("region", List.of())));
        List<Row> markRows = marks.collectAsList();

        List<LocalDate> days = points.stream().filter(r -> FLEET.equals(r.getAs("kind")))
                .map(r -> r.<java.sql.Date>getAs("date").toLocalDate()).sorted().toList();
        if (days.isEmpty()) {
            notes.add("trend_daily has no rows between " + from + " and " + to + ": the trend charts are empty.");
        }
        Series fleet = series(FLEET, "all", points, markRows);
        List<Series> services = top.getOrDefault("service", List.of()).stream()
                .map(n -> series("service", n, points, markRows)).toList();
        List<Series> regions = top.getOrDefault("region", List.of()).stream()
                .map(n -> series("region", n, points, markRows)).toList();
        return new Trends(days, fleet, services, totals.getOrDefault("service", 0L), regions,
                totals.getOrDefault("region", 0L));
    }

    /**
     * Daily points of the {@link #MAX_SERIES} values of {@code column} with the most events over the period, each
     * row with the value's period total (to order the charts) and how many values there are in all. The top values
     * are a small broadcast side of a join, so nothing is ranked in one global partition.
     */
    private static Dataset<Row> ranked(Dataset<Row> daily, String column) {
        Dataset<Row> perDay = daily.groupBy(col(column).as("name"), col("date"))
                .agg(sum("event_count").as("events"), sum("error_count").as("errors"));
        Dataset<Row> totals = perDay.groupBy("name").agg(sum("events").as("total"));
        Dataset<Row> top = totals.orderBy(col("total").desc(), col("name")).limit(MAX_SERIES)
                .crossJoin(totals.agg(count(lit(1)).as("names")));
        return perDay.join(broadcast(top), "name")
                .select(lit(column).as("kind"), col("name"), col("date"), col("events"), col("errors"), col("total"),
                        col("names"));
    }

    /** Findings per day of the chosen series: count, highest severity rank, the best-scored titles. */
    private static Dataset<Row> marks(Dataset<Row> findings, String kind, Column name, List<String> chosen) {
        return findings.where(name.isin(chosen.toArray()))
                .groupBy(name.as("name"), col("date"))
                .agg(count(lit(1)).as("count"), max("rank").as("rank"),
                        slice(sort_array(collect_list(struct(col("score"), col("title"))), false), 1,
                                MAX_MARK_TITLES).as("titles"))
                .select(lit(kind).as("kind"), col("name"), col("date"), col("count"), col("rank"), col("titles"));
    }

    private static Series series(String kind, String name, List<Row> points, List<Row> marks) {
        return new Series(name,
                points.stream().filter(r -> kind.equals(r.getAs("kind")) && name.equals(r.getAs("name")))
                        .map(r -> new DailyPoint(r.<java.sql.Date>getAs("date").toLocalDate(), longOf(r, "events"),
                                longOf(r, "errors")))
                        .toList(),
                marks.stream().filter(r -> kind.equals(r.getAs("kind")) && name.equals(r.getAs("name")))
                        .map(ReportCollector::mark).toList());
    }

    private static FindingMark mark(Row r) {
        List<String> titles = r.<Row>getList(r.fieldIndex("titles")).stream().map(t -> t.getString(1)).toList();
        return new FindingMark(r.<java.sql.Date>getAs("date").toLocalDate(), r.getAs("count"),
                Severities.word(r.<Integer>getAs("rank")), titles);
    }

    /** A column with nulls shown as {@link #NO_VALUE}, so that they chart as one series instead of vanishing. */
    private static Column named(String column) {
        return coalesce(col(column), lit(NO_VALUE)).as(column);
    }

    /** 1 (informational) … 5 (critical), 0 for anything else; the highest of a day colours its marker. */
    private static Column severityRank() {
        Column rank = lit(0);
        for (int i = Severities.ORDER.size() - 1; i >= 0; i--) {
            rank = when(lower(col("severity")).equalTo(Severities.ORDER.get(i)), i + 1).otherwise(rank);
        }
        return rank;
    }

    private ReportData.NightFindings nightFindings(LocalDate date) {
        Dataset<Row> f = store.read(ResultTables.FINDINGS).where(col("date").equalTo(day(date)));
        List<Row> grid = f.groupBy(col("detector"), coalesce(col("severity"), lit("unknown")),
                        coalesce(col("suppressed"), lit(false)))
                .count().collectAsList();
        List<DetectorCount> counts = new ArrayList<>();
        long total = 0;
        long suppressed = 0;
        for (Row r : grid) {
            counts.add(new DetectorCount(r.getString(0), r.getString(1), r.getLong(3)));
            total += r.getLong(3);
            suppressed += r.getBoolean(2) ? r.getLong(3) : 0;
        }
        List<ReportData.Finding> top = f
                .orderBy(coalesce(col("suppressed"), lit(false)), col("score").desc_nulls_last(), col("finding_id"))
                .limit(MAX_TOP_FINDINGS).collectAsList().stream().map(ReportRows::finding).toList();
        return new ReportData.NightFindings(total, suppressed, counts, top);
    }

    private static long longOf(Row r, String field) {
        return longOr0(r, r.fieldIndex(field));
    }

    static long longOr0(Row r, int i) {
        return r.isNullAt(i) ? 0L : ((Number) r.get(i)).longValue();
    }
}
