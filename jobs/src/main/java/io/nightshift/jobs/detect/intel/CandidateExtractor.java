package io.nightshift.jobs.detect.intel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF7;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Every (type, value, field) a log row offers for indicator matching, in one pass over the row: the source and
 * destination IPs, IPs, URLs, domains and SHA-256 hashes found in the message, the {@code url}, {@code domain},
 * {@code user_agent} and {@code sha256} attributes, the host of every URL, and every parent domain of a domain
 * ({@code a.b.evil.example} also yields {@code b.evil.example} and {@code evil.example}, so a listed domain matches
 * its subdomains). Values are raw (trimmed and lower-cased later, as feed values are); nulls, empties and repeats are
 * dropped.
 *
 * <p>Why plain Java and not Spark's array functions: the same extraction written as {@code regexp_extract_all},
 * {@code transform}, {@code filter} and {@code flatten} runs its lambdas through Spark's interpreter for every row of
 * the day, several times slower than this loop with its precompiled patterns, and it is the hot path of threat-intel
 * matching.
 */
final class CandidateExtractor {
    static final Pattern IPV4 = Pattern.compile(
            "\\b(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\b");
    static final Pattern URL_IN_TEXT = Pattern.compile("(?i)\\bhttps?://[^\\s\"'<>]+");
    static final Pattern DOMAIN_IN_TEXT = Pattern.compile(
            "(?i)\\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{1,62}\\b");
    static final Pattern SHA256_IN_TEXT = Pattern.compile("(?i)\\b[0-9a-f]{64}\\b");
    static final Pattern URL_HOST = Pattern.compile("(?i)^[a-z][a-z0-9+.-]*://(?:[^@/?#]*@)?([^:/?#\\[\\]]+)");

    static final StructType CANDIDATE = DataTypes.createStructType(List.of(
            DataTypes.createStructField("type", DataTypes.StringType, false),
            DataTypes.createStructField("value", DataTypes.StringType, false),
            DataTypes.createStructField("field", DataTypes.StringType, false)));

    private CandidateExtractor() {
    }

    /**
     * The candidates of a row that some indicator has, as {@code ARRAY<STRUCT<type, value, field>>}: a candidate
     * whose normalised value no indicator of its type has ({@link IndicatorKeys}) cannot match and is left out here,
     * in the same pass, instead of becoming one of the day's tens of millions of exploded rows that the join would
     * then drop. The join with the indicator table still decides every match.
     */
    static Column candidates(Broadcast<IndicatorKeys> indicatorKeys, Column message, Column srcIp, Column dstIp,
                             Column url, Column domain, Column userAgent, Column sha256) {
        UserDefinedFunction udf = org.apache.spark.sql.functions.udf(
                (UDF7<String, String, String, String, String, String, String, List<Row>>) (m, s, d, u, dom, ua, h) -> {
                    IndicatorKeys keys = indicatorKeys.value();
                    return extract(m, s, d, u, dom, ua, h, keys::contains);
                }, DataTypes.createArrayType(CANDIDATE, false)).asNonNullable();
        return udf.apply(message, srcIp, dstIp, url, domain, userAgent, sha256);
    }

    static List<Row> extract(String message, String srcIp, String dstIp, String url, String domain,
                             String userAgent, String sha256) {
        return extract(message, srcIp, dstIp, url, domain, userAgent, sha256, (type, value) -> true);
    }

