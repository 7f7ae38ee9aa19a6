package io.portwatch.ci.k8s;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.annotations.SerializedName;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.custom.QuantityFormatException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Walks a JSON tree along a client-java model class and reports, with the path of each, every
 * field the type does not have, every required field that is missing, and every value of the
 * wrong JSON type. Stricter than Gson's own reading, which turns "true" into a boolean and 8080
 * into a string without a word, and than the models' validateJsonElement, which names no path.
 */
final class ModelWalker {

    private final Map<Class<?>, Map<String, Field>> fieldsByClass = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();

    static List<Problem> validate(JsonElement json, Class<?> model) {
        ModelWalker walker = new ModelWalker();
        walker.walk("", json, model);
        return walker.problems;
    }

    private void walk(String path, JsonElement json, Type type) {
        if (json.isJsonNull()) {
            return; // an explicit null is the same as absent for the API server
        }
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type element = p.getActualTypeArguments()[p.getActualTypeArguments().length - 1];
            if (Collection.class.isAssignableFrom(raw)) {
                if (!json.isJsonArray()) {
                    wrongType(path, "a list", json);
                    return;
                }
                for (int i = 0; i < json.getAsJsonArray().size(); i++) {
                    JsonElement item = json.getAsJsonArray().get(i);
                    if (item.isJsonNull()) problems.add(new Problem(path + "[" + i + "]", "null is not allowed in a list"));
                    else walk(path + "[" + i + "]", item, element);
                }
            } else if (Map.class.isAssignableFrom(raw)) {
                if (!json.isJsonObject()) {
                    wrongType(path, "a map", json);
                    return;
                }
                json.getAsJsonObject().entrySet().forEach(e -> walk(child(path, e.getKey()), e.getValue(), element));
            } else {
                walk(path, json, raw);
            }
            return;
        }
        Class<?> c = (Class<?>) type;
        if (c == Object.class) return; // x-kubernetes-preserve-unknown-fields: anything goes
        if (c == String.class) expectPrimitive(path, json, "a string", JsonPrimitive::isString);
        else if (c == Boolean.class) expectPrimitive(path, json, "a boolean (true or false)", JsonPrimitive::isBoolean);
        else if (c == Integer.class || c == Long.class) expectInteger(path, json, c == Integer.class);
        else if (c == Double.class || c == Float.class || c == BigDecimal.class) expectPrimitive(path, json, "a number", JsonPrimitive::isNumber);
        else if (c == IntOrString.class) intOrString(path, json);
        else if (c == Quantity.class) quantity(path, json);
        else if (c == OffsetDateTime.class) dateTime(path, json);
        else if (c == byte[].class) base64(path, json);
        else if (c.isEnum()) expectPrimitive(path, json, "a string", JsonPrimitive::isString);
        else object(path, json, c);
    }

    private void object(String path, JsonElement json, Class<?> model) {
        if (!json.isJsonObject()) {
            wrongType(path, "an object (" + model.getSimpleName() + ")", json);
            return;
        }
        JsonObject o = json.getAsJsonObject();
        Map<String, Field> fields = fields(model);
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            Field f = fields.get(e.getKey());
            if (f == null) {
                problems.add(new Problem(child(path, e.getKey()), "unknown field \"" + e.getKey() + "\" in "
                        + model.getSimpleName() + " (known: " + String.join(", ", new TreeSet<>(fields.keySet())) + ")"));
            } else {
                walk(child(path, e.getKey()), e.getValue(), f.getGenericType());
            }
        }
        for (String required : requiredFields(model)) {
            if (!o.has(required) || o.get(required).isJsonNull()) {
                problems.add(new Problem(child(path, required), "missing required field \"" + required + "\" of " + model.getSimpleName()));
            }
        }
    }

    private Map<String, Field> fields(Class<?> model) {
        return fieldsByClass.computeIfAbsent(model, m -> {
            Map<String, Field> byName = new HashMap<>();
            for (Class<?> c = m; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    SerializedName name = f.getAnnotation(SerializedName.class);
                    if (name != null && !Modifier.isStatic(f.getModifiers())) byName.putIfAbsent(name.value(), f);
                }
            }
            return byName;
        });
    }

    @SuppressWarnings("unchecked")
    private static Set<String> requiredFields(Class<?> model) {
        try {
            return (Set<String>) model.getField("openapiRequiredFields").get(null);
        } catch (ReflectiveOperationException e) {
            return Set.of();
        }
    }

    private void expectPrimitive(String path, JsonElement json, String what, java.util.function.Predicate<JsonPrimitive> ok) {
        if (!json.isJsonPrimitive() || !ok.test(json.getAsJsonPrimitive())) wrongType(path, what, json);
    }

    private void expectInteger(String path, JsonElement json, boolean int32) {
        if (!json.isJsonPrimitive() || !json.getAsJsonPrimitive().isNumber()) {
            wrongType(path, "an integer", json);
            return;
        }
        BigDecimal n = json.getAsBigDecimal();
        if (n.stripTrailingZeros().scale() > 0) {
            wrongType(path, "an integer", json);
        } else if (int32 && (n.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) < 0 || n.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0)) {
            problems.add(new Problem(path, n + " is outside the 32-bit integer range"));
        }
    }

    private void intOrString(String path, JsonElement json) {
        if (json.isJsonPrimitive() && json.getAsJsonPrimitive().isString()) return;
        if (json.isJsonPrimitive() && json.getAsJsonPrimitive().isNumber()) expectInteger(path, json, true);
        else wrongType(path, "an integer or a string", json);
    }

    private void quantity(String path, JsonElement json) {
        if (!json.isJsonPrimitive() || json.getAsJsonPrimitive().isBoolean()) {
            wrongType(path, "a quantity (e.g. 500m, 256Mi)", json);
            return;
        }
        try {
            Quantity.fromString(json.getAsString());
        } catch (QuantityFormatException | NumberFormatException e) {
            problems.add(new Problem(path, "invalid quantity \"" + json.getAsString() + "\" (e.g. 500m, 256Mi, 2)"));
        }
    }

    private void dateTime(String path, JsonElement json) {
        try {
            if (json.isJsonPrimitive() && json.getAsJsonPrimitive().isString()) {
                OffsetDateTime.parse(json.getAsString());
                return;
            }
        } catch (DateTimeParseException ignored) {
            // reported below
        }
        wrongType(path, "an RFC 3339 date-time", json);
    }

    private void base64(String path, JsonElement json) {
        try {
            if (json.isJsonPrimitive() && json.getAsJsonPrimitive().isString()) {
                // Like the API server (Go's base64 skips \r and \n): kustomize wraps long values.
                Base64.getDecoder().decode(json.getAsString().replaceAll("[\r\n]", ""));
                return;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        wrongType(path, "base64 text", json);
    }

    private void wrongType(String path, String expected, JsonElement actual) {
        problems.add(new Problem(path, "expected " + expected + ", got " + describe(actual)));
    }

    static String describe(JsonElement json) {
        if (json.isJsonObject()) return "an object";
        if (json.isJsonArray()) return "a list";
        JsonPrimitive p = json.getAsJsonPrimitive();
        String kind = p.isBoolean() ? "boolean" : p.isNumber() ? "number" : "string";
        String text = p.isString() ? "\"" + p.getAsString() + "\"" : p.getAsString();
        return kind + " " + (text.length() > 60 ? text.substring(0, 57) + "..." : text);
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
