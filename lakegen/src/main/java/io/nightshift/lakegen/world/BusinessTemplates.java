package io.nightshift.lakegen.world;


/** Domain events of the individual services: payments, searches, emails, blobs, reports, invoices. */
public final class BusinessTemplates {
    public static final MessageTemplate PAYMENT_AUTHORIZED = MessageTemplate.user("payment_authorized", "INFO",
            "payment", "Payment {payment_id} authorized: {amount} {currency} via {card}", (e, rng) -> {
                payment(e, rng);
                e.statusCode = 200;
            });

    public static final MessageTemplate PAYMENT_DECLINED = MessageTemplate.user("payment_declined", "WARN",
            "payment", "Payment {payment_id} declined by issuer: {reason}", (e, rng) -> {
                payment(e, rng);
                e.statusCode = 402;
                e.outcome = "failure";
                e.param("reason", Sampling.pick(rng, "insufficient_funds", "do_not_honor", "expired_card",
                        "suspected_fraud"));
            });

    public static final MessageTemplate SEARCH_EXECUTED = MessageTemplate.user("search_executed", "INFO",
            "http_request", "Search \"{query}\" returned {count} results in {duration_ms} ms", (e, rng) -> {
                Requests.begin(e, rng);
                e.param("query", Sampling.pick(rng, "running shoes", "usb-c cable", "standing desk", "coffee beans",
                        "winter jacket", "noise cancelling headphones", "yoga mat", "4k monitor"));
                e.param("count", Sampling.between(rng, 0, 4800));
                e.statusCode = 200;
                e.bytesOut = 2_000L + rng.nextInt(30_000);
                e.durationMs = e.requestLatencyMs;
            });

    public static final MessageTemplate EMAIL_SENT = MessageTemplate.user("email_sent", "INFO", null,
            "Email {email_template} sent to user {user} (provider id {message_id})", (e, rng) -> {
                e.param("email_template", Sampling.pick(rng, "order_confirmation", "password_reset",
                        "invoice_ready", "weekly_digest", "export_ready"));
                e.param("message_id", Sampling.hex(rng, 20));
            });

    public static final MessageTemplate EMAIL_BOUNCED = MessageTemplate.user("email_bounced", "WARN", null,
            "Email to user {user} bounced: 550 5.1.1 mailbox unavailable", (e, rng) -> { });

    public static final MessageTemplate BLOB_WRITTEN = MessageTemplate.system("blob_written", "INFO",
            "http_request", "PUT {bucket}/{object_key} {bytes_out} bytes in {duration_ms} ms", (e, rng) -> blob(e, rng));

    public static final MessageTemplate BLOB_READ = MessageTemplate.system("blob_read", "INFO",
            "http_request", "GET {bucket}/{object_key} {bytes_out} bytes in {duration_ms} ms", (e, rng) -> blob(e, rng));

    public static final MessageTemplate REPORT_GENERATED = MessageTemplate.user("report_generated", "INFO",
            "http_request", "Report {report} for tenant {tenant_id} generated in {duration_ms} ms ({count} pages)",
            (e, rng) -> {
                Requests.begin(e, rng);
                e.param("report", Sampling.pick(rng, "monthly-revenue", "churn", "usage-by-seat", "audit-trail",
                        "sla-compliance"));
                e.param("count", Sampling.between(rng, 1, 60));
                e.statusCode = 200;
                e.bytesOut = 50_000L + rng.nextInt(2_000_000);
                e.durationMs = e.requestLatencyMs * 2;
            });

    public static final MessageTemplate INVOICE_CREATED = MessageTemplate.user("invoice_created", "INFO", null,
            "Invoice INV-{invoice} created for tenant {tenant_id}: {amount} {currency}", (e, rng) -> {
                e.param("invoice", Sampling.between(rng, 100000, 999999));
                e.param("amount", Sampling.between(rng, 49, 25000) + ".00");
                e.param("currency", Sampling.pick(rng, "USD", "EUR", "GBP"));
            });

    private BusinessTemplates() {
    }

    private static void payment(io.nightshift.lakegen.world.LogEvent e, java.util.SplittableRandom rng) {
        Requests.begin(e, rng);
        e.param("payment_id", "pay_" + Sampling.hex(rng, 14));
        e.param("amount", Sampling.between(rng, 1, 900) + "." + Sampling.between(rng, 10, 99));
        e.param("currency", Sampling.pick(rng, "USD", "USD", "EUR", "GBP", "INR"));
        e.param("card", Sampling.pick(rng, "visa", "mastercard", "amex") + " ****" + Sampling.between(rng, 1000, 9999));
        e.bytesOut = 600L + rng.nextInt(400);
        e.durationMs = e.requestLatencyMs;
    }

    private static void blob(io.nightshift.lakegen.world.LogEvent e, java.util.SplittableRandom rng) {
        e.param("bucket", "s3://fernhill-" + e.region + "-" + Sampling.pick(rng, "uploads", "exports", "assets"));
        e.param("object_key", Sampling.hex(rng, 8) + "/" + Sampling.hex(rng, 16));
        e.bytesOut = Math.round(Sampling.logNormal(rng, 180_000, 1.3));
        e.statusCode = 200;
        e.durationMs = e.requestLatencyMs;
    }
}
