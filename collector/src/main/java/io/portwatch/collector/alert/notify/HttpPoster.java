package io.portwatch.collector.alert.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** POSTs JSON with the JDK client; anything but a 2xx answer is a {@link DeliveryException}. */
final class HttpPoster {

    /** Enough of an error body to tell what the receiver disliked, not a whole HTML page. */
    private static final int MAX_ERROR_BODY = 300;

    private final HttpClient client;
    private final Duration timeout;

    HttpPoster(Duration connectTimeout, Duration timeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.timeout = timeout;
    }

    void post(URI uri, byte[] json, Map<String, String> headers) throws DeliveryException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "portwatch-collector")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json));
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new DeliveryException("no answer from " + origin(uri) + " within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new DeliveryException("POST to " + origin(uri) + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted while posting to " + origin(uri), e);
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            String body = response.body() == null ? "" : response.body().strip();
            if (body.length() > MAX_ERROR_BODY) body = body.substring(0, MAX_ERROR_BODY) + "…";
            throw new DeliveryException("HTTP " + status + " from " + origin(uri) + (body.isEmpty() ? "" : ": " + body));
        }
    }

    /** Scheme, host and port only: paths of Slack webhook URLs are secrets and must not reach logs or the API. */
    static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
