package io.nightshift.jobs.after.notify;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * POSTs the notification's JSON to a URL. 2xx means delivered; any other status, a refused connection or no answer
 * within the timeout is a failed attempt. Each request carries {@code Idempotency-Key: <notification id>}: delivery is
 * at least once (a crash between the POST and our commit re-sends), and the key lets the receiver drop the repeat.
 */
final class WebhookSink implements NotificationSink {
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** How much of an error response's body is kept in last_error. */
    static final int BODY_CHARS = 200;

    private final URI url;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final HttpClient client;

    WebhookSink(URI url, Map<String, String> headers, Duration timeout) {
        this.url = url;
        this.headers = Map.copyOf(headers);
        this.timeout = timeout;
        // HTTP/1.1: a plain-http receiver need not understand the h2c upgrade the client would offer.
        this.client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public void deliver(Notification n) throws DeliveryFailure {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(n.payload(), StandardCharsets.UTF_8));
        headers.forEach(request::setHeader);
        request.setHeader("Content-Type", "application/json").setHeader(IDEMPOTENCY_KEY, n.id());
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new DeliveryFailure("could not connect within " + timeout.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            throw new DeliveryFailure("no answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            // Only the exception's own words: the request (and its Authorization header) is never printed.
            throw new DeliveryFailure(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                    + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailure("interrupted while waiting for the answer");
        }
        String body = bodyStart(response.body());
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw new DeliveryFailure("HTTP " + status + (body.isEmpty() ? "" : ": " + body));
        }
    }

    /** The first {@link #BODY_CHARS} characters of the body on one line; the rest is not read. */
    private static String bodyStart(InputStream in) {
        try (in) {
            byte[] start = in.readNBytes(BODY_CHARS * 4);
            String text = new String(start, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
            return text.length() <= BODY_CHARS ? text : text.substring(0, BODY_CHARS);
        } catch (IOException e) {
            return "";
        }
    }
}
