package io.nightshift.jobs.incidents;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import io.nightshift.jobs.config.EscalationConfig;
import io.nightshift.jobs.config.IncidentsConfig;
import io.nightshift.jobs.config.NightshiftConfig.ReferenceConfig;
import io.nightshift.jobs.config.RedactionConfig;
import io.nightshift.jobs.schema.ResultTable;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.stage.Night;
import io.nightshift.jobs.stage.Stage;
import io.nightshift.jobs.stage.StageOutputs;

/**
 * Turns the night's findings from every detector into candidate incidents: suppress marked false positives,
 * correlate, continue still-open incidents, find affected customers, preserve evidence with hashes, and assess
 * severity and priority with reasons. Rerunning a date yields the same incidents.
 */
public final class IncidentStage implements Stage {
    private static final StructType SCOPE = StructType.fromDDL(
            "incident_id STRING, kind STRING, value STRING, region STRING, first_seen TIMESTAMP, last_seen TIMESTAMP");
    private static final StructType MEMBER = StructType.fromDDL("incident_id STRING, m_finding_id STRING");

    private final IncidentsConfig config;
    private final EscalationConfig escalation;
    private final RedactionConfig redaction;
    private final ReferenceConfig referenceFiles;

    public IncidentStage(IncidentsConfig config, EscalationConfig escalation, RedactionConfig redaction,
                         ReferenceConfig referenceFiles) {
        this.config = config;
        this.escalation = escalation;
        this.redaction = redaction;
        this.referenceFiles = referenceFiles;
    }

    @Override
    public String name() {
        return "incidents";
    }

    @Override
    public Set<ResultTable> reads() {
        return Set.of(ResultTables.TRIAGE, ResultTables.INCIDENTS, ResultTables.INCIDENT_EVIDENCE,
                ResultTables.FINDINGS);
    }

