package io.nightshift.jobs.schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.nightshift.jobs.base.NightshiftException;

/** Every table Nightshift writes, with its documented schema. {@code nightshift tables} prints this catalog. */
public final class ResultTables {
    /** Responses, failure classes and latency: in the hourly rows and, rolled up, in the daily ones. */
    private static final String LATENCY_COLUMNS = "responses BIGINT COMMENT 'rows with a status_code', "
            + "status_4xx BIGINT COMMENT 'rows with a 4xx status_code', "
            + "status_5xx BIGINT COMMENT 'rows with a 5xx status_code', "
            + "timed_requests BIGINT COMMENT 'rows with a duration_ms', "
            + "latency_hist MAP<INT, BIGINT> COMMENT 'duration_ms histogram: bucket i counts (1.02^(i-1), "
            + "1.02^i] ms; add counts per bucket to roll up', "
            + "p50_ms DOUBLE COMMENT 'median duration_ms, within 1%', p95_ms DOUBLE COMMENT 'within 1%', "
            + "p99_ms DOUBLE COMMENT 'within 1%'";

    public static final ResultTable JOB_RUNS = ResultTable.keyed("job_runs",
            "One row per run of a command: status, counts, errors, code version.",
            ResultTable.WriteMode.MERGE, List.of("run_id"),
            "run_id STRING NOT NULL COMMENT 'unique id of the run', "
                    + "command STRING COMMENT 'run, bootstrap-history, maintain or query --allow-writes', "
                    + "logical_date DATE COMMENT 'the date the run processed', "
                    + "status STRING COMMENT 'running, succeeded, failed, or abandoned (its process vanished without "
                    + "recording an outcome; marked by the next run of the date)', "
                    + "started_at TIMESTAMP, ended_at TIMESTAMP, "
                    + "input_rows BIGINT COMMENT 'rows read from the lake for the date', "
                    + "quarantined_rows BIGINT COMMENT 'rows written to quarantine', "
                    + "duplicate_rows BIGINT COMMENT 'rows dropped as duplicates of the same record id', "
                    + "input_files BIGINT COMMENT 'Parquet files read', "
                    + "stage_counts MAP<STRING, BIGINT> COMMENT 'rows written per table; maintain: files and snapshots', "
                    + "stage_seconds MAP<STRING, DOUBLE> COMMENT 'wall time: read-lake, planning of each stage, compute (compute:TABLE per table), publish', "
                    + "error_message STRING COMMENT 'why the run failed', "
                    + "code_version STRING, spark_master STRING, spark_app_id STRING, "
                    + "detail STRING COMMENT 'what the run did where its command alone does not say: the statement of "
                    + "a query --allow-writes; for a night, a line per thing it left out and why (a rule that cannot "
                    + "run)'");

    public static final ResultTable QUARANTINE = ResultTable.daily("quarantine",
            "Lake rows that could not be used, with the reason; nothing is dropped silently.",
            "row_id STRING COMMENT 'record id or content hash of the row', "
                    + "reason STRING NOT NULL COMMENT 'why the row was not used', "
                    + "source_file STRING COMMENT 'the Parquet file it came from', "
                    + "raw_json STRING COMMENT 'the row as read, as JSON'");

    public static final ResultTable LAKE_PROFILE = ResultTable.daily("lake_profile",
            "Per date and canonical column: how many rows had a value, how the lake's values were converted and how many "
                    + "could not be; flags a column that went null for a whole day.",
            "column_name STRING NOT NULL COMMENT 'canonical column', "
                    + "lake_column STRING COMMENT 'the lake column it is read from (lake.columns mapping)', "
                    + "rows BIGINT COMMENT 'rows read for the date', non_null BIGINT COMMENT 'rows with a value', "
                    + "status STRING COMMENT 'ok; no_rows (nothing read); empty (null in every row, and in the "
                    + "profiles of the earlier dates too: a column this lake does not fill); became_null (null in "
                    + "every row although it had values on an earlier date: schema drift or a broken producer)', "
                    + "last_seen_date DATE COMMENT 'latest earlier date (within trends.history_days) with values', "
                    + "type_warnings BIGINT COMMENT 'rows whose lake value had a type no conversion rule turns into "
                    + "the column''s (a boolean or struct for a number, text that is no number): left null', "
                    + "conversion STRING COMMENT 'how the lake values were converted (struct as JSON text, boolean "
                    + "as true/false, text as number, read from JSON text...); null when none was needed'");

