package io.nightshift.jobs.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.nightshift.jobs.cli.NightshiftException;

/** Every table Nightshift writes, with its documented schema. {@code nightshift tables} prints this catalog. */
public final class ResultTables {
    public static final ResultTable JOB_RUNS = ResultTable.unpartitioned("job_runs",
            "One row per run of a command: status, counts, errors, code version.",
            "run_id STRING NOT NULL COMMENT 'unique id of the run', "
                    + "command STRING COMMENT 'run, backfill, train, score...', "
                    + "logical_date DATE COMMENT 'the date the run processed', "
                    + "status STRING COMMENT 'running, succeeded or failed', "
                    + "started_at TIMESTAMP, ended_at TIMESTAMP, "
                    + "input_rows BIGINT COMMENT 'rows read from the lake for the date', "
                    + "quarantined_rows BIGINT COMMENT 'rows written to quarantine', "
                    + "duplicate_rows BIGINT COMMENT 'rows dropped as duplicates of the same record id', "
                    + "input_files BIGINT COMMENT 'Parquet files read', "
                    + "stage_counts MAP<STRING, BIGINT> COMMENT 'rows written per table', "
                    + "stage_seconds MAP<STRING, DOUBLE> COMMENT 'wall time per stage', "
                    + "error_message STRING COMMENT 'why the run failed', "
                    + "code_version STRING, spark_master STRING, spark_app_id STRING");

    public static final ResultTable QUARANTINE = ResultTable.daily("quarantine",
            "Lake rows that could not be used, with the reason; nothing is dropped silently.",
            "row_id STRING COMMENT 'record id or content hash of the row', "
                    + "reason STRING NOT NULL COMMENT 'why the row was not used', "
                    + "source_file STRING COMMENT 'the Parquet file it came from', "
                    + "raw_json STRING COMMENT 'the row as read, as JSON'");

    public static final ResultTable TREND_HOURLY = ResultTable.daily("trend_hourly",
            "Production-wide hourly aggregates per region × datacenter × service × level.",
            "hour TIMESTAMP NOT NULL COMMENT 'start of the hour (UTC)', "
                    + "region STRING, datacenter STRING, service STRING, level STRING, "
                    + "event_count BIGINT, error_count BIGINT COMMENT 'rows at level ERROR or above', "
                    + "auth_failures BIGINT COMMENT 'login rows with outcome failure', bytes_out BIGINT, "
                    + "distinct_hosts BIGINT, distinct_tenants BIGINT, distinct_users BIGINT, distinct_src_ips BIGINT, "
                    + "hosts_hll BINARY COMMENT 'HLL sketch of hosts (roll up with hll_union_agg)', "
                    + "farms_hll BINARY, tenants_hll BINARY, users_hll BINARY, src_ips_hll BINARY");

    public static final ResultTable TREND_DAILY = ResultTable.daily("trend_daily",
            "Daily aggregates per region × datacenter × service × level, rolled up from trend_hourly sketches.",
            "region STRING, datacenter STRING, service STRING, level STRING, "
                    + "event_count BIGINT, error_count BIGINT, auth_failures BIGINT, bytes_out BIGINT, "
                    + "active_hours BIGINT COMMENT 'hours with at least one row', "
                    + "distinct_hosts BIGINT COMMENT 'HLL estimate', distinct_farms BIGINT COMMENT 'HLL estimate', "
                    + "distinct_tenants BIGINT COMMENT 'HLL estimate', distinct_users BIGINT COMMENT 'HLL estimate', "
                    + "distinct_src_ips BIGINT COMMENT 'HLL estimate', "
                    + "hosts_hll BINARY, farms_hll BINARY, tenants_hll BINARY, users_hll BINARY, src_ips_hll BINARY");

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

    private static final Map<String, ResultTable> ALL = index(List.of(
            JOB_RUNS, QUARANTINE, TREND_HOURLY, TREND_DAILY, TREND_HOST_HOURLY, TREND_ENTITY_HOURLY, FINDINGS));

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
