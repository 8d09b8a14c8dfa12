package io.nightshift.jobs.after.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP endpoint on 127.0.0.1 for notification tests: it refuses the first {@code refusals} calls with 503 and
 * accepts every call after; or, {@link #silent()}, never answers at all. It records what it accepted per
 * Idempotency-Key, which is how a receiver would recognise a re-delivery.
 */
final class WebhookReceiver implements AutoCloseable {
    private final HttpServer server;
    private final int refusals;
    private final boolean silent;
    private final AtomicInteger calls = new AtomicInteger();
    private final Map<String, List<String>> accepted = new LinkedHashMap<>();
    private final List<String> authorizations = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    private WebhookReceiver(int refusals, boolean silent) {
        this.refusals = refusals;
        this.silent = silent;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    /** Answers 503 to the first {@code refusals} calls, 200 afterwards. */
    static WebhookReceiver refusingFirst(int refusals) {
        return new WebhookReceiver(refusals, false);
    }

    /** Takes every request and never answers (until closed). */
    static WebhookReceiver silent() {
        return new WebhookReceiver(0, true);
    }

    /** A URL where nothing listens: a receiver started and stopped again, so connections are refused. */
    static URI deadUrl() {
        try (WebhookReceiver gone = refusingFirst(0)) {
            return gone.url();
        }
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    int calls() {
        return calls.get();
    }

    synchronized Map<String, List<String>> accepted() {
        return Map.copyOf(accepted);
    }

    synchronized List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    private void handle(HttpExchange exchange) throws IOException {
        int call = calls.incrementAndGet();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (silent) {
            try {
                release.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        if (call <= refusals) {
            respond(exchange, 503, "busy, try later");
            return;
        }
        synchronized (this) {
            accepted.computeIfAbsent(exchange.getRequestHeaders().getFirst("Idempotency-Key"), k -> new ArrayList<>())
                    .add(body);
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
        }
        respond(exchange, 200, "ok");
    }

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
