package io.nightshift.jobs.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.config.NightshiftConfig.WarehouseConfig;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.ResultsStore;

/**
 * Two writers on the same incidents at once: the nightly run's merges and an analyst's actions, each through its own
 * Spark session (its own catalog and table cache, as two processes would have). Neither may lose the other's work.
 */
class ConcurrentCaseWritersTest {
    private static final int INCIDENTS = 4;
    private static final int NIGHTS = 6;

    @Test
    void theNightsMergesAndTheAnalystsActionsAllSurvive() throws Exception {
        SparkSession nightSession = TestSpark.session();
        SparkSession analystSession = nightSession.newSession();
        WarehouseConfig warehouse = TestSpark.freshWarehouse();
        ResultsStore night = new ResultsStore(nightSession, warehouse);
        night.ensureAll();
        ResultsStore analyst = new ResultsStore(analystSession, warehouse);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < INCIDENTS; i++) {
            ids.add("INC-20261118-0000010" + i);
        }
        night.upsert(ResultTables.INCIDENTS, incidents(nightSession, ids, 0), ResultTables.INCIDENTS.keys());

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> nights = pool.submit(() -> {
                for (int n = 1; n <= NIGHTS; n++) {
                    night.upsert(ResultTables.INCIDENTS, incidents(nightSession, ids, n), ResultTables.INCIDENTS.keys());
                }
            });
            Future<?> work = pool.submit(() -> {
                CaseBook cases = new CaseBook(analyst);
                for (String id : ids) {
                    cases.act(id, ActionKind.INVESTIGATE, "ana", "looking");
                    cases.act(id, ActionKind.CONTAIN, "ana", "isolated the host");
                    cases.act(id, ActionKind.NOTE, "ana", "waiting for the owner");
                }
            });
            work.get(10, TimeUnit.MINUTES);
            nights.get(10, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }

        night.refresh(ResultTables.INCIDENTS);
        night.refresh(ResultTables.INCIDENT_ACTIONS);
        List<Row> rows = night.read(ResultTables.INCIDENTS).orderBy("incident_id").collectAsList();
        assertThat(rows).hasSize(INCIDENTS).allSatisfy(r -> {
            assertThat(r.<String>getAs("status")).as("the analyst's status").isEqualTo("contained");
            assertThat(r.<String>getAs("summary")).as("the last night's summary").isEqualTo("night " + NIGHTS);
        });
        assertThat(night.read(ResultTables.INCIDENT_ACTIONS).count()).isEqualTo(3L * INCIDENTS);
        System.out.println("concurrent writers: commits retried after a conflict: night " + night.conflictRetries()
                + ", analyst " + analyst.conflictRetries());
    }

    private static org.apache.spark.sql.Dataset<Row> incidents(SparkSession spark, List<String> ids, int night) {
        List<String> selects = new ArrayList<>();
        for (String id : ids) {
            selects.add("SELECT '" + id + "' AS incident_id, 'new' AS status, 'night " + night + "' AS summary, "
                    + "'medium' AS severity, DATE'2026-11-18' AS created_date, 1 AS incident_version");
        }
        return spark.sql(String.join(" UNION ALL ", selects));
    }
}
