package io.nightshift.jobs.after.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.CapturedRun;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.base.Severity;
import io.nightshift.jobs.cases.OcsfExporter;
import io.nightshift.jobs.config.NightshiftConfig.WarehouseConfig;
import io.nightshift.jobs.config.NotificationsConfig;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.store.ResultsStore;
import io.nightshift.jobs.store.WarehouseLock;

/**
 * Notifications against real sinks: an HTTP server on loopback that refuses, is down or never answers, and a folder;
 * incident rows are written straight into a real Iceberg incidents table (the pipeline that makes them is tested
 * elsewhere).
 */
class NotificationDeliveryTest {
    private static final LocalDate NIGHT = LocalDate.parse("2026-11-20");
    private static final String SINK = "ops-webhook";
    private static final String TOKEN = "Bearer s3cret-token";
    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = TestSpark.session();
    }

    private static ResultsStore freshStore() {
        ResultsStore store = new ResultsStore(spark, TestSpark.freshWarehouse());
        store.ensureAll();
        return store;
    }

    /** A webhook sink for incidents of medium severity and above; short backoff and timeout to keep tests fast. */
    private static NotificationsConfig webhook(URI url, int attemptsPerRun, int timeoutSeconds) {
        return new NotificationsConfig(List.of(new NotificationsConfig.Sink(SINK, NotificationsConfig.SinkType.WEBHOOK,
                url, null, Severity.MEDIUM, Map.of("Authorization", TOKEN))), attemptsPerRun, 20, 10, timeoutSeconds);
    }

    /** Writes (or rewrites) one incident as the nightly run would leave it after night {@code updated}. */
    private static void incident(ResultsStore store, String id, int version, String severity, LocalDate updated) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("incident_id", id);
        values.put("status", "new");
        values.put("title", "Brute force against " + id);
        values.put("summary", "Brute force (service auth): version " + version);
        values.put("severity", severity);
        values.put("severity_score", 70.0 + version);
        values.put("priority", "P2");
        values.put("first_seen", Timestamp.valueOf("2026-11-20 01:00:00"));
        values.put("last_seen", Timestamp.valueOf(updated + " 02:00:00"));
        values.put("services", List.of("auth"));
        values.put("finding_ids", List.of("f-" + id + "-" + version));
        values.put("indicators", List.of(RowFactory.create("ip", "203.0.113.7")));
        values.put("created_date", Date.valueOf(NIGHT));
        values.put("updated_date", Date.valueOf(updated));
        values.put("owner_team", "identity");
        values.put("escalation_teams", List.of("identity", "security-response"));
        values.put("incident_version", version);
        StructType schema = ResultTables.INCIDENTS.schema();
        Object[] row = new Object[schema.size()];
        for (int i = 0; i < row.length; i++) {
            StructField f = schema.fields()[i];
            row[i] = values.getOrDefault(f.name(), f.dataType() instanceof ArrayType ? List.of() : null);
        }
        store.upsert(ResultTables.INCIDENTS, spark.createDataFrame(List.of(RowFactory.create(row)), schema),
                List.of("incident_id"));
    }

    private static Map<String, Row> notifications(ResultsStore store) {
        return store.read(ResultTables.NOTIFICATIONS).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("notification_id"), r -> r));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void aWebhookThatFailsTwiceReceivesEachNotificationExactlyOnceAndARerunSendsNothing() throws Exception {
        ResultsStore store = freshStore();
        incident(store, "inc-a", 1, "high", NIGHT);
        incident(store, "inc-b", 1, "medium", NIGHT);
        incident(store, "inc-low", 1, "low", NIGHT);
        try (WebhookReceiver receiver = WebhookReceiver.refusingFirst(2)) {
            NotificationsConfig config = webhook(receiver.url(), 3, 5);

            NotificationJob.Summary first = NotificationJob.run(store, config, List.of(NIGHT));

            assertThat(first.describe()).isEqualTo("notifications: 2 new, 0 superseded, 2 delivered, 0 pending, "
                    + "0 failed");
            // 503, 503, then accepted; the second notification goes through at once.
            assertThat(receiver.calls()).isEqualTo(4);
            Map<String, List<String>> received = receiver.accepted();
            assertThat(received).containsOnlyKeys("inc-a/v1/ops-webhook", "inc-b/v1/ops-webhook");
            assertThat(received.values()).allSatisfy(bodies -> assertThat(bodies).hasSize(1));
            assertThat(receiver.authorizations()).containsOnly(TOKEN);
            Map<String, Row> rows = notifications(store);
            assertThat(rows).hasSize(2);
            Row a = rows.get("inc-a/v1/ops-webhook");
            assertThat(a.<String>getAs("status")).isEqualTo("delivered");
            assertThat(a.<Integer>getAs("attempts")).isEqualTo(3);
            assertThat((Object) a.getAs("last_error")).isNull();
            assertThat((Object) a.getAs("delivered_at")).isNotNull();
            assertThat(a.<String>getAs("sink_type")).isEqualTo("webhook");
            assertThat(a.getList(a.fieldIndex("teams"))).containsExactly("identity", "security-response");
            assertThat(rows.get("inc-b/v1/ops-webhook").<Integer>getAs("attempts")).isEqualTo(1);
            String body = received.get("inc-a/v1/ops-webhook").get(0);
            assertThat(body).isEqualTo(a.getAs("payload")).contains("\"class_uid\":2005", "\"incident_version\":1",
                    "\"owner_team\":\"identity\"", "\"escalation_teams\":[\"identity\",\"security-response\"]");
            assertThat(a.<String>getAs("payload_sha256")).isEqualTo(sha256(body.getBytes(StandardCharsets.UTF_8)));

            // The night again (a rerun): the same incident versions, so nothing is planned and nothing is sent.
            NotificationJob.Summary rerun = NotificationJob.run(store, config, List.of(NIGHT));

            assertThat(rerun.describe()).isEqualTo("notifications: 0 new, 0 superseded, 0 delivered, 0 pending, "
                    + "0 failed");
            assertThat(receiver.calls()).isEqualTo(4);
            assertThat(notifications(store)).isEqualTo(rows);
        }
    }

    @Test
    void aSinkThatIsDownLeavesPendingRowsThatNotifyRetryDeliversOnceItIsBack(@TempDir Path dir) throws Exception {
        ResultsStore store = freshStore();
        incident(store, "inc-a", 1, "critical", NIGHT);
        incident(store, "inc-b", 1, "high", NIGHT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        Optional<NotificationJob.Summary> down = NotificationJob.afterRun(store, webhook(WebhookReceiver.deadUrl(), 3, 5),
                List.of(NIGHT), new Progress(new PrintStream(out, true, StandardCharsets.UTF_8), "run " + NIGHT),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(down).isPresent();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("[run 2026-11-20] notifications: 2 new, "
                + "0 superseded, 0 delivered, 2 pending, 0 failed (sink ops-webhook: ConnectException");
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("nightshift: warning: the run for 2026-11-20 "
                + "succeeded and its tables are published, but 2 notifications were not delivered")
                .contains("scripts/nightshift notify --retry").doesNotContain(TOKEN);
        Map<String, Row> pending = notifications(store);
        Row a = pending.get("inc-a/v1/ops-webhook");
        assertThat(a.<String>getAs("status")).isEqualTo("pending");
        assertThat(a.<Integer>getAs("attempts")).isEqualTo(3);
        assertThat(a.<String>getAs("last_error")).startsWith("ConnectException");
        // Once the sink failed every try, the run does not spend tries on its other notifications.
        Row b = pending.get("inc-b/v1/ops-webhook");
        assertThat(b.<String>getAs("status")).isEqualTo("pending");
        assertThat(b.<Integer>getAs("attempts")).isZero();
        assertThat(b.<String>getAs("last_error")).startsWith("not tried: sink ops-webhook failed earlier in this run");

        try (WebhookReceiver back = WebhookReceiver.refusingFirst(0)) {
            Path config = configFile(dir, store.config(), back.url());

            CapturedRun retry;
            // While a night holds the warehouse write lock: notify takes no lock, so it is not turned away.
            try (WarehouseLock night = WarehouseLock.acquire(TestSpark.warehouse().toString(),
                    spark.sparkContext().hadoopConfiguration(), "run " + NIGHT, WarehouseLock.DEFAULT_STALE_AFTER)) {
                retry = CapturedRun.of("notify", "--retry", "--config", config.toString());
            }

            assertThat(retry.exitCode()).as(retry.err()).isEqualTo(ExitCodes.OK);
            assertThat(retry.out()).contains("[notify] notifications: 0 new, 0 superseded, 2 delivered, 0 pending");
            assertThat(back.accepted()).containsOnlyKeys("inc-a/v1/ops-webhook", "inc-b/v1/ops-webhook");
            assertThat(back.accepted().values()).allSatisfy(bodies -> assertThat(bodies).hasSize(1));
            Map<String, Row> delivered = notifications(store);
            assertThat(delivered.values()).allSatisfy(r -> assertThat(r.<String>getAs("status")).isEqualTo("delivered"));
            assertThat(delivered.get("inc-a/v1/ops-webhook").<Integer>getAs("attempts")).isEqualTo(4);
            assertThat(delivered.get("inc-b/v1/ops-webhook").<Integer>getAs("attempts")).isEqualTo(1);

            CapturedRun again = CapturedRun.of("notify", "--retry", "--config", config.toString());

            assertThat(again.exitCode()).isEqualTo(ExitCodes.OK);
            assertThat(back.calls()).isEqualTo(2);
        }
        CapturedRun nothingToDo = CapturedRun.of("notify", "--config", dir.resolve("nightshift.yaml").toString());
        assertThat(nothingToDo.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(nothingToDo.err()).contains("--retry (pending notifications) or --date D");
    }

    private static Path configFile(Path dir, WarehouseConfig warehouse, URI url) throws Exception {
        return Files.writeString(dir.resolve("nightshift.yaml"), String.join("\n",
                "warehouse: {path: '" + TestSpark.warehouse() + "', catalog: " + TestSpark.CATALOG + ", namespace: "
                        + warehouse.namespace() + "}",
                "notifications:",
                "  sinks:",
                "    - {name: " + SINK + ", type: webhook, url: '" + url + "', min_severity: medium,",
                "       headers: {Authorization: '" + TOKEN + "'}}",
                "  backoff_millis: 10",
                "  timeout_seconds: 5", ""));
    }

    @Test
    void aNewIncidentVersionIsNotifiedAndSupersedesAnUndeliveredOlderOne() {
        ResultsStore store = freshStore();
        incident(store, "inc-a", 1, "high", NIGHT);
        NotificationJob.run(store, webhook(WebhookReceiver.deadUrl(), 1, 5), List.of(NIGHT));
        LocalDate next = NIGHT.plusDays(1);
        incident(store, "inc-a", 2, "critical", next);

        try (WebhookReceiver receiver = WebhookReceiver.refusingFirst(0)) {
            NotificationJob.Summary summary = NotificationJob.run(store, webhook(receiver.url(), 3, 5),
                    List.of(NIGHT, next));

            assertThat(summary.describe()).isEqualTo("notifications: 1 new, 1 superseded, 1 delivered, 0 pending, "
                    + "0 failed");
            assertThat(receiver.accepted()).containsOnlyKeys("inc-a/v2/ops-webhook");
            assertThat(receiver.accepted().get("inc-a/v2/ops-webhook").get(0)).contains("\"incident_version\":2",
                    "\"severity\":\"critical\"");
        }
        Map<String, Row> rows = notifications(store);
        assertThat(rows.get("inc-a/v1/ops-webhook").<String>getAs("status")).isEqualTo("superseded");
        assertThat(rows.get("inc-a/v1/ops-webhook").<Integer>getAs("attempts")).isEqualTo(1);
        assertThat(rows.get("inc-a/v2/ops-webhook").<String>getAs("status")).isEqualTo("delivered");
        assertThat(rows.get("inc-a/v2/ops-webhook").<Date>getAs("logical_date")).isEqualTo(Date.valueOf(next));
    }

    @Test
    void theDirectorySinkWritesOneFilePerVersionWhoseHashIsInTheTable(@TempDir Path dir) throws Exception {
        ResultsStore store = freshStore();
        Path outbox = dir.resolve("outbox");
        NotificationsConfig config = new NotificationsConfig(List.of(new NotificationsConfig.Sink("soc-outbox",
                NotificationsConfig.SinkType.DIRECTORY, null, Location.local(outbox), Severity.INFORMATIONAL, Map.of())), 3, 20, 10, 5);
        incident(store, "inc-a", 1, "low", NIGHT);
        NotificationJob.run(store, config, List.of(NIGHT));
        incident(store, "inc-a", 2, "medium", NIGHT.plusDays(1));

        NotificationJob.Summary second = NotificationJob.run(store, config, List.of(NIGHT.plusDays(1)));

        assertThat(second.delivery().delivered()).isEqualTo(1);
        try (var files = Files.list(outbox)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("inc-a-v1.json", "inc-a-v2.json");
        }
        Map<String, Row> rows = notifications(store);
        for (int v = 1; v <= 2; v++) {
            Row row = rows.get("inc-a/v" + v + "/soc-outbox");
            byte[] file = Files.readAllBytes(outbox.resolve("inc-a-v" + v + ".json"));
            assertThat(row.<String>getAs("status")).isEqualTo("delivered");
            assertThat(row.<String>getAs("sink_type")).isEqualTo("directory");
            assertThat(sha256(file)).isEqualTo(row.getAs("payload_sha256"));
            assertThat(new String(file, StandardCharsets.UTF_8)).contains("\"incident_version\":" + v);
        }
        // Same row, same bytes: rendering the stored incident again gives exactly the payload that was sent.
        Row stored = store.read(ResultTables.INCIDENTS).where("incident_id = 'inc-a'").first();
        assertThat(OcsfExporter.incidentJson(stored)).isEqualTo(rows.get("inc-a/v2/soc-outbox").getAs("payload"));
    }

    @Test
    void anEndpointThatNeverAnswersIsAbandonedAfterTheTimeoutWithoutFailing() {
        ResultsStore store = freshStore();
        incident(store, "inc-a", 1, "high", NIGHT);
        incident(store, "inc-b", 1, "high", NIGHT);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long start = System.nanoTime();
        try (WebhookReceiver silent = WebhookReceiver.silent()) {

            Optional<NotificationJob.Summary> summary = NotificationJob.afterRun(store, webhook(silent.url(), 2, 1),
                    List.of(NIGHT), new Progress(System.out, "run " + NIGHT),
                    new PrintStream(err, true, StandardCharsets.UTF_8));

            // Two tries of one second each for the first notification, the second not tried; without the timeout
            // the run would wait until the receiver lets go, after two minutes.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
            assertThat(silent.calls()).isEqualTo(2);
            assertThat(summary).isPresent();
            assertThat(summary.get().delivery().pending()).isEqualTo(2);
        }
        Row a = notifications(store).get("inc-a/v1/ops-webhook");
        assertThat(a.<String>getAs("status")).isEqualTo("pending");
        assertThat(a.<String>getAs("last_error")).isEqualTo("no answer within 1 s");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("2 notifications were not delivered");
    }

    @Test
    void aNotificationIsFailedOnceMaxAttemptsAreSpentAndThenNoLongerTried() {
        ResultsStore store = freshStore();
        incident(store, "inc-a", 1, "high", NIGHT);
        try (WebhookReceiver refusing = WebhookReceiver.refusingFirst(Integer.MAX_VALUE)) {
            // Two tries a run, three in all: the second run may use only the one left.
            NotificationsConfig config = new NotificationsConfig(webhook(refusing.url(), 2, 5).sinks(), 2, 3, 10, 5);
            NotificationJob.Summary first = NotificationJob.run(store, config, List.of(NIGHT));
            NotificationJob.Summary second = NotificationJob.run(store, config, List.of(NIGHT));
            NotificationJob.Summary third = NotificationJob.run(store, config, List.of(NIGHT));

            assertThat(first.delivery().pending()).isEqualTo(1);
            assertThat(second.describe()).isEqualTo("notifications: 0 new, 0 superseded, 0 delivered, 0 pending, "
                    + "1 failed (sink ops-webhook: HTTP 503: busy, try later)");
            assertThat(third.delivery().failed() + third.delivery().pending()).isZero();
            assertThat(refusing.calls()).isEqualTo(3);
        }
        Row a = notifications(store).get("inc-a/v1/ops-webhook");
        assertThat(a.<String>getAs("status")).isEqualTo("failed");
        assertThat(a.<Integer>getAs("attempts")).isEqualTo(3);
        assertThat(a.<String>getAs("last_error")).isEqualTo("HTTP 503: busy, try later");
    }

    @Test
    void anyFailureOfNotificationAfterTheRunIsAWarningNotAnError() {
        // A namespace whose tables were never created: reading incidents fails inside the job.
        ResultsStore broken = new ResultsStore(spark, TestSpark.freshWarehouse());
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        Optional<NotificationJob.Summary> summary = NotificationJob.afterRun(broken,
                webhook(WebhookReceiver.deadUrl(), 1, 1), List.of(NIGHT), new Progress(System.out, "run"),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(summary).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("nightshift: warning: the run for 2026-11-20 "
                + "succeeded and its tables are published, but notifications did not complete: ");
    }

    @Test
    void headersNightshiftSetsItselfCannotBeConfigured() {
        var sink = new NotificationsConfig.RawSink(SINK, "webhook", "http://127.0.0.1:9/hook", null, null,
                Map.of("Idempotency-Key", "x"));
        assertThatThrownBy(() -> NotificationsConfig.resolve(new NotificationsConfig.Raw(List.of(sink), null, null,
                null, null), Path.of("."), "nightshift.yaml"))
                .isInstanceOf(NightshiftException.class)
                .hasMessage("nightshift.yaml: notifications.sinks[0] (ops-webhook): header 'Idempotency-Key' cannot be "
                        + "configured; Nightshift sets Content-Type and Idempotency-Key itself, and the HTTP client "
                        + "the others");
    }
}
