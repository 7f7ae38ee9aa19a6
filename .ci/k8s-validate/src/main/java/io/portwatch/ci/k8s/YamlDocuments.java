package io.portwatch.ci.k8s;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The documents of a multi-document YAML stream (kubectl kustomize output), as JSON trees. */
final class YamlDocuments {

    private YamlDocuments() {}

    static List<JsonElement> read(Path file) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        List<JsonElement> docs = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file)) {
            for (Object doc : yaml.loadAll(in)) {
                if (doc != null) {
                    docs.add(toJson(doc));
                }
            }
        }
        return docs;
    }

    /** YAML's scalars as the API server's JSON decoder sees them (timestamps stay strings). */
    static JsonElement toJson(Object value) {
        if (value == null) return JsonNull.INSTANCE;
        if (value instanceof Map<?, ?> map) {
            JsonObject o = new JsonObject();
            map.forEach((k, v) -> o.add(String.valueOf(k), toJson(v)));
            return o;
        }
        if (value instanceof List<?> list) {
            JsonArray a = new JsonArray();
            list.forEach(v -> a.add(toJson(v)));
            return a;
        }
        if (value instanceof Number n) return new JsonPrimitive(n);
        if (value instanceof Boolean b) return new JsonPrimitive(b);
        if (value instanceof Date d) {
            return new JsonPrimitive(DateTimeFormatter.ISO_INSTANT.format(d.toInstant().atOffset(ZoneOffset.UTC)));
        }
        if (value instanceof byte[] bytes) return new JsonPrimitive(Base64.getEncoder().encodeToString(bytes));
        return new JsonPrimitive(value.toString());
    }
}
