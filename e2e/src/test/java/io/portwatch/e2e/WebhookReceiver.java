package io.portwatch.e2e;

import com.sun.net.httpserver.HttpServer;
import io.portwatch.core.testing.LoopbackTargets;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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

    /** Adds to a collector's environment a webhook notifier called "hook" that posts here, signed with {@code secret}. */
    Map<String, String> notifierOf(Map<String, String> env, String secret) {
        env.put("PORTWATCH_NOTIFIERS_HOOK_TYPE", "webhook");
        env.put("PORTWATCH_NOTIFIERS_HOOK_URL", url());
        env.put("PORTWATCH_NOTIFIERS_HOOK_SECRET", secret);
        // Only the webhook: the compose file's e-mail notifier has no mail catcher here.
        env.put("PORTWATCH_OUTBOX_DEFAULT_CHANNELS", "hook");
        return env;
    }

    /** Port alerts' {@code event} deliveries of the check named {@code check} (the check's name, not its key). */
    List<Delivery> portEvents(String event, String check) {
        return matching(d -> event.equals(d.event()) && "PORT".equals(d.kind()) && check.equals(d.check()));
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