    public static final ResultTable TREND_HOURLY = ResultTable.daily("trend_hourly",
            "Production-wide hourly aggregates per region × datacenter × service × level.",
            "hour TIMESTAMP NOT NULL COMMENT 'start of the hour (UTC)', "
                    + "region STRING, datacenter STRING, service STRING, level STRING, "
                    + "event_count BIGINT, error_count BIGINT COMMENT 'rows at level ERROR or above', "
                    + "auth_failures BIGINT COMMENT 'login rows with outcome failure', bytes_out BIGINT, "
                    + "distinct_hosts BIGINT COMMENT 'HLL estimate (exact below a few hundred values)', "
                    + "distinct_tenants BIGINT COMMENT 'HLL estimate', distinct_users BIGINT COMMENT 'HLL estimate', "
                    + "distinct_src_ips BIGINT COMMENT 'HLL estimate', "
                    + "hosts_hll BINARY COMMENT 'HLL sketch of hosts (roll up with hll_union_agg)', "
                    + "farms_hll BINARY, tenants_hll BINARY, users_hll BINARY, src_ips_hll BINARY, "
                    + LATENCY_COLUMNS);

    public static final ResultTable TREND_DAILY = ResultTable.daily("trend_daily",
            "Daily aggregates per region × datacenter × service × level, rolled up from trend_hourly sketches.",
            "region STRING, datacenter STRING, service STRING, level STRING, "
                    + "event_count BIGINT, error_count BIGINT, auth_failures BIGINT, bytes_out BIGINT, "
                    + "active_hours BIGINT COMMENT 'hours with at least one row', "
                    + "distinct_hosts BIGINT COMMENT 'HLL estimate', distinct_farms BIGINT COMMENT 'HLL estimate', "
                    + "distinct_tenants BIGINT COMMENT 'HLL estimate', distinct_users BIGINT COMMENT 'HLL estimate', "
                    + "distinct_src_ips BIGINT COMMENT 'HLL estimate', "
                    + "hosts_hll BINARY, farms_hll BINARY, tenants_hll BINARY, users_hll BINARY, src_ips_hll BINARY, "
                    + LATENCY_COLUMNS);

    public static final ResultTable TREND_HOST_HOURLY = ResultTable.daily("trend_host_hourly",
            "Hourly volume per host: the series behind silence and per-host spike detection.",
            "hour TIMESTAMP NOT NULL, host STRING, service STRING, farm STRING, datacenter STRING, region STRING, "
                    + "event_count BIGINT, error_count BIGINT, bytes_out BIGINT");

    public static final ResultTable TREND_ENTITY_HOURLY = ResultTable.daily("trend_entity_hourly",
            "Hourly activity per tenant and per user: auth failures and bytes out baselines.",
            "hour TIMESTAMP NOT NULL, entity_type STRING NOT NULL COMMENT 'tenant or user', entity STRING NOT NULL, "
                    + "tenant_id STRING COMMENT 'the tenant (of the user, for user rows)', event_count BIGINT, error_count BIGINT, auth_failures BIGINT, bytes_out BIGINT, "
                    + "distinct_src_ips BIGINT");