    /**
     * The candidates {@code wanted} accepts (given type and raw value). Each is tested before it is de-duplicated:
     * most are rejected, and a rejected one costs no entry in the set.
     */
    static List<Row> extract(String message, String srcIp, String dstIp, String url, String domain,
                             String userAgent, String sha256, BiPredicate<String, String> wanted) {
        Candidates out = new Candidates(wanted);
        out.add("ip", srcIp, "src_ip");
        out.add("ip", dstIp, "dst_ip");
        out.add("user_agent", userAgent, "attributes.user_agent");
        out.add("sha256", sha256, "attributes.sha256");
        out.add("url", url, "attributes.url");
        List<String> urls = new ArrayList<>();
        List<String> domains = new ArrayList<>();
        if (message != null) {
            int may = mayContain(message);
            if ((may & MAY_IPV4) != 0) {
                for (String ip : all(IPV4, message)) {
                    out.add("ip", ip, "message");
                }
            }
            if ((may & MAY_URL) != 0) {
                urls.addAll(all(URL_IN_TEXT, message));
            }
            for (String u : urls) {
                out.add("url", u, "message");
            }
            if ((may & MAY_SHA256) != 0) {
                for (String h : all(SHA256_IN_TEXT, message)) {
                    out.add("sha256", h, "message");
                }
            }
            if ((may & MAY_DOMAIN) != 0) {
                domains.addAll(all(DOMAIN_IN_TEXT, message));
            }
        }
        if (url != null) {
            urls.add(url);
        }
        if (domain != null) {
            domains.add(domain);
        }
        for (String u : urls) {
            Matcher m = URL_HOST.matcher(u);
            domains.add(m.find() ? m.group(1) : "");
        }
        for (String d : domains) {
            for (String parent : withParents(d)) {
                out.add("domain", parent, "domain");
            }
        }
        List<Row> rows = new ArrayList<>(out.kept.size());
        for (List<String> c : out.kept) {
            rows.add(RowFactory.create(c.get(0), c.get(1), c.get(2)));
        }
        return rows;
    }

    static final int MAY_IPV4 = 1;
    static final int MAY_URL = 2;
    static final int MAY_DOMAIN = 4;
    static final int MAY_SHA256 = 8;

    /**
     * Which patterns can match {@code text}, from one pass over its characters: each flag is a necessary condition
     * of its pattern (an IPv4 address is a run of digits and dots with three dots in it; a URL has "://"; a domain
     * has a letter or digit, a dot and a letter; a SHA-256 has 64 hex digits in a row). Scanning every message with
     * the four patterns was the whole cost of intel matching; most messages need none of them.
     */
    static int mayContain(String text) {
        int flags = 0;
        int hexRun = 0;
        int dotsInNumericRun = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '.' && i > 0 && i + 1 < n) {
                char before = text.charAt(i - 1);
                char after = text.charAt(i + 1);
                if ((isDigit(before) || isLetter(before)) && isLetter(after)) {
                    flags |= MAY_DOMAIN;
                }
            } else if (c == ':' && text.startsWith("//", i + 1)) {
                flags |= MAY_URL;
            }
            // An IPv4 address is a run of digits and dots holding three dots.
            dotsInNumericRun = isDigit(c) ? dotsInNumericRun : c == '.' ? dotsInNumericRun + 1 : 0;
            if (dotsInNumericRun >= 3) {
                flags |= MAY_IPV4;
            }
            hexRun = isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ? hexRun + 1 : 0;
            if (hexRun >= 64) {
                flags |= MAY_SHA256;
            }
        }
        return flags;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** {@code a.b.c} → [a.b.c, b.c]: the domain, lower-cased, and each parent with at least two labels. */
    static List<String> withParents(String domain) {
        String lower = domain.toLowerCase(java.util.Locale.ROOT);
        int dots = 0;
        for (int i = 0; i < lower.length(); i++) {
            if (lower.charAt(i) == '.') {
                dots++;
            }
        }
        if (dots == 0) {
            return List.of(lower);
        }
        // The domain, then what follows each dot but the last: the parents with two labels or more.
        List<String> out = new ArrayList<>(dots);
        out.add(lower);
        int from = 0;
        for (int parent = 1; parent < dots; parent++) {
            from = lower.indexOf('.', from) + 1;
            out.add(lower.substring(from));
        }
        return out;
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    /** The accepted candidates in the order found, each (type, raw value, field) once. */
    private static final class Candidates {
        private final BiPredicate<String, String> wanted;
        private final Set<List<String>> kept = new LinkedHashSet<>();

        Candidates(BiPredicate<String, String> wanted) {
            this.wanted = wanted;
        }

        void add(String type, String value, String field) {
            if (value != null && !value.isEmpty() && wanted.test(type, value)) {
                kept.add(List.of(type, value, field));
            }
        }
    }
}
