package io.nightshift.lakegen.world;

import java.util.SplittableRandom;


/** Access-log lines and the request failures around them. */
public final class HttpTemplates {
    private static final String ACCESS = "{method} {path} HTTP/1.1 {status} {bytes_out} bytes {duration_ms} ms";

    public static final MessageTemplate OK = MessageTemplate.user("http_ok", "INFO", "http_request", ACCESS,
            (e, rng) -> respond(e, rng, new int[] {200, 200, 200, 200, 200, 200, 201, 204, 304}, 1.0));

    public static final MessageTemplate CLIENT_ERROR = MessageTemplate.user("http_client_error", "WARN",
            "http_request", ACCESS, (e, rng) -> {
                respond(e, rng, new int[] {400, 401, 403, 404, 404, 404, 409, 422}, 0.05);
                e.outcome = "failure";
            });

    public static final MessageTemplate SERVER_ERROR = MessageTemplate.user("http_server_error", "ERROR",
            "http_request", ACCESS + " error=\"{reason}\"", (e, rng) -> {
                respond(e, rng, new int[] {500, 500, 502, 503, 504}, 0.02);
                e.outcome = "failure";
                e.param("reason", Sampling.pick(rng, "internal error", "upstream connect error",
                        "no healthy upstream", "request aborted"));
            });

    public static final MessageTemplate UPSTREAM_TIMEOUT = MessageTemplate.user("upstream_timeout", "ERROR",
            "http_request", "Upstream {upstream} timed out after {duration_ms} ms (request_id={request_id})",
            (e, rng) -> {
                Requests.begin(e, rng);
                e.statusCode = 504;
                e.outcome = "failure";
                e.bytesOut = 0L;
                e.durationMs = Sampling.pick(rng, 5000.0, 10000.0, 30000.0) + rng.nextDouble() * 40;
                e.param("upstream", upstreamOf(e.service, rng));
            });

    public static final MessageTemplate SLOW_UPSTREAM = MessageTemplate.user("slow_upstream", "WARN",
            "http_request", "Call to {upstream} took {duration_ms} ms (threshold 1000 ms, request_id={request_id})",
            (e, rng) -> {
                Requests.begin(e, rng);
                e.statusCode = 200;
                e.bytesOut = Requests.responseBytes(e, rng, 2_000);
                e.durationMs = 1000.0 + e.requestLatencyMs * 3;
                e.param("upstream", upstreamOf(e.service, rng));
            });

    public static final MessageTemplate RATE_LIMITED = MessageTemplate.user("rate_limited", "WARN", "http_request",
            "Rate limit exceeded for tenant {tenant_id}: {count} requests in 60 s (limit {limit})", (e, rng) -> {
                Requests.begin(e, rng);
                int limit = new int[] {600, 1200, 3000}[rng.nextInt(3)];
                e.param("limit", limit);
                e.param("count", limit + Sampling.between(rng, 1, limit / 2));
                e.statusCode = 429;
                e.outcome = "failure";
                e.bytesOut = 120L;
                e.durationMs = 0.4 + rng.nextDouble();
            });

    public static final MessageTemplate CIRCUIT_OPEN = MessageTemplate.system("circuit_open", "ERROR", null,
            "Circuit breaker OPEN for {upstream} after {count} consecutive failures", (e, rng) -> {
                e.param("upstream", upstreamOf(e.service, rng));
                e.param("count", Sampling.between(rng, 5, 50));
            });

    private HttpTemplates() {
    }

    private static void respond(LogEvent e, SplittableRandom rng, int[] statuses, double sizeFactor) {
        Requests.begin(e, rng);
        e.statusCode = statuses[rng.nextInt(statuses.length)];
        long median = ServiceCatalog.profile(e.service).medianBytes();
        e.bytesOut = e.statusCode == 204 || e.statusCode == 304 ? 0L
                : Requests.responseBytes(e, rng, Math.max(64L, Math.round(median * sizeFactor)));
        e.durationMs = e.requestLatencyMs;
    }

    /** The services a caller depends on, so timeouts name plausible upstreams. */
    static String upstreamOf(String service, SplittableRandom rng) {
        return switch (service) {
            case "checkout" -> Sampling.pick(rng, "payments", "catalog", "storage", "auth");
            case "reports" -> Sampling.pick(rng, "storage", "billing-api");
            case "billing-api" -> Sampling.pick(rng, "payments", "storage");
            case "data-export" -> Sampling.pick(rng, "storage", "reports");
            case "search", "catalog" -> Sampling.pick(rng, "storage", "search-index");
            case "payments" -> Sampling.pick(rng, "card-gateway", "fraud-scoring");
            default -> Sampling.pick(rng, "auth", "postgres", "redis");
        };
    }
}