    public static final ResultTable FINDINGS = ResultTable.daily("findings",
            "Scored detections from every detector (trend, cluster, rule, threat_intel), one row per finding.",
            "finding_id STRING NOT NULL COMMENT 'deterministic: same input, same id', "
                    + "fingerprint STRING COMMENT 'detector + check + entities, without time (false-positive suppression key)', "
                    + "detector STRING NOT NULL COMMENT 'trend, cluster, rule or threat_intel', "
                    + "detector_id STRING NOT NULL COMMENT 'which check, rule id or indicator id', "
                    + "title STRING, description STRING COMMENT 'what was seen, in words', "
                    + "score DOUBLE COMMENT '0-100, comparable across detectors', "
                    + "severity STRING COMMENT 'informational, low, medium, high or critical', "
                    + "first_seen TIMESTAMP, last_seen TIMESTAMP, "
                    + "tenant_id STRING, user STRING, host STRING, src_ip STRING, service STRING, region STRING, "
                    + "datacenter STRING, farm STRING, "
                    + "observed DOUBLE COMMENT 'observed value of the watched measure', "
                    + "expected DOUBLE COMMENT 'baseline (median) of the watched measure', "
                    + "expected_spread DOUBLE COMMENT 'robust spread of the baseline (scaled MAD)', "
                    + "mitre_tactic STRING, mitre_technique STRING, "
                    + "evidence_row_ids ARRAY<STRING> COMMENT 'row_id of the log rows behind the finding (bounded)', "
                    + "recommended_actions ARRAY<STRING>, "
                    + "metadata MAP<STRING, STRING> COMMENT 'detector-specific details (cold start, model version...)', "
                    + "suppressed BOOLEAN COMMENT 'true when a triage verdict or allowlist suppresses it', "
                    + "suppression_reason STRING");

    public static final ResultTable INCIDENTS = ResultTable.keyed("incidents",
            "Candidate incidents: correlated findings as a case record, updated across nights while open.",
            ResultTable.WriteMode.MERGE, List.of("incident_id"),
            "incident_id STRING NOT NULL COMMENT 'stable id', "
                    + "status STRING COMMENT 'new, open, contained, resolved, closed or false_positive', "
                    + "title STRING, summary STRING COMMENT 'one sentence a person can read', "
                    + "severity STRING COMMENT 'informational, low, medium, high or critical', "
                    + "severity_score DOUBLE COMMENT '0-100 from the configured criteria', "
                    + "severity_reasons ARRAY<STRING> COMMENT 'each criterion and its contribution', "
                    + "priority STRING COMMENT 'P1 (most urgent) to P4', priority_reasons ARRAY<STRING>, "
                    + "functional_impact STRING COMMENT 'NIST SP 800-61: none, low, medium, high', "
                    + "information_impact STRING COMMENT 'NIST: none, privacy, proprietary, integrity', "
                    + "recoverability STRING COMMENT 'NIST: regular, supplemented, extended, not_recoverable', "
                    + "first_seen TIMESTAMP, last_seen TIMESTAMP, "
                    + "regions ARRAY<STRING>, datacenters ARRAY<STRING>, services ARRAY<STRING>, farms ARRAY<STRING>, "
                    + "hosts ARRAY<STRING>, tenants ARRAY<STRING>, affected_tenant_count INT, "
                    + "indicators ARRAY<STRUCT<type: STRING, value: STRING>> COMMENT 'ip, user, host, domain, template...', "
                    + "finding_ids ARRAY<STRING>, fingerprints ARRAY<STRING>, detectors ARRAY<STRING>, "
                    + "related_incident_ids ARRAY<STRING> COMMENT 'earlier incidents sharing indicators or fingerprints', "
                    + "recommended_actions ARRAY<STRING>, "
                    + "evidence_sha256 STRING COMMENT 'SHA-256 over the evidence manifest (row_id:sha256 lines, sorted)', "
                    + "created_date DATE, updated_date DATE COMMENT 'logical date of the last run that changed it', "
                    + "owner_team STRING COMMENT 'service catalog owner of the most critical service in scope', "
                    + "secondary_teams ARRAY<STRING> COMMENT 'owners of the other services in scope', "
                    + "escalation_teams ARRAY<STRING> COMMENT 'who the escalation policy says to involve', "
                    + "escalation_reasons ARRAY<STRING> COMMENT 'which policy rule added whom, and why', "
                    + "incident_version INT COMMENT '1 when created; +1 each later night that changes it (notifications "
                    + "are per version)', "
                    + "status_changed_at TIMESTAMP COMMENT 'when an analyst last moved the status (analyst-owned)', "
                    + "status_changed_by STRING COMMENT 'who moved it (analyst-owned)', "
                    + "closed_at TIMESTAMP COMMENT 'when it was closed or marked false_positive (analyst-owned)', "
                    + "lessons_learned STRING COMMENT 'recorded by incident close (analyst-owned)'")
            .preserving(List.of("status", "status_changed_at", "status_changed_by", "closed_at", "lessons_learned"));

