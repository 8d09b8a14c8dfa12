package io.nightshift.jobs.detect.intel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV and STIX feeds: what loads, what is skipped with file and line, and what applies on a date. */
class IndicatorFeedLoaderTest {
    static final LocalDate DAY = LocalDate.parse("2026-11-20");

    static final String CSV = """
            type,value,source,confidence,expiry
            # comment
            ip,198.51.100.7,abuse-ch,90,2026-12-31
            domain,Evil.Example.,osint,70,
            user_agent,"sqlmap/1.7 (https://sqlmap.org, x)",scanners,60,
            ip,203.0.113.99,old-feed,80,2026-11-19
            ip,999.1.1.1,bad,50,
            hash,abc,bad,50,
            ip,198.51.100.8,bad,150,
            ip,198.51.100.9,bad,50,tomorrow
            ip,198.51.100.7,other-feed,40,2027-06-30
            """;

    static final String STIX = """
            {
              "type": "bundle",
              "id": "bundle--1",
              "objects": [
                {"type": "identity", "id": "identity--feed", "name": "acme-intel"},
                {"type": "indicator", "id": "indicator--a", "created_by_ref": "identity--feed",
                 "pattern": "[ipv4-addr:value = '192.0.2.66']", "pattern_type": "stix", "confidence": 85,
                 "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2027-01-01T00:00:00Z"},
                {"type": "indicator", "id": "indicator--b", "pattern": "[url:value = 'http://evil.example/drop.sh']",
                 "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z"},
                {"type": "indicator", "id": "indicator--c",
                 "pattern": "[file:hashes.'SHA-256' = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']",
                 "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z"},
                {"type": "indicator", "id": "indicator--d", "pattern": "[domain-name:value = 'gone.example']",
                 "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z", "revoked": true},
                {"type": "indicator", "id": "indicator--e",
                 "pattern": "[network-traffic:dst_port = 4444]", "pattern_type": "stix",
                 "valid_from": "2026-01-01T00:00:00Z"},
                {"type": "indicator", "id": "indicator--f",
                 "pattern": "[ipv4-addr:value = '192.0.2.1' OR ipv4-addr:value = '192.0.2.2']", "pattern_type": "stix",
                 "valid_from": "2026-01-01T00:00:00Z"},
                {"type": "indicator", "id": "indicator--g", "pattern": "[domain-name:value = 'later.example']",
                 "pattern_type": "stix", "valid_from": "2026-12-01T00:00:00Z"},
                {"type": "indicator", "id": "indicator--h", "pattern": "[domain-name:value = 'ended.example']",
                 "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2026-11-20T00:00:00Z"}
              ]
            }
            """;

    static Path feeds(Path dir) throws IOException {
        Files.writeString(dir.resolve("indicators.csv"), CSV);
        Files.writeString(dir.resolve("feed.stix.json"), STIX);
        return dir;
    }

    @Test
    void badLinesAreReportedWithFileAndLineAndSkipped(@TempDir Path dir) throws IOException {
        IndicatorFeed feed = IndicatorFeedLoader.load(feeds(dir));
        String csv = dir.resolve("indicators.csv").toString();
        String stix = dir.resolve("feed.stix.json").toString();
        assertThat(feed.problems()).extracting(FeedProblem::toString).containsExactly(
                stix + ":16: indicator indicator--e: pattern [network-traffic:dst_port = 4444] is not a single"
                        + " supported comparison; skipped",
                stix + ":19: indicator indicator--f: pattern [ipv4-addr:value = '192.0.2.1' OR ipv4-addr:value ="
                        + " '192.0.2.2'] is not a single supported comparison; skipped",
                csv + ":7: '999.1.1.1' is not a valid ip; line skipped",
                csv + ":8: unknown type 'hash' (types: ip, domain, url, sha256, user_agent); line skipped",
                csv + ":9: confidence 150 is outside 0-100; line skipped",
                csv + ":10: 'tomorrow' is not an ISO date (YYYY-MM-DD) or date-time; line skipped");
    }

    @Test
    void activeIndicatorsHonourExpiryValidityAndRevocationAndMergeDuplicates(@TempDir Path dir) throws IOException {
        List<Indicator> active = IndicatorFeedLoader.load(feeds(dir)).activeOn(DAY);
        assertThat(active).extracting(i -> i.type().word() + " " + i.value()).containsExactlyInAnyOrder(
                "ip 198.51.100.7", "domain evil.example", "user_agent sqlmap/1.7 (https://sqlmap.org, x)",
                "ip 192.0.2.66", "url http://evil.example/drop.sh",
                "sha256 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        Indicator dup = active.stream().filter(i -> i.value().equals("198.51.100.7")).findFirst().orElseThrow();
        assertThat(dup.confidence()).isEqualTo(90);
        assertThat(dup.source()).isEqualTo("abuse-ch, other-feed");
        assertThat(dup.expiry()).isEqualTo(LocalDate.parse("2027-06-30"));
        assertThat(dup.id()).isEqualTo(Indicator.derivedId(IndicatorType.IP, "198.51.100.7")).startsWith("ip:");
        Indicator stix = active.stream().filter(i -> i.value().equals("192.0.2.66")).findFirst().orElseThrow();
        assertThat(stix.id()).isEqualTo("indicator--a");
        assertThat(stix.source()).isEqualTo("acme-intel");
        assertThat(stix.expiry()).isEqualTo(LocalDate.parse("2026-12-31"));
        assertThat(stix.origin()).endsWith("feed.stix.json:6");
        // The CSV expired on the 19th; the STIX one ended at midnight of the 20th.
        assertThat(IndicatorFeedLoader.load(dir).activeOn(LocalDate.parse("2026-11-19")))
                .extracting(Indicator::value).contains("203.0.113.99", "ended.example");
    }

    @Test
    void aWrongHeaderSkipsTheFileAndAMissingDirectoryIsAProblem(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("x.csv"), "value,type\n1.2.3.4,ip\n");
        IndicatorFeed feed = IndicatorFeedLoader.load(dir);
        assertThat(feed.indicators()).isEmpty();
        assertThat(feed.problems()).singleElement().asString().isEqualTo(dir.resolve("x.csv")
                + ":1: header must be type,value,source,confidence,expiry, got value,type; file skipped");
        assertThat(IndicatorFeedLoader.load(dir.resolve("none")).problems()).singleElement().asString()
                .contains("feed directory does not exist");
    }
}
