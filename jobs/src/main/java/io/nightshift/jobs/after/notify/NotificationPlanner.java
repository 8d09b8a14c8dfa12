package io.nightshift.jobs.after.notify;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

import io.nightshift.jobs.base.Severity;
import io.nightshift.jobs.cases.OcsfExporter;
import io.nightshift.jobs.config.NotificationsConfig;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.ResultsStore;

/**
 * Decides what a night notifies: for each incident the night created or changed ({@code updated_date = date}) and
 * each sink whose {@code min_severity} it meets, one {@code pending} row in {@code notifications}, keyed by incident
 * version and sink. Inserted only when new, so planning the same night again (a rerun) adds nothing; a later night
 * that changes the incident makes a new version and so a new notification. A still-pending notification of an older
 * version is then {@code superseded}: the receiver gets the incident as it is now, not every state it went through.
 */
public final class NotificationPlanner {
    private static final String PENDING = "pending";
    private static final StructType PLANNED = StructType.fromDDL("notification_id STRING, incident_id STRING, "
            + "incident_version INT, sink STRING, sink_type STRING, teams ARRAY<STRING>, payload STRING, "
            + "payload_sha256 STRING, status STRING, attempts INT, created_at TIMESTAMP, logical_date DATE");

    private final ResultsStore store;
    private final NotificationsConfig config;

    public NotificationPlanner(ResultsStore store, NotificationsConfig config) {
        this.store = store;
        this.config = config;
    }

    /** What planning a night did. */
    public record Plan(long added, long superseded) {
    }

    /** Plans the notifications of the incidents updated on {@code date}; {@code now} is their created_at. */
    public Plan plan(LocalDate date, Instant now) {
        if (config.sinks().isEmpty()) {
            return new Plan(0, 0);
        }
        List<SinkRule> rules = config.sinks().stream().map(s -> new SinkRule(s.name(),
                s.type().name().toLowerCase(Locale.ROOT), s.minSeverity())).toList();
        Dataset<Row> planned = store.read(ResultTables.INCIDENTS)
                .where(col("updated_date").equalTo(lit(date.toString()).cast("date")))
                .flatMap(new ToNotifications(rules, Timestamp.from(now), Date.valueOf(date)), Encoders.row(PLANNED));
        long added = planned.join(store.read(ResultTables.NOTIFICATIONS).select("notification_id"),
                columns("notification_id"), "left_anti").count();
        if (added > 0) {
            // The MERGE, not the count above, is what keeps a concurrent or repeated planning from adding twice.
            store.insertNew(ResultTables.NOTIFICATIONS, planned, List.of("notification_id"));
        }
        return new Plan(added, supersede());
    }

    /** Marks pending notifications superseded where the same incident and sink has a newer version planned. */
    private long supersede() {
        Dataset<Row> all = store.read(ResultTables.NOTIFICATIONS);
        Dataset<Row> newest = all.groupBy("incident_id", "sink").agg(max("incident_version").as("newest_version"));
        Dataset<Row> stale = all.where(col("status").equalTo(PENDING))
                .join(newest, columns("incident_id", "sink"))
                .where(col("incident_version").lt(col("newest_version")))
                .select(col("notification_id"), lit("superseded").as("status"))
                // Cut from the table it was read from: Iceberg cannot plan a MERGE whose source scans its target.
                .localCheckpoint();
        long n = stale.count();
        if (n > 0) {
            // Only while still pending: a delivery another process recorded meanwhile stays delivered.
            store.updateColumnsWhere(ResultTables.NOTIFICATIONS, stale, List.of("notification_id"),
                    List.of("status"), "t.status = '" + PENDING + "'");
        }
        return n;
    }

    private static scala.collection.immutable.Seq<String> columns(String... names) {
        return scala.jdk.javaapi.CollectionConverters.asScala(List.of(names)).toSeq();
    }

    /** What the executors need of a sink to decide whether an incident goes to it. */
    record SinkRule(String name, String type, Severity minSeverity) implements Serializable {
        boolean wants(String incidentSeverity) {
            Severity s = Severity.parse(incidentSeverity);
            // An unknown severity is sent rather than silently dropped.
            return s == null || s.compareTo(minSeverity) >= 0;
        }
    }

    /** One incident row to its notification rows, one per sink that wants it; the payload is rendered here. */
    static final class ToNotifications implements FlatMapFunction<Row, Row> {
        private final List<SinkRule> rules;
        private final Timestamp createdAt;
        private final Date logicalDate;

        ToNotifications(List<SinkRule> rules, Timestamp createdAt, Date logicalDate) {
            this.rules = new ArrayList<>(rules);
            this.createdAt = createdAt;
            this.logicalDate = logicalDate;
        }

        @Override
        public Iterator<Row> call(Row incident) {
            String id = incident.getAs("incident_id");
            Integer stored = incident.getAs("incident_version");
            int version = stored == null ? 1 : stored;
            String payload = OcsfExporter.incidentJson(incident);
            String sha = sha256(payload);
            int teamsAt = incident.fieldIndex("escalation_teams");
            // A Scala Seq: the row encoder of an ARRAY column takes nothing else.
            scala.collection.immutable.Seq<String> teams = incident.isNullAt(teamsAt) ? columns()
                    : incident.<String>getSeq(teamsAt);
            List<Row> out = new ArrayList<>();
            for (SinkRule sink : rules) {
                if (sink.wants(incident.getAs("severity"))) {
                    out.add(RowFactory.create(Notification.id(id, version, sink.name()), id, version, sink.name(),
                            sink.type(), teams, payload, sha, PENDING, 0, createdAt, logicalDate));
                }
            }
            return out.iterator();
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