    public static final ResultTable INCIDENT_ACTIONS = ResultTable.keyed("incident_actions",
            "Every action an analyst took on an incident, with the status move it made; append-only.",
            ResultTable.WriteMode.INSERT_NEW, List.of("action_id"),
            "action_id STRING NOT NULL, incident_id STRING NOT NULL, "
                    + "action STRING COMMENT 'investigate, contain, eradicate, recover, notify-customers, note, "
                    + "triage or close', "
                    + "analyst STRING, text STRING COMMENT 'what was done, in the analyst''s words', "
                    + "status_before STRING, status_after STRING, recorded_at TIMESTAMP");

    public static final ResultTable NOTIFICATIONS = ResultTable.keyed("notifications",
            "One row per incident version and sink: the delivery of the incident (OCSF JSON) and its state.",
            ResultTable.WriteMode.MERGE, List.of("notification_id"),
            "notification_id STRING NOT NULL COMMENT 'incident_id/v<version>/sink: one delivery per version and sink', "
                    + "incident_id STRING NOT NULL, incident_version INT, sink STRING, sink_type STRING COMMENT "
                    + "'webhook or directory', teams ARRAY<STRING> COMMENT 'escalation teams the notification is for', "
                    + "payload STRING COMMENT 'the JSON body delivered', payload_sha256 STRING, "
                    + "status STRING COMMENT 'pending, delivered, failed (gave up after max attempts) or superseded "
                    + "(a newer version of the incident replaced it before delivery)', "
                    + "attempts INT, last_error STRING, created_at TIMESTAMP, last_attempt_at TIMESTAMP, "
                    + "delivered_at TIMESTAMP, logical_date DATE COMMENT 'the night that created it'");

    public static final ResultTable DETECTION_METRICS = ResultTable.keyed("detection_metrics",
            "Per detector and rule: findings, incidents, triage verdicts, false-positive rate, times to detect, "
                    + "triage and close; rules above the false-positive threshold flagged for review.",
            ResultTable.WriteMode.MERGE, List.of("detector", "detector_id"),
            "detector STRING NOT NULL, detector_id STRING NOT NULL COMMENT 'rule id, check or indicator feed', "
                    + "rule_status STRING COMMENT 'stable or experimental (rules only)', "
                    + "findings BIGINT, incidents BIGINT COMMENT 'incidents holding at least one of its findings', "
                    + "verdicts BIGINT COMMENT 'of those, incidents with a triage verdict or marked false_positive', "
                    + "false_positives BIGINT COMMENT 'incidents whose latest verdict or whose status is "
                    + "false_positive', false_positive_rate DOUBLE COMMENT 'false_positives / verdicts; null without "
                    + "verdicts', "
                    + "median_minutes_to_detect DOUBLE COMMENT 'first event of a finding to the end of the first "
                    + "succeeded run of its date', median_hours_to_triage DOUBLE COMMENT 'incident created (end of the "
                    + "first succeeded run of its created_date) to the first analyst action or verdict', "
                    + "median_hours_to_close DOUBLE COMMENT 'incident created to closed_at', "
                    + "flagged_for_review BOOLEAN COMMENT 'at least metrics.min_verdicts verdicts and a rate above "
                    + "metrics.max_false_positive_rate', review_reason STRING COMMENT 'why it is flagged, in a "
                    + "sentence', computed_at TIMESTAMP");


    public static final ResultTable INCIDENT_EVIDENCE = ResultTable.keyed("incident_evidence",
            "The log rows behind each incident, kept whole with their SHA-256; append-only.",
            ResultTable.WriteMode.INSERT_NEW, List.of("incident_id", "row_id"),
            "incident_id STRING NOT NULL, finding_id STRING COMMENT 'the finding that pointed at the row', "
                    + "row_id STRING NOT NULL, log_date DATE COMMENT 'logical date of the log row', "
                    + "log_json STRING COMMENT 'the canonical log row as JSON, exactly as preserved', "
                    + "sha256 STRING COMMENT 'SHA-256 of log_json', preserved_date DATE");

