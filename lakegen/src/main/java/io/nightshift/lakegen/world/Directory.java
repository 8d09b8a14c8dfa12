package io.nightshift.lakegen.world;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The company's customers: 20 tenants and their 200 users, plus the internal staff and bots that deploy and
 * configure. Fixed, like {@link Topology}, so reference files stay stable across seeds.
 *
 * <p>Users keep a home address, user agent and country, so a user's normal traffic has a recognisable baseline
 * that incidents (a foreign address, an off-hours bulk export) stand out from.
 */
public final class Directory {
    public record Tenant(String id, String name, String industry, List<String> regulations, String homeRegion,
                         double trafficWeight) {
        public boolean regulatedBy(String regulation) {
            return regulations.contains(regulation);
        }
    }

    public record User(String name, String tenantId, String role, String homeIp, String country, String userAgent) {
    }

    /** Internal accounts: no tenant. */
    public static final String CI_BOT = "ci-bot";
    public static final List<String> OPERATORS = List.of("dana.ops", "eli.ops", "farah.ops", "gus.sre");

    public static final List<Tenant> TENANTS = List.of(
            tenant("tn-01", "Northwind Health", "healthcare", "HIPAA", "us-east"),
            tenant("tn-02", "Contoso Bank", "finance", "PCI-DSS;SOX", "us-east"),
            tenant("tn-03", "Blue Harbor Clinics", "healthcare", "HIPAA;GDPR", "eu-west"),
            tenant("tn-04", "Fabrikam Retail", "retail", "PCI-DSS", "us-west"),
            tenant("tn-05", "Tailspin Travel", "travel", "GDPR", "eu-west"),
            tenant("tn-06", "Litware Labs", "software", "", "us-west"),
            tenant("tn-07", "Adatum Insurance", "insurance", "SOX;GLBA", "us-east"),
            tenant("tn-08", "Wide World Importers", "logistics", "", "ap-south"),
            tenant("tn-09", "Proseware Pharma", "pharmaceuticals", "HIPAA", "us-east"),
            tenant("tn-10", "Coho Vineyard", "retail", "", "us-west"),
            tenant("tn-11", "Lamna Healthcare", "healthcare", "HIPAA", "us-west"),
            tenant("tn-12", "Trey Research", "research", "GDPR", "eu-west"),
            tenant("tn-13", "Alpine Ski House", "hospitality", "GDPR", "eu-west"),
            tenant("tn-14", "Margie's Travel", "travel", "", "ap-south"),
            tenant("tn-15", "Woodgrove Credit Union", "finance", "PCI-DSS;GLBA", "us-east"),
            tenant("tn-16", "Fourth Coffee", "food", "PCI-DSS", "us-west"),
            tenant("tn-17", "Humongous Insurance", "insurance", "GDPR;SOX", "eu-west"),
            tenant("tn-18", "Relecloud Media", "media", "", "ap-south"),
            tenant("tn-19", "VanArsdel Devices", "manufacturing", "", "ap-south"),
            tenant("tn-20", "Graphic Design Institute", "education", "FERPA", "us-east"));

    private static final int[] TENANT_SIZES = {16, 14, 12, 13, 10, 8, 12, 9, 11, 7, 10, 8, 9, 6, 10, 7, 9, 9, 8, 12};

