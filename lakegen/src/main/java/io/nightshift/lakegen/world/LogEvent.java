package io.nightshift.lakegen.world;

import java.sql.Timestamp;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;


/**
 * The scratch record of one log line while it is being generated. Traffic, templates and scenarios fill and amend
 * its public fields in turn; {@link #toRow()} renders the message and freezes it into a lake row. One instance per
 * row, never shared between threads.
 */
public final class LogEvent {
    public final long epochDay;
    public final String eventId;
    public long epochMicros;
    public String service;
    public String host;
    public String region;
    public String datacenter;
    public String farm;
    public String tenantId;
    public String user;
    public Directory.User userRecord;
    public String srcIp;
    public String dstIp;
    public String level;
    public String action;
    public String outcome;
    public Integer statusCode;
    public Long bytesOut;
    public Double durationMs;
    /** What a request to this service takes right now (service profile and load); request templates copy it. */
    public double requestLatencyMs;
    public MessageTemplate template;
    /** Set by a scenario that removes the line (a silent host). */
    public boolean dropped;
    /** Insertion-ordered so the written map, and therefore the lake, is the same on every run. */
    public final Map<String, String> attributes = new LinkedHashMap<>();
    /** Values for message slots that are not columns. */
    public final Map<String, String> params = new HashMap<>(8);

    public LogEvent(long epochDay, String eventId) {
        this.epochDay = epochDay;
        this.eventId = eventId;
    }

    public void placeOn(Topology.Host h) {
        host = h.name();
        region = h.region();
        datacenter = h.datacenter();
        farm = h.farm();
    }

    /** Makes the line about {@code u}: tenant, user and the user's usual client context. */
    public void actAs(Directory.User u) {
        userRecord = u;
        user = u.name();
        tenantId = u.tenantId();
    }

    public void param(String name, Object value) {
        params.put(name, String.valueOf(value));
    }

    /** The text for a message slot: a column, else a template parameter, else an attribute. */
    public String slot(String name) {
        switch (name) {
            case "user": return user;
            case "tenant_id": return tenantId;
            case "src_ip": return srcIp;
            case "dst_ip": return dstIp;
            case "service": return service;
            case "host": return host;
            case "region": return region;
            case "datacenter": return datacenter;
            case "status": return String.valueOf(statusCode);
            case "bytes_out": return String.valueOf(bytesOut);
            case "duration_ms": return formatTenths(durationMs == null ? 0.0 : durationMs);
            default:
                String v = params.get(name);
                if (v == null) {
                    v = attributes.get(name);
                }
                if (v == null) {
                    throw new IllegalStateException("Template " + template + " has no value for slot {" + name + "}");
                }
                return v;
        }
    }

    public static String formatTenths(double value) {
        long tenths = Math.round(value * 10.0);
        return (tenths / 10) + "." + Math.abs(tenths % 10);
    }

    public Row toRow() {
        // java.sql.Timestamp is the external type Spark's Row encoder expects for TimestampType.
        Timestamp ts = new Timestamp(Math.floorDiv(epochMicros, 1000L));
        ts.setNanos((int) Math.floorMod(epochMicros, 1_000_000L) * 1000);
        return RowFactory.create(eventId, ts, service, host, template.render(this), level, region, datacenter, farm,
                tenantId, user, srcIp, dstIp, action, outcome, statusCode, bytesOut,
                durationMs == null ? null : Sampling.tenths(durationMs),
                scala.jdk.javaapi.CollectionConverters.asScala(attributes));
    }
}
