package io.portwatch.ci.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.JsonElement;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The allow-list of custom resources our manifests may contain, each with a JSON Schema of its
 * own under resources/crd-schemas/&lt;group&gt;/&lt;version&gt;/&lt;Kind&gt;.json. A schema
 * covers the fields we use and closes the objects we write (additionalProperties: false), so a
 * typo fails here as it would at the operator's admission. Kinds not listed are unknown.
 */
final class CustomResourceSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final Map<String, Optional<JsonSchema>> schemas = new HashMap<>();

    Optional<List<Problem>> validate(String apiVersion, String kind, JsonElement object) {
        return schemas.computeIfAbsent(apiVersion + "/" + kind, this::load).map(schema -> {
            try {
                JsonNode node = JSON.readTree(object.toString());
                return schema.validate(node).stream()
                        .map(CustomResourceSchemas::problem)
                        .sorted(java.util.Comparator.comparing(Problem::path))
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Problem problem(ValidationMessage m) {
        String path = m.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "");
        String message = m.getMessage();
        int colon = message.indexOf(": ");
        return new Problem(path, colon >= 0 && message.startsWith("$") ? message.substring(colon + 2) : message);
    }

    private Optional<JsonSchema> load(String key) {
        InputStream in = CustomResourceSchemas.class.getResourceAsStream("/crd-schemas/" + key + ".json");
        if (in == null) return Optional.empty();
        try (in) {
            return Optional.of(factory.getSchema(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
