package io.portwatch.ci.k8s;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Validates rendered Kubernetes manifests offline, object by object: built-in kinds against the
 * client-java model of their apiVersion (unknown fields, missing required fields, wrong types),
 * custom resources against the allow-list in {@link CustomResourceSchemas}; any other kind is an
 * error.
 *
 * <pre>
 *   ValidateManifests FILE... [--fixtures DIR]
 * </pre>
 * Each FILE is a multi-document YAML stream that must be valid. Every DIR/*.yaml must be
 * rejected with each "# expect: TEXT" line of its header. Exit 1 when either fails.
 */
public final class ValidateManifests {

    private final ApiTypes apiTypes = new ApiTypes();
    private final CustomResourceSchemas customResources = new CustomResourceSchemas();

    public static void main(String[] args) throws IOException {
        ValidateManifests v = new ValidateManifests();
        boolean ok = args.length > 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--fixtures") && i + 1 < args.length) {
                ok &= v.fixtures(Path.of(args[++i]));
            } else if (args[i].startsWith("-")) {
                ok = false;
                break;
            } else {
                ok &= v.report(Path.of(args[i]));
            }
        }
        if (args.length == 0 || (args[args.length - 1].startsWith("-"))) {
            System.err.println("usage: ValidateManifests FILE... [--fixtures DIR]");
            System.exit(2);
        }
        System.exit(ok ? 0 : 1);
    }

    private boolean report(Path file) throws IOException {
        List<String> problems = new ArrayList<>();
        int objects = validateFile(file, problems);
        problems.forEach(p -> System.out.println(file + ": " + p));
        System.out.println(file + ": " + objects + " objects, " + (problems.isEmpty() ? "all valid" : problems.size() + " problems"));
        return problems.isEmpty() && objects > 0;
    }

    private boolean fixtures(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        boolean ok = !files.isEmpty();
        for (Path file : files) {
            List<String> expected = Files.readAllLines(file).stream()
                    .takeWhile(l -> l.startsWith("#"))
                    .filter(l -> l.startsWith("# expect: "))
                    .map(l -> l.substring("# expect: ".length()))
                    .toList();
            List<String> problems = new ArrayList<>();
            validateFile(file, problems);
            List<String> missing = expected.stream().filter(e -> problems.stream().noneMatch(p -> p.contains(e))).toList();
            if (expected.isEmpty() || problems.isEmpty() || !missing.isEmpty()) {
                ok = false;
                System.out.println("FAIL " + file + ": expected " + (expected.isEmpty() ? "a # expect: header" : missing)
                        + ", got " + (problems.isEmpty() ? "no problem" : problems));
            } else {
                System.out.println("rejected as expected: " + file + ": " + problems.get(0));
            }
        }
        return ok;
    }

    /** Adds "Kind/name: problem" lines; returns the number of objects read. */
    private int validateFile(Path file, List<String> out) throws IOException {
        List<JsonElement> docs;
        try {
            docs = YamlDocuments.read(file);
        } catch (RuntimeException e) {
            out.add("invalid YAML: " + e.getMessage().lines().findFirst().orElse(""));
            return 0;
        }
        for (int i = 0; i < docs.size(); i++) {
            String where = "document " + (i + 1);
            for (Problem p : validateObject(docs.get(i))) {
                out.add(name(docs.get(i), where) + ": " + p);
            }
        }
        return docs.size();
    }

    List<Problem> validateObject(JsonElement doc) {
        if (!doc.isJsonObject()) return List.of(new Problem("", "expected an object, got " + ModelWalker.describe(doc)));
        JsonObject o = doc.getAsJsonObject();
        String apiVersion = text(o, "apiVersion");
        String kind = text(o, "kind");
        if (apiVersion == null || kind == null) {
            return List.of(new Problem("", "apiVersion and kind must be strings"));
        }
        List<Problem> problems = new ArrayList<>();
        JsonObject metadata = o.has("metadata") && o.get("metadata").isJsonObject() ? o.getAsJsonObject("metadata") : null;
        if (metadata == null || (text(metadata, "name") == null && text(metadata, "generateName") == null)) {
            problems.add(new Problem("metadata.name", "missing required field \"name\""));
        }
        var model = apiTypes.lookup(apiVersion, kind);
        if (model.isPresent()) {
            problems.addAll(ModelWalker.validate(o, model.get()));
            if (problems.isEmpty()) problems.addAll(selectorMatchesTemplate(apiVersion, o));
            return problems;
        }
        var custom = customResources.validate(apiVersion, kind, o);
        if (custom.isPresent()) {
            problems.addAll(custom.get());
            return problems;
        }
        problems.add(new Problem("", "unknown kind " + kind + " in " + apiVersion
                + " (neither a built-in kind of Kubernetes 1.32 nor an allow-listed custom resource)"));
        return problems;
    }

    /** The API server's rule for apps/v1 workloads: spec.selector.matchLabels must select the pod template. */
    private static List<Problem> selectorMatchesTemplate(String apiVersion, JsonObject o) {
        if (!apiVersion.equals("apps/v1") || !o.has("spec")) return List.of();
        JsonObject spec = o.getAsJsonObject("spec");
        JsonElement selector = path(spec, "selector", "matchLabels");
        JsonElement labels = path(spec, "template", "metadata", "labels");
        if (selector == null) return List.of();
        JsonObject podLabels = labels == null ? new JsonObject() : labels.getAsJsonObject();
        List<Problem> problems = new ArrayList<>();
        selector.getAsJsonObject().entrySet().forEach(e -> {
            if (!e.getValue().equals(podLabels.get(e.getKey()))) {
                problems.add(new Problem("spec.selector.matchLabels." + e.getKey(),
                        "selector does not match template labels (" + e.getKey() + "=" + e.getValue() + ")"));
            }
        });
        return problems;
    }

    private static JsonElement path(JsonObject o, String... keys) {
        JsonElement e = o;
        for (String k : keys) {
            if (e == null || !e.isJsonObject()) return null;
            e = e.getAsJsonObject().get(k);
        }
        return e == null || e.isJsonNull() ? null : e;
    }

    private static String name(JsonElement doc, String fallback) {
        if (!doc.isJsonObject()) return fallback;
        JsonObject o = doc.getAsJsonObject();
        JsonObject metadata = o.has("metadata") && o.get("metadata").isJsonObject() ? o.getAsJsonObject("metadata") : new JsonObject();
        String kind = text(o, "kind");
        String name = text(metadata, "name");
        return (kind == null ? "?" : kind) + "/" + (name == null ? "(" + fallback + ")" : name);
    }

    private static String text(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }
}