    @Override
    public StageOutputs run(Night night) {
        Dataset<Row> staged = night.staged().get(ResultTables.FINDINGS);
        if (staged == null) {
            return StageOutputs.empty();
        }
        SparkSession spark = night.spark();
        LocalDate date = night.date();
        // Every detector's plan meets here; computing them once and cutting the lineage keeps the many small
        // actions below from re-planning and re-running all detectors each time.
        Dataset<Row> findings = FalsePositiveSuppression.apply(staged, night.history().read(ResultTables.TRIAGE),
                date).localCheckpoint(true);
        StageOutputs outputs = StageOutputs.empty().replacing(ResultTables.FINDINGS, findings);
        ReferenceData reference = ReferenceData.load(spark, referenceFiles);

        Dataset<Row> active = findings.where(col("suppressed").equalTo(false));
        long activeCount = active.count();
        List<Signal> signals = active.orderBy(col("score").desc(), col("finding_id"))
                .limit(config.maxFindingsPerNight()).collectAsList().stream().map(Signal::fromRow).toList();
        if (activeCount > signals.size()) {
            night.progress().line("incidents: " + (activeCount - signals.size()) + " low-scored findings beyond "
                    + "max_findings_per_night were not correlated");
        }

        Dataset<Row> incidentsTable = night.history().read(ResultTables.INCIDENTS);
        org.apache.spark.sql.Column day = lit(date.toString()).cast("date");
        List<Row> openRows = incidentsTable.where(col("status").isin("new", "open", "contained")
                .and(col("created_date").lt(day))).collectAsList();
        // Their findings of earlier nights: what a run of this date correlates with and assesses, whatever an earlier
        // run of the same date stored since (OpenIncidents).
        Map<String, Signal> earlier = earlierFindings(night, openRows, day);
        Map<String, Row> openById = new HashMap<>();
        List<FindingCorrelator.OpenIncident> open = new ArrayList<>();
        for (Row r : openRows) {
            openById.put(r.getAs("incident_id"), r);
            open.add(OpenIncidents.asBefore(new FindingCorrelator.OpenIncident(r.getAs("incident_id"),
                    r.getAs("first_seen"), r.getAs("last_seen"), linkKeys(r)), strings(r, "finding_ids"), earlier));
        }
        List<FindingCorrelator.Group> groups = new FindingCorrelator(config.correlationGapMinutes())
                .correlate(signals, open).stream()
                .filter(g -> g.continues() != null
                        || g.signals().stream().anyMatch(s -> s.score() >= config.minScoreToOpen()))
                .toList();

        Map<String, List<Signal>> byIncident = new LinkedHashMap<>();
        List<Row> members = new ArrayList<>();
        List<Row> scopes = new ArrayList<>();
        for (var g : groups) {
            String id = g.continues() != null ? g.continues().incidentId() : newId(date, g.signals());
            List<Signal> all = new ArrayList<>(g.signals());
            if (g.continues() != null) {
                Row old = openById.get(id);
                for (String fid : strings(old, "finding_ids")) {
                    Signal s = earlier.get(fid);
                    if (s != null && g.signals().stream().noneMatch(x -> x.findingId().equals(s.findingId()))) {
                        all.add(s);
                    }
                }
            }
            byIncident.merge(id, all, (a, b) -> {
                List<Signal> m = new ArrayList<>(a);
                b.stream().filter(s -> a.stream().noneMatch(x -> x.findingId().equals(s.findingId()))).forEach(m::add);
                return m;
            });
            for (Signal s : g.signals()) {
                members.add(RowFactory.create(id, s.findingId()));
            }
        }
        for (var e : byIncident.entrySet()) {
            scopes.addAll(scopeRows(e.getKey(), e.getValue()));
        }
        if (byIncident.isEmpty()) {
            return outputs;
        }

        Dataset<Row> logs = night.logs();
        Dataset<Row> affected = AffectedCustomers.fromLogs(spark.createDataFrame(scopes, SCOPE), logs)
                .persist(StorageLevel.MEMORY_AND_DISK());
        Map<String, Set<String>> tenantsByIncident = new HashMap<>();
        List<Row> affectedRows = affected.collectAsList();
        for (Row r : affectedRows) {
            tenantsByIncident.computeIfAbsent(r.getAs("incident_id"), k -> new TreeSet<>()).add(r.getAs("tenant_id"));
        }

        Dataset<Row> memberFrame = spark.createDataFrame(members, MEMBER);
        Dataset<Row> memberFindings = memberFrame.join(active, memberFrame.col("m_finding_id")
                .equalTo(active.col("finding_id"))).drop("m_finding_id");
        Dataset<Row> newEvidence = new EvidenceCollector(config.maxEvidencePerFinding(),
                        redaction.evidence() ? redaction.redactor() : null)
                .collect(memberFindings, logs, date).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> kept = night.history().read(ResultTables.INCIDENT_EVIDENCE)
                .where(col("incident_id").isin(byIncident.keySet().toArray()))
                .select("incident_id", "row_id", "sha256");
        Dataset<Row> allEvidence = kept.unionByName(newEvidence.select("incident_id", "row_id", "sha256")
                .join(kept, newEvidence.col("incident_id").equalTo(kept.col("incident_id"))
                        .and(newEvidence.col("row_id").equalTo(kept.col("row_id"))), "left_anti"));
        Map<String, String> manifest = new HashMap<>();
        EvidenceCollector.manifestHashes(allEvidence).collectAsList()
                .forEach(r -> manifest.put(r.getAs("incident_id"), r.getAs("evidence_sha256")));

        Map<String, Set<String>> evidenceServices = evidenceServices(night, newEvidence, byIncident.keySet());

        // Earlier incidents as stored, tonight's as this run computes them: stored, tonight's would be those of the
        // date's earlier run (none on the first run), and a rerun would relate them differently.
        Map<String, RelatedKeys> related = new TreeMap<>();
        for (Row r : incidentsTable.where(col("created_date").lt(day))
                .select("incident_id", "indicators", "fingerprints").collectAsList()) {
            related.put(r.getAs("incident_id"), new RelatedKeys(new HashSet<>(linkKeys(r)),
                    new HashSet<>(strings(r, "fingerprints"))));
        }
        byIncident.forEach((id, incidentSignals) -> related.put(id, new RelatedKeys(
                IncidentRecord.indicatorKeys(incidentSignals),
                incidentSignals.stream().map(Signal::fingerprint).collect(Collectors.toSet()))));

        SeverityAssessor severity = new SeverityAssessor(config);
        PriorityAssessor priority = new PriorityAssessor();
        List<Row> incidentRows = new ArrayList<>();
        for (var e : byIncident.entrySet()) {
            String id = e.getKey();
            IncidentFacts facts = new IncidentFacts(e.getValue(), tenantsByIncident.getOrDefault(id, Set.of()), reference);
            Row old = openById.get(id);
            SeverityAssessor.Severity sev = severity.assess(facts);
            incidentRows.add(IncidentRecord.row(id, old, facts, sev, priority.assess(facts),
                    Playbooks.recommend(facts), manifest.get(id), relatedTo(id, facts, related),
                    Escalation.assess(facts, ownerHints(e.getValue(), evidenceServices.getOrDefault(id, Set.of())),
                            sev.level(), escalation), date));
        }
        return outputs.and(ResultTables.INCIDENTS, spark.createDataFrame(incidentRows, IncidentRecord.schema()))
                .and(ResultTables.INCIDENT_EVIDENCE, newEvidence)
                .and(ResultTables.AFFECTED_CUSTOMERS, spark.createDataFrame(
                        IncidentRecord.affectedRows(affectedRows, reference), IncidentRecord.affectedSchema()));
    }

    /**
     * Services named by the preserved evidence rows of each incident (stored and new): the owner of an incident whose
     * findings name no service (a user's or a source address's anomaly) comes from the rows behind it.
     */
    private static Map<String, Set<String>> evidenceServices(Night night, Dataset<Row> newEvidence,
                                                             Set<String> incidentIds) {
        Dataset<Row> stored = night.history().read(ResultTables.INCIDENT_EVIDENCE)
                .where(col("incident_id").isin(incidentIds.toArray())).select("incident_id", "log_json");
        Map<String, Set<String>> out = new HashMap<>();
        stored.unionByName(newEvidence.select("incident_id", "log_json"))
                .select(col("incident_id"), get_json_object(col("log_json"), "$.service").as("service"))
                .where(col("service").isNotNull()).distinct().collectAsList()
                .forEach(r -> out.computeIfAbsent(r.getString(0), k -> new TreeSet<>()).add(r.getString(1)));
        return out;
    }

