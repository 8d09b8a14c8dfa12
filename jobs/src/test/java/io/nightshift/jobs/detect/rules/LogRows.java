package io.nightshift.jobs.detect.rules;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import io.nightshift.jobs.schema.CanonicalSchema;

/** Tiny canonical-schema log frames for rule and intel tests, built fluently row by row. */
public final class LogRows {
    private final List<LogRow> rows = new ArrayList<>();

    public LogRow add(String id, String isoTimestamp) {
        LogRow r = new LogRow(id, isoTimestamp);
        rows.add(r);
        return r;
    }

    public LogRows addAll(LogRows other) {
        rows.addAll(other.rows);
        return this;
    }

    public Dataset<Row> frame(SparkSession spark) {
        List<Row> out = new ArrayList<>();
        for (LogRow r : rows) {
            out.add(r.toRow());
        }
        return spark.createDataFrame(out, CanonicalSchema.struct());
    }

    /** One row; unset columns are null except service (auth), host (h1), message, level (INFO) and location. */
    public static final class LogRow {
        final String id;
        final String ts;
        String service = "auth";
        String host = "h1";
        String message = "event";
        String level = "INFO";
        String region = "eu-west";
        String datacenter = "eu-west-1";
        String farm = "farm-1";
        String tenant;
        String user;
        String srcIp;
        String dstIp;
        String action;
        String outcome;
        Integer status;
        Long bytes;
        Double duration;
        final Map<String, String> attributes = new LinkedHashMap<>();

        LogRow(String id, String ts) {
            this.id = id;
            this.ts = ts;
        }

        public LogRow service(String v) { service = v; return this; }
        public LogRow host(String v) { host = v; return this; }
        public LogRow message(String v) { message = v; return this; }
        public LogRow level(String v) { level = v; return this; }
        public LogRow tenant(String v) { tenant = v; return this; }
        public LogRow user(String v) { user = v; return this; }
        public LogRow src(String v) { srcIp = v; return this; }
        public LogRow dst(String v) { dstIp = v; return this; }
        public LogRow action(String v) { action = v; return this; }
        public LogRow outcome(String v) { outcome = v; return this; }
        public LogRow status(int v) { status = v; return this; }
        public LogRow bytes(long v) { bytes = v; return this; }
        public LogRow attr(String k, String v) { attributes.put(k, v); return this; }

        Row toRow() {
            return RowFactory.create(id, ts == null ? null : Timestamp.from(Instant.parse(ts)), service, host,
                    message, level, region, datacenter, farm, tenant, user, srcIp, dstIp, action, outcome, status,
                    bytes, duration, scala.jdk.javaapi.CollectionConverters.asScala(attributes));
        }
    }
}