    public static final ResultTable AFFECTED_CUSTOMERS = ResultTable.keyed("affected_customers",
            "One row per incident and tenant: who to notify, with their industry and regulations.",
            ResultTable.WriteMode.MERGE, List.of("incident_id", "tenant_id"),
            "incident_id STRING NOT NULL, tenant_id STRING NOT NULL, tenant_name STRING, industry STRING, "
                    + "regulations ARRAY<STRING>, first_seen TIMESTAMP, last_seen TIMESTAMP, "
                    + "event_count BIGINT COMMENT 'log rows of the tenant in the incident scope and time'");

    public static final ResultTable TRIAGE = ResultTable.keyed("triage",
            "Analyst verdicts on incidents; a false_positive suppresses the same fingerprints for a while.",
            ResultTable.WriteMode.INSERT_NEW, List.of("triage_id"),
            "triage_id STRING NOT NULL, incident_id STRING NOT NULL, "
                    + "verdict STRING COMMENT 'true_positive, false_positive, benign or duplicate', "
                    + "analyst STRING, note STRING, recorded_at TIMESTAMP, "
                    + "fingerprints ARRAY<STRING> COMMENT 'finding fingerprints of the incident at the time', "
                    + "suppress_until DATE COMMENT 'false positives: same fingerprints suppressed until this date'");

    public static final ResultTable LOG_TEMPLATES = ResultTable.daily("log_templates",
            "Log templates seen on the date: id, text, counts, first and last seen, whether the model knew them.",
            "template_id STRING NOT NULL COMMENT 'stable id: a hash of the template text', "
                    + "template STRING COMMENT 'message with parameters masked as <*>', "
                    + "event_count BIGINT, first_seen TIMESTAMP, last_seen TIMESTAMP, "
                    + "is_new BOOLEAN COMMENT 'not among the templates the model was trained on', "
                    + "services ARRAY<STRING> COMMENT 'services that logged it (at most 20)', "
                    + "model_version INT");

    public static final ResultTable ANOMALY_SCORES = ResultTable.daily("anomaly_scores",
            "Every window scored by the clustering detector, with its explanation.",
            "view STRING COMMENT 'entity x window view, e.g. host_10m', entity_type STRING, entity STRING, "
                    + "window_start TIMESTAMP, window_end TIMESTAMP, line_count BIGINT, "
                    + "score DOUBLE COMMENT '0-100, calibrated on the training windows', is_anomaly BOOLEAN, "
                    + "cluster INT, distance DOUBLE, "
                    + "top_templates ARRAY<STRUCT<template_id: STRING, observed: DOUBLE, expected: DOUBLE, "
                    + "contribution: DOUBLE>> COMMENT 'templates contributing most to the distance', "
                    + "model_version INT");

    public static final ResultTable MODEL_REGISTRY = ResultTable.keyed("model_registry",
            "Trained model versions: training range, params, metrics, where they are stored.",
            ResultTable.WriteMode.MERGE, List.of("name", "version"),
            "name STRING NOT NULL, version INT NOT NULL, trained_at TIMESTAMP, "
                    + "training_from DATE, training_to DATE, params MAP<STRING, STRING>, "
                    + "metrics MAP<STRING, DOUBLE>, path STRING, status STRING COMMENT 'active or retired', "
                    + "model_card STRING COMMENT 'JSON model cards of every view'");

    private static final Map<String, ResultTable> ALL = index(List.of(
            JOB_RUNS, QUARANTINE, LAKE_PROFILE, TREND_HOURLY, TREND_DAILY, TREND_HOST_HOURLY, TREND_ENTITY_HOURLY, FINDINGS,
            INCIDENTS, INCIDENT_EVIDENCE, AFFECTED_CUSTOMERS, TRIAGE, INCIDENT_ACTIONS, NOTIFICATIONS, DETECTION_METRICS,
            LOG_TEMPLATES, ANOMALY_SCORES, MODEL_REGISTRY));

    private ResultTables() {
    }

    private static Map<String, ResultTable> index(List<ResultTable> tables) {
        Map<String, ResultTable> m = new LinkedHashMap<>();
        tables.forEach(t -> m.put(t.name(), t));
        return m;
    }

    public static List<ResultTable> all() {
        return List.copyOf(ALL.values());
    }

    public static ResultTable byName(String name) {
        ResultTable t = ALL.get(name);
        if (t == null) {
            throw NightshiftException.usage("unknown table '" + name + "'; tables are " + ALL.keySet());
        }
        return t;
    }
}