    /**
     * Services that can name the owner of an incident whose findings name none: those of its evidence rows, and the
     * service a silent host usually logs for (a silent host has no rows to preserve).
     */
    private static Set<String> ownerHints(List<Signal> signals, Set<String> evidence) {
        Set<String> hints = new TreeSet<>(evidence);
        for (Signal s : signals) {
            String usual = s.metadata().get("usual_service");
            if (usual != null && !usual.isEmpty()) {
                hints.add(usual);
            }
        }
        return hints;
    }

    /** Link keys of a stored incident, from its typed indicators ("user=alice"). */
    static List<String> linkKeys(Row incident) {
        List<String> keys = new ArrayList<>();
        for (Object o : IncidentRecord.listOf(incident, "indicators")) {
            Row ind = (Row) o;
            keys.add(ind.getString(0) + "=" + ind.getString(1));
        }
        return keys;
    }

    /** What another incident is related on: its indicators ("user=alice") and its findings' fingerprints. */
    private record RelatedKeys(Set<String> indicators, Set<String> fingerprints) {
    }

    private static List<String> relatedTo(String id, IncidentFacts facts, Map<String, RelatedKeys> incidents) {
        Set<String> indicators = new TreeSet<>();
        facts.signals().forEach(s -> indicators.addAll(s.linkKeys()));
        Set<String> fingerprints = new TreeSet<>();
        facts.signals().forEach(s -> fingerprints.add(s.fingerprint()));
        TreeSet<String> out = new TreeSet<>();
        incidents.forEach((other, keys) -> {
            if (!other.equals(id) && (keys.indicators().stream().anyMatch(indicators::contains)
                    || keys.fingerprints().stream().anyMatch(fingerprints::contains))) {
                out.add(other);
            }
        });
        return List.copyOf(out);
    }

    /** A stored incident's array column of strings ({@code finding_ids}, {@code fingerprints}); empty when null. */
    private static List<String> strings(Row incident, String column) {
        return IncidentRecord.listOf(incident, column).stream().map(String::valueOf).toList();
    }

    /** The open incidents' findings of dates before {@code day}, by id. */
    private static Map<String, Signal> earlierFindings(Night night, List<Row> openRows,
                                                       org.apache.spark.sql.Column day) {
        List<Row> ids = openRows.stream().flatMap(r -> strings(r, "finding_ids").stream()).distinct()
                .map(RowFactory::create).toList();
        Map<String, Signal> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        Dataset<Row> wanted = night.spark().createDataFrame(ids, StructType.fromDDL("wanted_id STRING"));
        Dataset<Row> findings = night.history().read(ResultTables.FINDINGS).where(col("date").lt(day));
        findings.join(broadcast(wanted), findings.col("finding_id").equalTo(wanted.col("wanted_id")), "left_semi")
                .collectAsList().forEach(r -> out.put(r.getAs("finding_id"), Signal.fromRow(r)));
        return out;
    }

    private static List<Row> scopeRows(String id, List<Signal> signals) {
        Timestamp first = signals.stream().map(Signal::firstSeen).min(Timestamp::compareTo).orElseThrow();
        Timestamp last = signals.stream().map(Signal::lastSeen).max(Timestamp::compareTo).orElseThrow();
        Set<List<String>> seen = new java.util.LinkedHashSet<>();
        // An attack affects the tenants it targets, not every customer of the service it went through; only a purely
        // operational incident (a degraded service) affects everyone who used the service in those hours.
        boolean attack = signals.stream().anyMatch(Signal::isSecurity);
        for (Signal s : signals) {
            if (s.isSecurity()) {
                if (s.user() != null) {
                    seen.add(java.util.Arrays.asList("user", s.user(), null));
                }
                if (s.srcIp() != null) {
                    seen.add(java.util.Arrays.asList("src_ip", s.srcIp(), null));
                }
                if (s.tenantId() != null) {
                    seen.add(java.util.Arrays.asList("tenant_id", s.tenantId(), null));
                }
            } else if (s.service() != null && !attack) {
                seen.add(java.util.Arrays.asList("service", s.service(), s.region()));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (List<String> k : seen) {
            rows.add(RowFactory.create(id, k.get(0), k.get(1), k.get(2), first, last));
        }
        return rows;
    }

    /** New incident ids: date plus a hash of the group's smallest finding id — same findings, same id. */
    static String newId(LocalDate date, List<Signal> signals) {
        String seed = signals.stream().map(Signal::findingId).min(String::compareTo).orElseThrow();
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            return "INC-" + date.toString().replace("-", "") + "-" + HexFormat.of().formatHex(h).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
