package io.nightshift.lakegen.world;


/** What the process and host say about themselves: GC, caches, health, disks, crashes. */
public final class RuntimeTemplates {
    public static final MessageTemplate GC_PAUSE = MessageTemplate.system("gc_pause", "INFO", null,
            "GC pause (G1 Evacuation Pause) {duration_ms} ms, heap {before}M->{after}M ({total}M)", (e, rng) -> {
                e.durationMs = Sampling.logNormal(rng, 18, 0.8);
                if (e.durationMs > 200) {
                    e.level = "WARN";
                }
                int total = new int[] {2048, 4096, 8192}[rng.nextInt(3)];
                int before = (int) (total * (0.6 + 0.35 * rng.nextDouble()));
                e.param("total", total);
                e.param("before", before);
                e.param("after", (int) (before * (0.3 + 0.3 * rng.nextDouble())));
            });

    public static final MessageTemplate CACHE_MISS = MessageTemplate.system("cache_miss", "DEBUG", null,
            "Cache miss for key {cache_key} (hit ratio {ratio}%)", (e, rng) -> {
                e.param("cache_key", Sampling.pick(rng, "product", "price", "session", "cart", "profile")
                        + ":" + Sampling.between(rng, 1000, 99999));
                e.param("ratio", Sampling.between(rng, 82, 99));
            });

    public static final MessageTemplate CACHE_EVICTION = MessageTemplate.system("cache_eviction", "INFO", null,
            "Evicted {count} entries from cache {cache} ({size} MB)", (e, rng) -> {
                e.param("count", Sampling.between(rng, 100, 20000));
                e.param("cache", e.service + "-" + Sampling.pick(rng, "hot", "lookup", "render"));
                e.param("size", Sampling.between(rng, 64, 2048));
            });

    public static final MessageTemplate HEALTH_CHECK = MessageTemplate.system("health_check", "DEBUG", null,
            "Health check passed: {count} dependencies OK in {duration_ms} ms", (e, rng) -> {
                e.param("count", Sampling.between(rng, 2, 6));
                e.durationMs = Sampling.logNormal(rng, 3, 0.5);
            });

    public static final MessageTemplate DISK_USAGE = MessageTemplate.system("disk_usage", "WARN", null,
            "Disk usage on /var/lib/{service} at {percent}%", (e, rng) ->
                    e.param("percent", Sampling.between(rng, 81, 94)));

    public static final MessageTemplate THREAD_POOL = MessageTemplate.system("thread_pool_saturated", "WARN", null,
            "Thread pool {pool} saturated: {max}/{max} threads busy, {count} tasks queued", (e, rng) -> {
                e.param("pool", e.service + "-workers");
                e.param("max", Sampling.pick(rng, "64", "128", "256"));
                e.param("count", Sampling.between(rng, 10, 5000));
            });

    public static final MessageTemplate CONSUMER_LAG = MessageTemplate.system("consumer_lag", "WARN", null,
            "Consumer group {group} lag {count} messages on topic {topic}", (e, rng) -> {
                e.param("group", e.service + "-consumer");
                e.param("topic", Sampling.pick(rng, "orders.v1", "payments.v2", "audit.v1", "notifications.v1"));
                e.param("count", Sampling.between(rng, 1000, 250000));
            });

    public static final MessageTemplate NULL_POINTER = MessageTemplate.system("null_pointer", "ERROR", null,
            "Unhandled exception in {handler}: java.lang.NullPointerException: Cannot invoke \"{type}.{method}()\" because \"{var}\" is null",
            (e, rng) -> {
                e.param("handler", Sampling.pick(rng, "RequestHandler", "OrderController", "EventConsumer",
                        "BatchWorker"));
                e.param("type", Sampling.pick(rng, "Order", "Customer", "Money", "String"));
                e.param("method", Sampling.pick(rng, "getId", "amount", "length", "currency"));
                e.param("var", Sampling.pick(rng, "order", "customer", "price", "token"));
            });

    public static final MessageTemplate OUT_OF_MEMORY = MessageTemplate.system("out_of_memory", "FATAL", null,
            "java.lang.OutOfMemoryError: Java heap space in thread \"{thread}\"; process will restart", (e, rng) ->
                    e.param("thread", Sampling.pick(rng, "http-nio-8080-exec-", "kafka-consumer-", "worker-")
                            + Sampling.between(rng, 1, 64)));

    public static final MessageTemplate SHUTDOWN = MessageTemplate.system("shutdown_hook", "FATAL", null,
            "Received SIGTERM while {count} requests in flight; {service} exiting with code 137", (e, rng) ->
                    e.param("count", Sampling.between(rng, 1, 40)));

    private RuntimeTemplates() {
    }
}