    private static final String[] FIRST = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan",
            "judy", "mallory", "niaj", "olivia", "peggy", "quinn", "rupert", "sybil", "trent", "ursula", "victor",
            "wendy", "xavier", "yara", "zoe", "arjun", "bea", "chen", "dmitri", "elif", "farid", "gita", "hana",
            "ines", "jonas", "kenji", "lena", "mateo", "nora", "omar", "priya"};
    private static final String[] LAST = {"ng", "smith", "okafor", "garcia", "muller", "rossi", "tanaka", "kim",
            "silva", "novak", "dubois", "patel", "jensen", "cohen", "walsh", "ivanova", "haddad", "lopez", "berg",
            "sato"};

    private static final String[] USER_AGENTS = {
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
            "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
            "fernhill-sdk-python/3.4.1 python-requests/2.32.3",
            "fernhill-cli/1.9.0 (linux; amd64)"};

    public static final List<User> USERS = buildUsers();

    private static final Map<String, Tenant> TENANT_BY_ID =
            TENANTS.stream().collect(Collectors.toMap(Tenant::id, Function.identity()));
    private static final Map<String, List<User>> USERS_BY_TENANT =
            USERS.stream().collect(Collectors.groupingBy(User::tenantId));
    private static final Map<String, double[]> TENANT_CDF_BY_REGION = tenantCdfs();

    private Directory() {
    }

    private static Tenant tenant(String id, String name, String industry, String regulations, String home) {
        int rank = Integer.parseInt(id.substring(3));
        List<String> regs = regulations.isEmpty() ? List.of() : List.of(regulations.split(";"));
        // Zipf-like: a few big customers make most of the traffic, as in real multi-tenant products.
        return new Tenant(id, name, industry, regs, home, 1.0 / Math.pow(rank, 0.8));
    }

    private static List<User> buildUsers() {
        List<User> users = new ArrayList<>();
        int usIps = 0;
        int otherIps = 0;
        for (int t = 0; t < TENANTS.size(); t++) {
            Tenant tenant = TENANTS.get(t);
            boolean us = tenant.homeRegion().startsWith("us-");
            for (int i = 0; i < TENANT_SIZES[t]; i++) {
                int n = users.size();
                String name = FIRST[n % FIRST.length] + "." + LAST[(n / FIRST.length + n) % LAST.length];
                String role = i == 0 ? "admin" : i <= 2 ? "analyst" : (i % 3 == 0 ? "viewer" : "editor");
                String ip = us ? "203.0.113." + (++usIps) : "192.0.2." + (++otherIps);
                users.add(new User(name, tenant.id(), role, ip, country(tenant.homeRegion(), i),
                        USER_AGENTS[(n * 7) % USER_AGENTS.length]));
            }
        }
        return Collections.unmodifiableList(users);
    }

    private static String country(String region, int i) {
        return switch (region) {
            case "us-east", "us-west" -> i % 9 == 8 ? "CA" : "US";
            case "eu-west" -> new String[] {"DE", "FR", "GB", "IE", "NL"}[i % 5];
            default -> i % 4 == 3 ? "SG" : "IN";
        };
    }

    /** Tenants mostly use their home region; 15% of their traffic lands elsewhere (travel, failover, VPNs). */
    private static Map<String, double[]> tenantCdfs() {
        Map<String, double[]> m = new java.util.HashMap<>();
        for (Topology.Region region : Topology.REGIONS) {
            double[] w = new double[TENANTS.size()];
            for (int t = 0; t < w.length; t++) {
                Tenant tenant = TENANTS.get(t);
                w[t] = tenant.trafficWeight() * (tenant.homeRegion().equals(region.name()) ? 0.85 : 0.15 / 3);
            }
            m.put(region.name(), Sampling.cumulative(w));
        }
        return m;
    }

    public static Tenant tenant(String id) {
        Tenant t = TENANT_BY_ID.get(id);
        if (t == null) {
            throw new IllegalArgumentException("Unknown tenant " + id);
        }
        return t;
    }

    public static List<User> usersOf(String tenantId) {
        return USERS_BY_TENANT.getOrDefault(tenantId, List.of());
    }

    public static List<User> usersWithRole(String tenantId, String role) {
        return usersOf(tenantId).stream().filter(u -> u.role().equals(role)).toList();
    }

    public static List<User> analysts() {
        return USERS.stream().filter(u -> u.role().equals("analyst")).toList();
    }

    public static User user(String name) {
        return USERS.stream().filter(u -> u.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown user " + name));
    }

    /** A user of a tenant drawn by tenant size of traffic in {@code region}. */
    public static User sampleUser(String region, SplittableRandom rng) {
        Tenant tenant = TENANTS.get(Sampling.pickCumulative(rng, TENANT_CDF_BY_REGION.get(region)));
        return Sampling.pick(rng, usersOf(tenant.id()));
    }
}
