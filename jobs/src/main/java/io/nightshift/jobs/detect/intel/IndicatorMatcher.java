package io.nightshift.jobs.detect.intel;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.nightshift.jobs.detect.Findings;
import io.nightshift.jobs.schema.CanonicalSchema;

/**
 * Matches a day of logs against indicators and returns threat-intel findings (findings-table shape, without ids).
 *
 * <p>Each log row yields its <em>candidate values</em>: {@code src_ip}, {@code dst_ip}, IPs, URLs, domains and
 * SHA-256 hashes found in {@code message} (precompiled patterns, one pass per row: {@link CandidateExtractor}), the
 * {@code url}, {@code domain}, {@code user_agent} and {@code sha256} attributes, the host of every URL, and every
 * parent domain of a domain ({@code a.b.evil.example} also yields {@code b.evil.example} and {@code evil.example}, so
 * a listed domain matches its subdomains). In the same pass each candidate is looked up in a broadcast set of the
 * indicators' keys, and only those some indicator has are kept; they are exploded and equi-joined on (type, value)
 * with the indicator table, broadcast because indicators are few (100k rows is a few MB) while logs are many: the
 * cost is one pass over the logs plus a hash lookup per candidate, never a cross join.
 *
 * <p>Hits are grouped per indicator × (src_ip, user, host) for the day: one finding each, with the number of
 * distinct rows, first/last seen, the matched fields and up to {@code maxEvidenceRows} earliest row ids.
 */
public final class IndicatorMatcher {
    public static final String DETECTOR = "threat_intel";

