package io.nightshift.lakegen;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import io.nightshift.lakegen.world.Directory;
import io.nightshift.lakegen.world.Seeds;

/**
 * The threat-intelligence feed shipped with a lake: 20 indicators (addresses, domains, URLs, file hashes), some
 * expired. The known-bad address of the known-bad-IP scenario is always among the unexpired ones. One expired
 * indicator is the home address of an ordinary user, so a matcher that ignores expiry raises false alarms.
 */
public final class ThreatIntel {
    public record Indicator(String type, String value, String source, int confidence, Instant expiry) {
    }

    /** Candidates for the known-bad-IP scenario; all listed unexpired. */
    private static final List<String> KNOWN_BAD_IPS = List.of("198.51.100.7", "198.51.100.23", "198.51.100.42",
            "198.51.100.66");
    private static final String DECOY_EXPIRED_IP = Directory.USERS.get(11).homeIp();

    private ThreatIntel() {
    }

    /** The address the known-bad-IP scenario connects from, chosen by the seed. */
    public static String knownBadIp(long seed) {
        return KNOWN_BAD_IPS.get((int) Math.floorMod(Seeds.combine(Seeds.SCENARIO, seed, 0x1b), KNOWN_BAD_IPS.size()));
    }

    /** The indicators, with expiry relative to the lake's dates: "live" outlasts it, "expired" ended before it. */
    public static List<Indicator> indicators(GeneratorSpec spec) {
        Instant live = spec.endDateInclusive().plusDays(120).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant liveSoon = spec.endDateInclusive().plusDays(30).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant expired = spec.startDate().minusDays(20).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant longExpired = spec.startDate().minusDays(200).atStartOfDay().toInstant(ZoneOffset.UTC);
        List<Indicator> list = new ArrayList<>();
        list.add(new Indicator("ip", KNOWN_BAD_IPS.get(0), "abuse-feed", 90, live));
        list.add(new Indicator("ip", KNOWN_BAD_IPS.get(1), "partner-isac", 80, live));
        list.add(new Indicator("ip", KNOWN_BAD_IPS.get(2), "internal-ir", 95, liveSoon));
        list.add(new Indicator("ip", KNOWN_BAD_IPS.get(3), "abuse-feed", 70, live));
        list.add(new Indicator("ip", "198.51.100.101", "osint", 50, expired));
        list.add(new Indicator("ip", "198.51.100.118", "abuse-feed", 60, longExpired));
        list.add(new Indicator("ip", "198.51.100.140", "partner-isac", 65, liveSoon));
        list.add(new Indicator("ip", DECOY_EXPIRED_IP, "osint", 40, expired));
        list.add(new Indicator("domain", "evil.example", "internal-ir", 95, live));
        list.add(new Indicator("domain", "login-fernhill.example", "partner-isac", 85, live));
        list.add(new Indicator("domain", "cdn-update.example", "osint", 55, expired));
        list.add(new Indicator("domain", "paste-drop.example", "abuse-feed", 60, liveSoon));
        list.add(new Indicator("domain", "fernhill-support.example", "osint", 45, longExpired));
        list.add(new Indicator("url", "http://evil.example/payload.bin", "internal-ir", 95, live));
        list.add(new Indicator("url", "https://login-fernhill.example/reset?next=/admin", "partner-isac", 85, live));
        list.add(new Indicator("url", "http://cdn-update.example/update.ps1", "osint", 50, expired));
        list.add(new Indicator("sha256", sha256Like("dropper"), "internal-ir", 90, live));
        list.add(new Indicator("sha256", sha256Like("miner"), "abuse-feed", 75, live));
        list.add(new Indicator("sha256", sha256Like("loader"), "osint", 55, expired));
        list.add(new Indicator("sha256", sha256Like("webshell"), "partner-isac", 80, liveSoon));
        return List.copyOf(list);
    }

    private static String sha256Like(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            sb.append(String.format("%016x", Seeds.combine(name.hashCode(), i)));
        }
        return sb.toString();
    }
}
