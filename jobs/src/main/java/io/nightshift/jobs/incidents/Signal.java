package io.nightshift.jobs.incidents;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.spark.sql.Row;

/**
 * A finding as the incident stage sees it: identity, timing, entities and what kind of thing it signals. Built from
 * a row of the {@code findings} table.
 */
public record Signal(String findingId, String fingerprint, String detector, String detectorId, String title,
                     String description, double score, Timestamp firstSeen, Timestamp lastSeen,
                     String tenantId, String user, String host, String srcIp, String service, String region,
                     String datacenter, String farm, String mitreTactic, List<String> recommendedActions,
                     Map<String, String> metadata) {

    /** What a finding is evidence of, for severity, priority and playbooks. */
    public enum Kind {
        THREAT_INTEL, DATA_EXPORT, PRIVILEGE_CHANGE, DESTRUCTION, CREDENTIAL_ATTACK, DEFENSE_EVASION, AVAILABILITY,
        ANOMALOUS_OUTPUT, OTHER
    }

    public static Signal fromRow(Row r) {
        List<String> actions = r.isNullAt(r.fieldIndex("recommended_actions")) ? List.of()
                : new ArrayList<>(r.getList(r.fieldIndex("recommended_actions")));
        Map<String, String> meta = r.isNullAt(r.fieldIndex("metadata")) ? Map.of()
                : scala.jdk.javaapi.CollectionConverters.asJava(r.<scala.collection.Map<String, String>>getAs("metadata"));
        Double score = r.getAs("score");
        return new Signal(r.getAs("finding_id"), r.getAs("fingerprint"), r.getAs("detector"), r.getAs("detector_id"),
                r.getAs("title"), r.getAs("description"), score == null ? 0 : score, r.getAs("first_seen"),
                r.getAs("last_seen"), r.getAs("tenant_id"), r.getAs("user"), r.getAs("host"), r.getAs("src_ip"),
                r.getAs("service"), r.getAs("region"), r.getAs("datacenter"), r.getAs("farm"),
                r.getAs("mitre_tactic"), actions, meta);
    }

    public Kind kind() {
        String d = detectorId == null ? "" : detectorId.toLowerCase(Locale.ROOT);
        String t = (mitreTactic == null ? "" : mitreTactic.toLowerCase(Locale.ROOT)) + " " + d + " "
                + (title == null ? "" : title.toLowerCase(Locale.ROOT));
        if ("threat_intel".equals(detector)) {
            return Kind.THREAT_INTEL;
        }
        if (t.contains("ta0010") || t.contains("exfiltration") || d.startsWith("bytes_out") || t.contains("export")) {
            return Kind.DATA_EXPORT;
        }
        if (t.contains("ta0004") || t.contains("privilege")) {
            return Kind.PRIVILEGE_CHANGE;
        }
        if (t.contains("ta0040") || t.contains("delet") || t.contains("impact")) {
            return Kind.DESTRUCTION;
        }
        if (t.contains("ta0005") || t.contains("defense evasion") || t.contains("disabl")) {
            return Kind.DEFENSE_EVASION;
        }
        if (t.contains("ta0006") || t.contains("ta0001") || t.contains("credential") || d.startsWith("auth_failure")
                || t.contains("brute") || t.contains("spray") || t.contains("login")) {
            return Kind.CREDENTIAL_ATTACK;
        }
        if ("trend".equals(detector)) {
            return Kind.AVAILABILITY;
        }
        if ("cluster".equals(detector)) {
            return Kind.ANOMALOUS_OUTPUT;
        }
        return Kind.OTHER;
    }

    /** Security signals link on who and where from; operational ones on the service they degrade. */
    public boolean isSecurity() {
        return switch (kind()) {
            case AVAILABILITY, ANOMALOUS_OUTPUT -> false;
            default -> true;
        };
    }

    /**
     * The entity values that tie this signal to others ("user=alice"). Operational signals link on service (and
     * region when they have one) — a production-wide finding has no region and so joins every regional finding of
     * its service; security signals link on user, source IP, host and tenant.
     */
    public List<String> linkKeys() {
        List<String> keys = new ArrayList<>();
        if (user != null) {
            keys.add("user=" + user);
        }
        if (srcIp != null) {
            keys.add("ip=" + srcIp);
        }
        if (isSecurity()) {
            if (host != null) {
                keys.add("host=" + host);
            }
            if (tenantId != null) {
                keys.add("tenant=" + tenantId);
            }
        } else {
            if (service != null) {
                keys.add("service=" + service);
            }
            if (host != null) {
                keys.add("host=" + host);
            }
        }
        return keys;
    }

    /**
     * Keys a security signal offers to operational signals only: an attack on a service and that service's
     * degradation in the same hours are one incident, but two attacks are not tied together by their service.
     */
    public List<String> passiveKeys() {
        return isSecurity() && service != null ? List.of("service=" + service) : List.of();
    }
}