    static final StructType INDICATOR_SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("indicator_id", DataTypes.StringType, false),
            DataTypes.createStructField("ioc_type", DataTypes.StringType, false),
            DataTypes.createStructField("ioc_value", DataTypes.StringType, false),
            DataTypes.createStructField("ioc_source", DataTypes.StringType, true),
            DataTypes.createStructField("ioc_confidence", DataTypes.IntegerType, false),
            DataTypes.createStructField("ioc_expiry", DataTypes.StringType, true),
            DataTypes.createStructField("ioc_origin", DataTypes.StringType, true)));

    private final int maxEvidenceRows;

    public IndicatorMatcher(int maxEvidenceRows) {
        if (maxEvidenceRows < 1) {
            throw new IllegalArgumentException("maxEvidenceRows must be positive, got " + maxEvidenceRows);
        }
        this.maxEvidenceRows = maxEvidenceRows;
    }

    /** The indicators as a small DataFrame (built on the driver, where the feed files were read). */
    public static Dataset<Row> indicatorTable(SparkSession spark, List<Indicator> indicators) {
        List<Row> rows = new ArrayList<>(indicators.size());
        for (Indicator i : indicators) {
            rows.add(RowFactory.create(i.id(), i.type().word(), i.value(), i.source(), i.confidence(),
                    i.expiry() == null ? null : i.expiry().toString(), i.origin()));
        }
        return spark.createDataFrame(rows, INDICATOR_SCHEMA);
    }

    /** Findings for every (indicator, src_ip, user, host) with at least one matching row. */
    public Dataset<Row> findings(Dataset<Row> logs, Dataset<Row> indicators) {
        IndicatorKeys keys = new IndicatorKeys();
        for (Row r : indicators.select("ioc_type", "ioc_value").collectAsList()) {
            keys.add(r.getString(0), r.getString(1));
        }
        Broadcast<IndicatorKeys> indicatorKeys = JavaSparkContext.fromSparkContext(logs.sparkSession().sparkContext())
                .broadcast(keys);
        Dataset<Row> candidates = logs.select(col(CanonicalSchema.ROW_ID), col(CanonicalSchema.TIMESTAMP),
                        entityColumns(), explode(candidates(indicatorKeys)).as("c"))
                .select(col("*"), col("c.type").as("c_type"), col("c.field").as("c_field"),
                        normalized(col("c.type"), col("c.value")).as("c_value"))
                .drop("c");
        Dataset<Row> hits = candidates.join(broadcast(indicators),
                candidates.col("c_type").equalTo(indicators.col("ioc_type"))
                        .and(candidates.col("c_value").equalTo(indicators.col("ioc_value"))));
        return describe(group(hits));
    }

    private static Column entityColumns() {
        return struct(Findings.ENTITY_COLUMNS.stream().map(e -> col("`" + e + "`")).toArray(Column[]::new)).as("e");
    }

    /** Every (type, value, field) a row offers, nulls, empties and repeats removed ({@link CandidateExtractor}). */
    static Column candidates(Broadcast<IndicatorKeys> indicatorKeys) {
        Column attrs = col(CanonicalSchema.ATTRIBUTES);
        return CandidateExtractor.candidates(indicatorKeys, col(CanonicalSchema.MESSAGE),
                col(CanonicalSchema.SRC_IP).cast("string"), col(CanonicalSchema.DST_IP).cast("string"),
                attrs.getItem("url"), attrs.getItem("domain"), attrs.getItem("user_agent"), attrs.getItem("sha256"));
    }

    /** The same normalisation {@link IndicatorType#normalize} applies to feed values. */
    private static Column normalized(Column type, Column value) {
        Column v = trim(value);
        return when(type.isin("ip", "sha256"), lower(v))
                .when(type.equalTo("domain"), org.apache.spark.sql.functions.regexp_replace(lower(v), "\\.$", ""))
                .otherwise(v);
    }

    private Dataset<Row> group(Dataset<Row> hits) {
        Column ts = col(CanonicalSchema.TIMESTAMP);
        List<Column> aggs = new ArrayList<>();
        aggs.add(max(col("ioc_source")).as("ioc_source"));
        aggs.add(max(col("ioc_confidence")).as("ioc_confidence"));
        aggs.add(max(col("ioc_expiry")).as("ioc_expiry"));
        aggs.add(max(col("ioc_origin")).as("ioc_origin"));
        aggs.add(count_distinct(col(CanonicalSchema.ROW_ID)).as("observed"));
        aggs.add(min(ts).as("first_seen"));
        aggs.add(max(ts).as("last_seen"));
        aggs.add(array_sort(collect_set(col("c_field"))).as("fields"));
        aggs.add(slice(array_sort(collect_set(struct(ts.as("ts"), col(CanonicalSchema.ROW_ID).as("id")))), 1,
                maxEvidenceRows).getField("id").as("evidence_row_ids"));
        for (String e : List.of("tenant_id", "service", "region", "datacenter", "farm")) {
            aggs.add(min(col("e." + e)).as("_min_" + e));
            aggs.add(max(col("e." + e)).as("_max_" + e));
        }
        return hits.groupBy(col("indicator_id"), col("ioc_type"), col("ioc_value"),
                        col("e.src_ip").as("src_ip"), col("e.user").as("user"), col("e.host").as("host"))
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
    }

    private static Dataset<Row> describe(Dataset<Row> g) {
        Column fields = col("fields");
        Column inbound = array_contains(fields, "src_ip");
        Column outbound = array_contains(fields, "dst_ip");
        Column type = col("ioc_type");
        Column value = col("ioc_value");
        Column what = when(type.equalTo("ip").and(inbound), concat(lit("connection from "), value))
                .when(type.equalTo("ip").and(outbound), concat(lit("connection to "), value))
                .when(type.equalTo("user_agent"), concat(lit("requests with user agent '"), value, lit("'")))
                .when(type.equalTo("url"), concat(lit("URL "), value, lit(" seen in "), array_join(fields, ", ")))
                .when(type.equalTo("sha256"), concat(lit("file hash "), value, lit(" seen in "), array_join(fields, ", ")))
                .otherwise(concat(lit("domain "), value, lit(" seen in "), array_join(fields, ", ")));
        Column listing = concat(lit(", listed by feed "), col("ioc_source"), lit(" (confidence "),
                col("ioc_confidence").cast("string"), coalesce(concat(lit(", expires "), col("ioc_expiry")),
                        lit(", no expiry")), lit(")"));
        Column where = concat(lit("; "), col("observed").cast("string"),
                when(col("observed").equalTo(1), lit(" event")).otherwise(lit(" events")),
                coalesce(concat(lit(" for user "), col("user")), lit("")),
                coalesce(concat(lit(" (tenant "), tenantValue(), lit(")")), lit("")),
                coalesce(concat(lit(" on host "), col("host")), lit("")),
                when(inbound.unary_$bang(), coalesce(concat(lit(" from "), col("src_ip")), lit(""))).otherwise(lit("")),
                concat(lit(" between "), date_format(col("first_seen"), "HH:mm"), lit(" and "),
                        date_format(col("last_seen"), "HH:mm")));
        Column weight = when(type.equalTo("sha256"), lit(IndicatorType.SHA256.weight()))
                .when(type.equalTo("url"), lit(IndicatorType.URL.weight()))
                .when(type.equalTo("ip"), lit(IndicatorType.IP.weight()))
                .when(type.equalTo("domain"), lit(IndicatorType.DOMAIN.weight()))
                .otherwise(lit(IndicatorType.USER_AGENT.weight()));
        Column score = round(org.apache.spark.sql.functions.least(lit(100.0),
                col("ioc_confidence").cast("double").multiply(weight)), 1);
        Column tactic = when(type.equalTo("user_agent"), lit("TA0043 Reconnaissance"))
                .when(type.equalTo("sha256"), lit("TA0002 Execution"))
                .when(type.equalTo("ip").and(inbound).and(outbound.unary_$bang()), lit("TA0001 Initial Access"))
                .otherwise(lit("TA0011 Command and Control"));
        Column technique = when(type.equalTo("user_agent"), lit("T1595 Active Scanning"))
                .when(type.equalTo("sha256"), lit("T1204.002 Malicious File"))
                .when(type.equalTo("ip").and(inbound).and(outbound.unary_$bang()), lit(null))
                .otherwise(lit("T1071 Application Layer Protocol"));
        return g.select(
                lit(DETECTOR).as("detector"),
                col("indicator_id").as("detector_id"),
                concat(lit("Threat intelligence match: "), type, lit(" "), value).as("title"),
                concat(what, listing, where).as("description"),
                score.as("score"),
                Findings.severityOf(score).as("severity"),
                col("first_seen"), col("last_seen"),
                tenantValue().as("tenant_id"), col("user"), col("host"), col("src_ip"),
                constant("service").as("service"), constant("region").as("region"),
                constant("datacenter").as("datacenter"), constant("farm").as("farm"),
                col("observed").cast("double").as("observed"),
                lit(null).cast("double").as("expected"),
                lit(null).cast("double").as("expected_spread"),
                tactic.as("mitre_tactic"), technique.cast("string").as("mitre_technique"),
                col("evidence_row_ids"),
                array(concat(lit("Block "), value, lit(" at the edge (firewall, proxy or WAF) if it is not blocked yet")),
                        lit("Review everything the same user, host and source did around the match"),
                        concat(lit("Confirm the listing is current with feed "), col("ioc_source")))
                        .as("recommended_actions"),
                org.apache.spark.sql.functions.map(
                        lit("indicator_type"), type, lit("indicator_value"), value,
                        lit("feed"), col("ioc_source"), lit("confidence"), col("ioc_confidence").cast("string"),
                        lit("expiry"), col("ioc_expiry"), lit("indicator_origin"), col("ioc_origin"),
                        lit("matched_fields"), array_join(fields, ",")).as("metadata"),
                lit(false).as("suppressed"),
                lit(null).cast("string").as("suppression_reason"));
    }

    private static Column tenantValue() {
        return constant("tenant_id");
    }

    private static Column constant(String e) {
        return when(col("_min_" + e).equalTo(col("_max_" + e)), col("_min_" + e));
    }
}
