package io.portwatch.collector.alert.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** POSTs the alert as JSON, signed with HMAC-SHA256 of the body when a secret is configured. */
final class WebhookNotifier extends JsonHttpNotifier {

    static final String SIGNATURE_HEADER = "X-Portwatch-Signature";
    static final String DELIVERY_HEADER = "X-Portwatch-Delivery";

    /** The body a receiver gets: the notification without its routing (channels). */
    record Payload(String event, String kind, String rule, String severity, String summary, Map<String, String> labels,
            Instant startedAt, Instant endedAt, Instant at, String dedupeKey, long alertId) {

        static Payload of(AlertNotification n) {
            return new Payload(n.event().name(), n.kind().name(), n.rule(), n.severity(), n.summary(), n.labels(),
                    n.startedAt(), n.endedAt(), n.at(), n.dedupeKey(), n.alertId());
        }
    }

    private final Optional<String> secret;

    WebhookNotifier(String name, URI url, Optional<String> secret, HttpPoster http, ObjectMapper json) {
        super(name, url, http, json);
        this.secret = secret;
    }

    @Override
    public NotifierType type() {
        return NotifierType.WEBHOOK;
    }

    @Override
    public void send(AlertNotification n, String deliveryId) throws DeliveryException {
        byte[] body = toJson(Payload.of(n));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(DELIVERY_HEADER, deliveryId);
        secret.ifPresent(s -> headers.put(SIGNATURE_HEADER, "sha256=" + hmacSha256Hex(s, body)));
        post(body, headers);
    }

    static String hmacSha256Hex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
