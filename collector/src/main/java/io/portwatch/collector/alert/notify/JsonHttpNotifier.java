package io.portwatch.collector.alert.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.Map;

/** What the HTTP channels share: a name, one URL, JSON bodies and the poster with its timeouts. */
abstract class JsonHttpNotifier implements Notifier {

    private final String name;
    private final URI url;
    private final HttpPoster http;
    private final ObjectMapper json;

    JsonHttpNotifier(String name, URI url, HttpPoster http, ObjectMapper json) {
        this.name = name;
        this.url = url;
        this.http = http;
        this.json = json;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String destination() {
        return HttpPoster.origin(url);
    }

    byte[] toJson(Object body) throws DeliveryException {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new DeliveryException("cannot write the " + type().name().toLowerCase(java.util.Locale.ROOT)
                    + " body: " + e.getMessage(), e);
        }
    }

    void post(byte[] body, Map<String, String> headers) throws DeliveryException {
        http.post(url, body, headers);
    }
}
