package io.nightshift.jobs.after.report;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Everything one night's report shows, as plain values: {@link ReportCollector} fills it from the result tables,
 * {@link HtmlReportWriter} renders it without Spark. Every list is already bounded (top N) by the collector; the
 * {@code ...Total} counts say how many there were, so the report can say what it left out. Strings come from the
 * logs and tables as they are (attacker-controlled): escaping is the writer's job, never the collector's.
 *
 * @param date        the logical date of the night
 * @param days        days of trend history the charts cover, ending on {@code date}
 * @param generatedAt when the report was made
 * @param tables      catalog.namespace the data came from
 * @param notes       things a reader should know about the data itself (a later failed run, series left out)
 */
public record ReportData(LocalDate date, int days, Instant generatedAt, String tables, Run run,
                         List<String> notes, Volume volume, Trends trends, NightFindings findings,
                         List<Incident> incidents, long incidentsTotal, List<AnomalousWindow> anomalousWindows,
                         long anomalousWindowsTotal, List<Template> newTemplates, long newTemplatesTotal,
                         Versions versions) {
    public ReportData {
        notes = List.copyOf(notes);
        incidents = List.copyOf(incidents);
        anomalousWindows = List.copyOf(anomalousWindows);
        newTemplates = List.copyOf(newTemplates);
    }

    /** The first day the trend charts cover. */
    public LocalDate firstDay() {
        return date.minusDays(days - 1L);
    }

    /** The successful nightly run the report is about (the latest one of the date), from {@code job_runs}. */
    public record Run(String runId, String status, Instant startedAt, Instant endedAt, long inputRows,
                      long quarantinedRows, long duplicateRows, long inputFiles, Map<String, Long> stageCounts,
                      Map<String, Double> stageSeconds, String codeVersion, String sparkMaster) {
        public Run {
            stageCounts = Map.copyOf(stageCounts);
            stageSeconds = Map.copyOf(stageSeconds);
        }
    }

    /** A label and how often it occurred (quarantine reasons). */
    public record Count(String label, long count) {
    }

    /**
     * Input volume: rows read and quarantined per night over the chart period (nights without a successful run are
     * absent), and the night's quarantine reasons.
     */
    public record Volume(List<NightVolume> nights, List<Count> quarantineReasons, long quarantineReasonsTotal) {
        public Volume {
            nights = List.copyOf(nights);
            quarantineReasons = List.copyOf(quarantineReasons);
        }
    }

    public record NightVolume(LocalDate date, long inputRows, long quarantinedRows) {
    }

    /**
     * Daily trend series from {@code trend_daily}: the whole fleet, the busiest services and regions.
     *
     * @param daysWithData dates of the period that have any trend rows; a series is 0 on such a day when it has no
     *                     row, and has a gap on the other days
     */
    public record Trends(List<LocalDate> daysWithData, Series fleet, List<Series> services, long servicesTotal,
                         List<Series> regions, long regionsTotal) {
        public Trends {
            daysWithData = List.copyOf(daysWithData);
            services = List.copyOf(services);
            regions = List.copyOf(regions);
        }
    }

    /** One chart's data: events and errors per day, and the days with findings on this series. */
    public record Series(String name, List<DailyPoint> points, List<FindingMark> marks) {
        public Series {
            points = List.copyOf(points);
            marks = List.copyOf(marks);
        }
    }

    public record DailyPoint(LocalDate date, long events, long errors) {
    }

    /**
     * The (unsuppressed) findings of one night on one series.
     *
     * @param severity    the highest severity among them
     * @param topTitles   titles of the highest-scored ones (bounded), for the chart's tooltip
     */
    public record FindingMark(LocalDate date, long count, String severity, List<String> topTitles) {
        public FindingMark {
            topTitles = List.copyOf(topTitles);
        }
    }

    /** The night's findings: counts per detector and severity, and the highest-scored ones. */
    public record NightFindings(long total, long suppressed, List<DetectorCount> byDetectorAndSeverity,
                                List<Finding> top) {
        public NightFindings {
            byDetectorAndSeverity = List.copyOf(byDetectorAndSeverity);
            top = List.copyOf(top);
        }
    }

    public record DetectorCount(String detector, String severity, long count) {
    }

    public record Finding(String detector, String detectorId, String title, double score, String severity,
                          Instant firstSeen, Instant lastSeen, String service, String region, String host,
                          String user, String tenant, boolean suppressed) {
    }

    /** An incident updated by the night's run, with what a person needs to judge it. */
    public record Incident(String id, String status, String title, String summary, String severity,
                           double severityScore, List<String> severityReasons, String priority,
                           List<String> priorityReasons, String functionalImpact, String informationImpact,
                           String recoverability, Instant firstSeen, Instant lastSeen, Scope scope,
                           List<String> detectors, int findingCount, List<String> recommendedActions) {
        public Incident {
            severityReasons = List.copyOf(severityReasons);
            priorityReasons = List.copyOf(priorityReasons);
            detectors = List.copyOf(detectors);
            recommendedActions = List.copyOf(recommendedActions);
        }
    }

    public record Scope(List<String> regions, List<String> datacenters, List<String> services, List<String> hosts,
                        List<String> tenants, int affectedTenantCount) {
        public Scope {
            regions = List.copyOf(regions);
            datacenters = List.copyOf(datacenters);
            services = List.copyOf(services);
            hosts = List.copyOf(hosts);
            tenants = List.copyOf(tenants);
        }
    }

    /** A window the clustering detector found anomalous, with the templates that explain it. */
    public record AnomalousWindow(String view, String entityType, String entity, Instant windowStart,
                                  Instant windowEnd, long lineCount, double score, int modelVersion,
                                  List<TemplateContribution> templates) {
        public AnomalousWindow {
            templates = List.copyOf(templates);
        }
    }

    /** @param template the template text, or null when no log_templates row has the id */
    public record TemplateContribution(String templateId, String template, double observed, double expected,
                                       double contribution) {
    }

    /** A template first seen this night (not among the model's training templates). */
    public record Template(String templateId, String template, long eventCount, List<String> services) {
        public Template {
            services = List.copyOf(services);
        }
    }

    /** What produced the night's results: model versions and the rules that fired. */
    public record Versions(List<ModelVersion> models, List<RuleFired> rules) {
        public Versions {
            models = List.copyOf(models);
            rules = List.copyOf(rules);
        }
    }

    /** @param usedThisNight the night's anomaly scores came from this version */
    public record ModelVersion(String name, int version, Instant trainedAt, LocalDate trainingFrom,
                               LocalDate trainingTo, String status, Map<String, Double> metrics,
                               boolean usedThisNight) {
        public ModelVersion {
            metrics = Map.copyOf(metrics);
        }
    }

    /** A rule with findings this night, identified as the findings recorded it (rules carry no version number). */
    public record RuleFired(String ruleId, String file, String format, String status, String severity,
                            long findings) {
    }
}
