package io.nightshift.lakegen.world;

import java.util.SplittableRandom;


/** Queries, slow queries, timeouts and pool trouble against each region's database cluster. */
public final class DatabaseTemplates {
    private static final String[] TABLES = {"orders", "order_items", "customers", "products", "invoices",
            "payments", "sessions", "audit_log", "subscriptions", "exports"};

    public static final MessageTemplate QUERY = MessageTemplate.system("db_query", "DEBUG", "db_query",
            "Query OK on {table} (rows={rows}, {duration_ms} ms)", (e, rng) -> {
                database(e, rng);
                e.param("rows", Sampling.between(rng, 0, 500));
                e.durationMs = Math.max(0.2, e.requestLatencyMs * 0.25);
            });

    public static final MessageTemplate SLOW_QUERY = MessageTemplate.system("db_slow_query", "WARN", "db_query",
            "Slow query ({duration_ms} ms): SELECT * FROM {table} WHERE tenant_id = ? ORDER BY created_at DESC LIMIT {limit}",
            (e, rng) -> {
                database(e, rng);
                e.param("limit", Sampling.pick(rng, "50", "100", "1000"));
                e.durationMs = 1000 + Sampling.logNormal(rng, 1500, 0.6);
            });

    public static final MessageTemplate TIMEOUT = MessageTemplate.system("db_timeout", "ERROR", "db_query",
            "Database timeout after {duration_ms} ms on pool {pool} (host {db_host}:5432)", (e, rng) -> {
                database(e, rng);
                e.outcome = "failure";
                e.durationMs = Sampling.pick(rng, 3000.0, 5000.0, 15000.0);
            });

    public static final MessageTemplate DEADLOCK = MessageTemplate.system("db_deadlock", "ERROR", "db_query",
            "Deadlock detected on table {table}; transaction {txid} rolled back", (e, rng) -> {
                database(e, rng);
                e.outcome = "failure";
                e.param("txid", Sampling.between(rng, 1_000_000, 9_999_999));
            });

    public static final MessageTemplate POOL_EXHAUSTED = MessageTemplate.system("db_pool_exhausted", "ERROR", null,
            "Connection pool {pool} exhausted ({max}/{max} active, {waiting} waiting)", (e, rng) -> {
                database(e, rng);
                e.param("max", Sampling.pick(rng, "20", "50", "100"));
                e.param("waiting", Sampling.between(rng, 1, 200));
            });

    public static final MessageTemplate REPLICA_LAG = MessageTemplate.system("db_replica_lag", "WARN", null,
            "Replica {db_host} is {lag} s behind primary", (e, rng) -> {
                database(e, rng);
                e.param("lag", Sampling.between(rng, 5, 120));
            });

    private DatabaseTemplates() {
    }

    private static void database(LogEvent e, SplittableRandom rng) {
        int replica = Sampling.between(rng, 1, 3);
        String dbHost = "db-" + e.region + "-" + replica;
        e.param("db_host", dbHost);
        e.param("table", TABLES[rng.nextInt(TABLES.length)]);
        e.param("pool", e.service + "-rw");
        e.dstIp = "10." + (Topology.regionIndex(e.region) + 1) + ".200." + (10 + replica);
    }
}
