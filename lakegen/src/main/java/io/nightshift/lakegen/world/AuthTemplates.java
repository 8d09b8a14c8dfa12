package io.nightshift.lakegen.world;


/** Logins, logouts and sessions, in the sshd-like wording security tools already parse. */
public final class AuthTemplates {
    public static final MessageTemplate LOGIN_OK = MessageTemplate.user("login_ok", "INFO", "login",
            "Accepted password for user {user} from {src_ip} port {port}", (e, rng) -> {
                login(e, rng);
                e.statusCode = 200;
            });

    public static final MessageTemplate LOGIN_FAILED = MessageTemplate.user("login_failed", "WARN", "login",
            "Failed password for user {user} from {src_ip} port {port}", (e, rng) -> {
                login(e, rng);
                e.statusCode = 401;
                e.outcome = "failure";
            });

    /** Attackers guess names that do not exist; the line names the guess, the user column stays empty. */
    public static final MessageTemplate LOGIN_INVALID_USER = MessageTemplate.user("login_invalid_user", "WARN",
            "login", "Failed password for invalid user {guess} from {src_ip} port {port}", (e, rng) -> {
                login(e, rng);
                e.statusCode = 401;
                e.outcome = "failure";
            });

    public static final MessageTemplate MFA_CHALLENGE = MessageTemplate.user("mfa_challenge", "INFO", "login",
            "MFA challenge sent to user {user} via {factor}", (e, rng) -> {
                login(e, rng);
                e.statusCode = 200;
                e.param("factor", Sampling.pick(rng, "totp", "push", "sms", "webauthn"));
            });

    public static final MessageTemplate LOGOUT = MessageTemplate.user("logout", "INFO", "logout",
            "User {user} logged out (session {session_id}, {minutes} min)", (e, rng) -> {
                Requests.clientContext(e, rng);
                e.param("minutes", Sampling.between(rng, 1, 480));
                e.statusCode = 200;
            });

    public static final MessageTemplate TOKEN_REFRESH = MessageTemplate.user("token_refresh", "DEBUG",
            "http_request", "Refreshed access token for user {user} (session {session_id}, expires in 3600 s)",
            (e, rng) -> {
                Requests.begin(e, rng);
                e.statusCode = 200;
                e.bytesOut = 1_100L + rng.nextInt(200);
                e.durationMs = e.requestLatencyMs;
            });

    public static final MessageTemplate SESSION_EXPIRED = MessageTemplate.user("session_expired", "INFO", "logout",
            "Session {session_id} for user {user} expired after {minutes} min idle", (e, rng) -> {
                Requests.clientContext(e, rng);
                e.param("minutes", Sampling.pick(rng, "30", "60", "120"));
            });

    public static final MessageTemplate ACCOUNT_LOCKED = MessageTemplate.user("account_locked", "WARN", "login",
            "Account {user} locked after {count} failed login attempts", (e, rng) -> {
                login(e, rng);
                e.param("count", Sampling.between(rng, 5, 10));
                e.statusCode = 423;
                e.outcome = "failure";
            });

    private AuthTemplates() {
    }

    private static void login(io.nightshift.lakegen.world.LogEvent e, java.util.SplittableRandom rng) {
        Requests.clientContext(e, rng);
        e.param("port", Sampling.ephemeralPort(rng));
        e.durationMs = e.requestLatencyMs;
        e.bytesOut = 0L;
        if (e.userRecord != null) {
            e.attributes.put("role", e.userRecord.role());
        }
    }
}
