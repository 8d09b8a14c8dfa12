package io.nightshift.lakegen.world;

import java.util.Map;
import java.util.SplittableRandom;


/** What a request line carries besides its message: endpoint, ids, client context, response size. */
public final class Requests {
    /** "METHOD path" per service; {id} becomes a number, so paths vary the way real access logs do. */
    private static final Map<String, String[]> ENDPOINTS = Map.ofEntries(
            Map.entry("checkout", new String[] {"GET /api/v2/cart/{id}", "POST /api/v2/cart/{id}/items",
                    "POST /api/v2/checkout/{id}/confirm", "GET /api/v2/orders/{id}", "GET /api/v2/orders"}),
            Map.entry("payments", new String[] {"POST /v1/payments", "GET /v1/payments/{id}",
                    "POST /v1/payments/{id}/capture", "POST /v1/refunds"}),
            Map.entry("auth", new String[] {"POST /oauth/token", "GET /oauth/userinfo", "POST /oauth/revoke",
                    "GET /.well-known/jwks.json"}),
            Map.entry("search", new String[] {"GET /api/v1/search", "GET /api/v1/search/suggest",
                    "GET /api/v1/search/facets"}),
            Map.entry("catalog", new String[] {"GET /api/v1/products/{id}", "GET /api/v1/products",
                    "GET /api/v1/categories/{id}", "PUT /api/v1/products/{id}"}),
            Map.entry("storage", new String[] {"GET /blobs/{id}", "PUT /blobs/{id}", "HEAD /blobs/{id}",
                    "DELETE /blobs/{id}"}),
            Map.entry("billing-api", new String[] {"GET /v2/invoices/{id}", "GET /v2/invoices",
                    "POST /v2/subscriptions/{id}/change", "GET /v2/usage"}),
            Map.entry("reports", new String[] {"GET /reports/{id}", "POST /reports/{id}/run", "GET /reports"}),
            Map.entry("admin-console", new String[] {"GET /admin/users", "GET /admin/users/{id}",
                    "PATCH /admin/settings", "GET /admin/audit"}),
            Map.entry("data-export", new String[] {"GET /api/v1/exports", "GET /api/v1/exports/{id}",
                    "POST /api/v1/exports"}),
            Map.entry("notifications", new String[] {"POST /v1/notify", "GET /v1/preferences/{id}",
                    "PUT /v1/preferences/{id}"}));

    private static final Map<String, String> DOMAINS = Map.ofEntries(
            Map.entry("checkout", "shop.fernhill.example"), Map.entry("search", "shop.fernhill.example"),
            Map.entry("catalog", "shop.fernhill.example"), Map.entry("auth", "login.fernhill.example"),
            Map.entry("payments", "pay.fernhill.example"), Map.entry("storage", "files.fernhill.example"),
            Map.entry("billing-api", "api.fernhill.example"), Map.entry("reports", "reports.fernhill.example"),
            Map.entry("admin-console", "admin.fernhill.example"), Map.entry("data-export", "api.fernhill.example"),
            Map.entry("notifications", "api.fernhill.example"));

    private Requests() {
    }

    /** Picks an endpoint of the line's service and sets method, path, url, domain and ids. */
    public static void begin(LogEvent e, SplittableRandom rng) {
        String[] endpoints = ENDPOINTS.getOrDefault(e.service, ENDPOINTS.get("catalog"));
        String endpoint = endpoints[rng.nextInt(endpoints.length)];
        int space = endpoint.indexOf(' ');
        String path = endpoint.substring(space + 1).replace("{id}", Integer.toString(Sampling.between(rng, 1000, 99999)));
        e.param("method", endpoint.substring(0, space));
        e.param("path", path);
        String domain = DOMAINS.getOrDefault(e.service, "api.fernhill.example");
        e.attributes.put("request_id", Sampling.hex(rng, 16));
        clientContext(e, rng);
        e.attributes.put("url", "https://" + domain + path);
        e.attributes.put("domain", domain);
    }

    /** Session, user agent and country of the acting user; nothing for system lines. */
    public static void clientContext(LogEvent e, SplittableRandom rng) {
        if (e.userRecord == null) {
            return;
        }
        // A user has a few sessions a day; the id is stable within the day so sessions can be followed.
        long session = Seeds.combine(e.user.hashCode(), e.epochDay, rng.nextInt(3));
        e.attributes.put("session_id", "s-" + Long.toHexString(session).substring(0, 12));
        e.attributes.put("user_agent", e.userRecord.userAgent());
        e.attributes.put("country", e.userRecord.country());
    }

    /** Response size: log-normal around the service's usual payload. */
    public static long responseBytes(LogEvent e, SplittableRandom rng, long medianBytes) {
        return Math.max(0L, Math.round(Sampling.logNormal(rng, medianBytes, 0.9)));
    }
}
