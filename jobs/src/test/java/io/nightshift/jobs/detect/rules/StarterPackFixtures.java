package io.nightshift.jobs.detect.rules;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * For every rule of the starter pack ({@code rules/} at the repository root): a tiny day of logs on which it must
 * fire, and a near miss on which it must stay quiet (just under the threshold, just outside the window, a lookalike
 * value). A rule added to the pack without fixtures fails {@link RuleStarterPackTest}.
 */
public final class StarterPackFixtures {
    public record Fixture(LogRows fires, LogRows quiet) {
    }

    static final String DAY = "2026-11-20"; // a Friday

    private StarterPackFixtures() {
    }

    public static Map<String, Fixture> all() {
        Map<String, Fixture> m = new LinkedHashMap<>();
        m.put("NS-AUTH-001", new Fixture(
                burst("02:10:00", 25, 12, r -> r.user("alice").tenant("t-07").src("203.0.113.5").action("login")
                        .outcome("failure").message("Failed password for user alice from 203.0.113.5 port 51234")),
                burst("02:10:00", 20, 12, r -> r.user("alice").tenant("t-07").src("203.0.113.5").action("login")
                        .outcome("failure"))
                        .addAll(burst("04:00:00", 30, 240, r -> r.user("bob").tenant("t-07").action("login")
                                .outcome("failure")))));
        m.put("NS-AUTH-002", new Fixture(
                users("02:00:00", 12, "203.0.113.9", "failure"),
                users("02:00:00", 10, "203.0.113.9", "failure")
                        .addAll(usersFromManyIps("03:00:00", 12))));
        m.put("NS-AUTH-003", new Fixture(
                burst("02:00:00", 12, 10, r -> r.user("u1").src("198.51.100.20").action("login").outcome("failure"))
                        .addAll(one("02:05:00", r -> r.user("u1").src("198.51.100.20").action("login")
                                .outcome("success"))),
                burst("02:00:00", 12, 10, r -> r.user("u1").src("198.51.100.20").action("login").outcome("failure"))
                        .addAll(one("02:40:00", r -> r.user("u1").src("198.51.100.20").action("login")
                                .outcome("success")))
                        .addAll(one("05:59:00", r -> r.user("u2").src("198.51.100.21").action("login")
                                .outcome("success")))
                        .addAll(burst("06:00:00", 12, 10, r -> r.user("u2").src("198.51.100.21").action("login")
                                .outcome("failure")))));
        m.put("NS-AUTH-004", new Fixture(
                one("09:00:00", r -> r.user("bob").tenant("t-01").action("login").outcome("success").attr("country", "DE"))
                        .addAll(one("09:30:00", r -> r.user("bob").tenant("t-01").action("login").outcome("success")
                                .attr("country", "BR"))),
                one("09:00:00", r -> r.user("bob").tenant("t-01").action("login").outcome("success").attr("country", "DE"))
                        .addAll(one("09:30:00", r -> r.user("bob").tenant("t-01").action("login").outcome("success")
                                .attr("country", "DE")))
                        .addAll(one("13:00:00", r -> r.user("bob").tenant("t-01").action("login").outcome("success")
                                .attr("country", "BR")))));
        m.put("NS-PRIV-001", new Fixture(
                one("03:00:00", r -> r.user("mallory").action("privilege_change").attr("role", "admin")
                        .message("role admin granted to mallory by mallory")),
                one("03:00:00", r -> r.user("mallory").action("privilege_change").attr("role", "viewer")
                        .message("role viewer granted to mallory"))
                        .addAll(one("03:05:00", r -> r.user("mallory").action("login").attr("role", "admin")))));
        m.put("NS-IMPACT-001", new Fixture(
                burst("03:10:00", 60, 5, r -> r.user("mallory").tenant("t-02").action("delete")),
                burst("03:10:00", 50, 5, r -> r.user("mallory").tenant("t-02").action("delete"))));
        m.put("NS-EVADE-001", new Fixture(
                one("01:00:00", r -> r.user("dave").action("config_change")
                        .message("Audit logging disabled for tenant t-03 by dave")),
                one("01:00:00", r -> r.user("dave").action("config_change")
                        .message("Audit logging enabled for tenant t-03 by dave"))
                        .addAll(one("01:01:00", r -> r.message("firewall rule added: allow 443")))));
        m.put("NS-EXFIL-001", new Fixture(
                one("11:00:00", r -> r.user("erin").action("export").bytes(2_000_000_000L)),
                one("11:00:00", r -> r.user("erin").action("export").bytes(500_000_000L))
                        .addAll(one("11:05:00", r -> r.user("erin").action("download").bytes(2_000_000_000L)))));
        m.put("NS-EXFIL-002", new Fixture(
                burst("12:00:00", 6, 300, r -> r.user("erin").tenant("t-04").action("export").bytes(1_000_000_000L)),
                burst("12:00:00", 5, 300, r -> r.user("erin").tenant("t-04").action("export").bytes(1_000_000_000L))));
        m.put("NS-RECON-001", new Fixture(
                one("05:00:00", r -> r.src("192.0.2.50").attr("user_agent", "sqlmap/1.7.2#stable (https://sqlmap.org)")),
                one("05:00:00", r -> r.src("192.0.2.51").attr("user_agent",
                        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"))
                        .addAll(one("05:01:00", r -> r.src("192.0.2.52").attr("user_agent", "nmapper-client/2.0")))));
        m.put("NS-AUTH-005", new Fixture(
                one("06:00:00", r -> r.user("root").host("db-01").action("login").outcome("success")),
                one("06:00:00", r -> r.user("rootkit-analyst").action("login").outcome("success"))
                        .addAll(one("06:01:00", r -> r.user("root").action("login").outcome("failure")))));
        m.put("NS-WEB-001", new Fixture(
                burst("07:00:00", 55, 5, r -> r.service("api").src("192.0.2.77").status(403)),
                burst("07:00:00", 50, 5, r -> r.service("api").src("192.0.2.77").status(401))
                        .addAll(burst("08:00:00", 60, 5, r -> r.service("api").src("192.0.2.78").status(404)))));
        m.put("NS-CHANGE-001", new Fixture(
                one("02:30:00", r -> r.user("frank").action("config_change").message("changed max_connections")),
                one("10:00:00", r -> r.user("frank").action("config_change").message("changed max_connections"))));
        m.put("NS-IAM-001", new Fixture(
                one("04:00:00", r -> r.user("mallory").action("user_create").attr("role", "admin")
                        .message("created user backdoor with role admin")),
                one("04:00:00", r -> r.user("mallory").action("user_create").attr("role", "viewer")
                        .message("created user intern1 with role viewer"))));
        m.put("NS-IAM-002", new Fixture(
                one("04:30:00", r -> r.user("mallory").action("api_key_create").message("API key created for mallory")),
                one("04:30:00", r -> r.user("mallory").action("api_key_delete").message("API key revoked"))
                        .addAll(one("04:31:00", r -> r.user("mallory").message("API key rotated on schedule")))));
        m.put("6f1d3c0e-9a4b-4d35-9d0b-2f5c6a1b7e01", new Fixture(
                one("08:00:00", r -> r.service("web").src("192.0.2.90").attr("url", "/uploads/Shell.php?x=1")),
                one("08:00:00", r -> r.service("web").src("192.0.2.90").attr("url", "/index.php?page=2"))));
        m.put("0c7e2f59-3d1a-4b8e-a6c4-7e9b1d2a5f02", new Fixture(
                one("09:00:00", r -> r.user("alice").action("StopLogging")),
                one("09:00:00", r -> r.user("svc-audit").action("StopLogging"))
                        .addAll(one("09:01:00", r -> r.user("alice").action("StartLogging")))));
        m.put("9b4a1e7d-5c2f-4e60-8d3b-1a6f0c9e8d03", new Fixture(
                one("10:00:00", r -> r.host("web-03").message("session bob: sudo -l")),
                one("10:00:00", r -> r.host("web-03").message("session bob: cat /etc/hosts"))
                        .addAll(one("10:01:00", r -> r.host("web-03").message("pseudo-list ok")))));
        return m;
    }

    private static int ids;

    static LogRows one(String time, Consumer<LogRows.LogRow> shape) {
        LogRows rows = new LogRows();
        shape.accept(rows.add("r" + (++ids), DAY + "T" + time + "Z"));
        return rows;
    }

    /** {@code n} rows shaped alike, {@code secondsApart} apart from {@code time}. */
    static LogRows burst(String time, int n, int secondsApart, Consumer<LogRows.LogRow> shape) {
        LogRows rows = new LogRows();
        Instant t0 = Instant.parse(DAY + "T" + time + "Z");
        for (int i = 0; i < n; i++) {
            shape.accept(rows.add("r" + (++ids), t0.plusSeconds((long) i * secondsApart).toString()));
        }
        return rows;
    }

    private static LogRows users(String time, int n, String ip, String outcome) {
        LogRows rows = new LogRows();
        Instant t0 = Instant.parse(DAY + "T" + time + "Z");
        for (int i = 0; i < n; i++) {
            rows.add("r" + (++ids), t0.plusSeconds(i * 20L).toString()).user("user" + i).tenant("t-09").src(ip)
                    .action("login").outcome(outcome);
        }
        return rows;
    }

    private static LogRows usersFromManyIps(String time, int n) {
        LogRows rows = new LogRows();
        Instant t0 = Instant.parse(DAY + "T" + time + "Z");
        for (int i = 0; i < n; i++) {
            rows.add("r" + (++ids), t0.plusSeconds(i * 20L).toString()).user("user" + i).src("198.18.0." + i)
                    .action("login").outcome("failure");
        }
        return rows;
    }
}
