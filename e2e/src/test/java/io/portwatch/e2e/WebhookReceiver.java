package io.portwatch.e2e;

import com.sun.net.httpserver.HttpServer;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook endpoint on loopback that answers 204 and keeps every request it gets, so a test can
 * count deliveries across collector replicas and check their signatures.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One POST as it arrived. */
    record Delivery(Instant receivedAt, String deliveryId, String signature, String body) {

        JsonPath json() {
            return JsonPath.from(body);
        }

        String dedupeKey() {
            return json().getString("dedupeKey");
        }

        String event() {
            return json().getString("event");
        }

        String kind() {
            return json().getString("kind");
        }

        /** The subject of a port alert is its instance key; its labels name check, target, proto and port. */
        String check() {
            return json().getString("labels.check");
        }
    }

    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(LoopbackTargets.HOST, 0), 0);
        server.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                deliveries.add(new Delivery(Instant.now(), exchange.getRequestHeaders().getFirst("X-Portwatch-Delivery"),
                        exchange.getRequestHeaders().getFirst("X-Portwatch-Signature"), body));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://" + LoopbackTargets.HOST + ":" + server.getAddress().getPort() + "/hook";
    }

    List<Delivery> all() {
        return List.copyOf(deliveries);
    }

    List<Delivery> matching(Predicate<Delivery> filter) {
        return deliveries.stream().filter(filter).toList();
    }

    static String signature(String secret, String body) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
