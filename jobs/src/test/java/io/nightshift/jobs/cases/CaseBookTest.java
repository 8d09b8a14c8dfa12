package io.nightshift.jobs.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.ResultsStore;
import io.nightshift.jobs.store.WarehouseTables;

/** The case lifecycle on real Iceberg tables: actions, verdicts, closure, and the whole record printed. */
class CaseBookTest {
    static SparkSession spark;
    static ResultsStore store;
    static CaseBook cases;

    @BeforeAll
    static void warehouse() {
        spark = TestSpark.session();
        store = new ResultsStore(spark, TestSpark.freshWarehouse());
        store.ensureAll();
        cases = new CaseBook(store);
        seed("INC-20261118-0000000a", "night 1");
        seed("INC-20261118-0000000b", "night 1");
        seed("INC-20261118-0000000c", "night 1");
    }

    /** An incident as the nightly run writes it (status new), with an attacker-written title. */
    static void seed(String id, String summary) {
        store.upsert(ResultTables.INCIDENTS, spark.sql("SELECT '" + id + "' AS incident_id, 'new' AS status, "
                + "'Brute force <script>alert(1)</script>' || char(27) || '[31m red' AS title, '" + summary
                + "' AS summary, 'high' AS severity, 72.0 AS severity_score, array('privacy: +20') AS severity_reasons,"
                + " 'P2' AS priority, array('functional impact medium') AS priority_reasons, "
                + "array(named_struct('type', 'ip', 'value', '203.0.113.9')) AS indicators, "
                + "array('auth') AS services, array('tn-01') AS tenants, 'identity' AS owner_team, "
                + "array('identity', 'security-response') AS escalation_teams, "
                + "array('block the source address') AS recommended_actions, DATE'2026-11-18' AS created_date, "
                + "DATE'2026-11-18' AS updated_date, 1 AS incident_version, array('fp-1') AS fingerprints"),
                ResultTables.INCIDENTS.keys());
    }

    static String status(String id) {
        return cases.incident(id).getAs("status");
    }

    @Test
    void anIncidentIsWorkedFromNewToClosedAndEveryStepIsRecorded() {
        String id = "INC-20261118-0000000a";
        assertThat(cases.act(id, ActionKind.INVESTIGATE, "ana", "looking at the source address").after())
                .isEqualTo(CaseStatus.OPEN);
        assertThat(cases.act(id, ActionKind.CONTAIN, "ana", "blocked 203.0.113.9 at the edge").after())
                .isEqualTo(CaseStatus.CONTAINED);
        assertThatThrownBy(() -> cases.close(id, "ana", "too early"))
                .hasMessageContaining("from contained to closed").hasMessageContaining("resolved, false_positive");
        assertThat(status(id)).isEqualTo("contained");
        cases.act(id, ActionKind.ERADICATE, "bo", "rotated the targeted passwords");
        assertThat(cases.act(id, ActionKind.RECOVER, "bo", "accounts unlocked").after()).isEqualTo(CaseStatus.RESOLVED);
        assertThatThrownBy(() -> cases.close(id, "bo", " ")).hasMessageContaining("--lessons");
        cases.close(id, "bo", "rate-limit logins per source address");
        assertThatThrownBy(() -> cases.act(id, ActionKind.CONTAIN, "bo", "again"))
                .hasMessageContaining("which is closed");
        assertThat(cases.act(id, ActionKind.NOTE, "cy", "post-incident review held").moved()).isFalse();

        Row closed = cases.incident(id);
        assertThat(closed.<String>getAs("status")).isEqualTo("closed");
        assertThat(closed.<String>getAs("lessons_learned")).isEqualTo("rate-limit logins per source address");
        assertThat(closed.<String>getAs("status_changed_by")).isEqualTo("bo");
        assertThat((Object) closed.getAs("closed_at")).isNotNull();
        List<Row> actions = store.read(ResultTables.INCIDENT_ACTIONS)
                .where("incident_id = '" + id + "'").orderBy("recorded_at").collectAsList();
        assertThat(actions).extracting(r -> r.getAs("action") + ":" + r.getAs("status_before") + ">"
                + r.getAs("status_after")).containsExactly("investigate:new>open", "contain:open>contained",
                "eradicate:contained>contained", "recover:contained>resolved", "close:resolved>closed",
                "note:closed>closed");
        assertThat(actions).extracting(r -> (String) r.getAs("analyst")).containsExactly("ana", "ana", "bo", "bo",
                "bo", "cy");
    }

    @Test
    void aFalsePositiveVerdictIsFinalAndTheNightlyMergeKeepsTheAnalystsStatus() {
        String id = "INC-20261118-0000000b";
        cases.act(id, ActionKind.INVESTIGATE, "ana", "checking");
        new Triage(store, 30).record(id, "false_positive", "ana", "pen test");
        assertThat(status(id)).isEqualTo("false_positive");
        assertThatThrownBy(() -> new Triage(store, 30).record(id, "benign", "bo", "")).hasMessageContaining("final");
        assertThat(store.read(ResultTables.TRIAGE).where("incident_id = '" + id + "'").count()).isEqualTo(1);

        seed(id, "night 2");  // the next night continues the incident with status 'new' in its rows
        Row after = cases.incident(id);
        assertThat(after.<String>getAs("summary")).isEqualTo("night 2");
        assertThat(after.<String>getAs("status")).isEqualTo("false_positive");
        assertThat(after.<String>getAs("status_changed_by")).isEqualTo("ana");
    }

    @Test
    void theCaseRecordPrintsEverySectionAndNeverPassesTheLogsMarkupThrough() throws Exception {
        String id = "INC-20261118-0000000c";
        cases.act(id, ActionKind.NOTE, "ana", "seen <b>twice</b>");
        CaseRecord record;
        try (WarehouseTables tables = WarehouseTables.open(store.config(), java.util.Map.of())) {
            record = CaseRecord.load(tables, id);
        }
        assertThat(record.sections().keySet()).containsExactlyElementsOf(CaseRecord.SECTIONS);

        String text = CaseRecordFormat.TEXT.render(record);
        for (String section : CaseRecord.SECTIONS) {
            assertThat(text).contains("== " + section.toUpperCase(java.util.Locale.ROOT) + " ==");
        }
        assertThat(text).contains("owner_team: identity", "203.0.113.9", "block the source address", "seen <b>twice</b>")
                .doesNotContain("\u001b").contains("\\u001b[31m");

        String md = CaseRecordFormat.MARKDOWN.render(record);
        assertThat(md).contains("## Ownership and escalation", "## Actions taken", "## Lessons learned")
                .doesNotContain("<script>", "<b>").contains("&lt;script&gt;");

        JsonNode json = new ObjectMapper().readTree(CaseRecordFormat.JSON.render(record));
        assertThat(json.get("incident").get("title").asText()).startsWith("Brute force <script>");
        assertThat(json.get("actions taken").get(0).get("analyst").asText()).isEqualTo("ana");
        assertThat(json.get("evidence").get("verification").asText()).isEqualTo("no evidence rows preserved");
    }
}
