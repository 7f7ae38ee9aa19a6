package io.portwatch.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The environment docker-compose.yml gives a service, with its ${VAR}, ${VAR:-default} and
 * ${VAR:?message} resolved from .env.example as compose would: the deploy tests start the apps
 * with exactly these variables, so the compose file's configuration path is the one tested.
 */
final class ComposeFile {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}|\\$\\$");

    private final Map<String, Object> services;
    private final Map<String, String> dotEnv;

    @SuppressWarnings("unchecked")
    private ComposeFile(Map<String, Object> services, Map<String, String> dotEnv) {
        this.services = services;
        this.dotEnv = dotEnv;
    }

    @SuppressWarnings("unchecked")
    static ComposeFile load(Path root) throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(root.resolve("docker-compose.yml")));
        return new ComposeFile((Map<String, Object>) compose.get("services"), readDotEnv(root.resolve(".env.example")));
    }

    /** The service's environment, variables resolved; fails when a :? variable is unset. */
    @SuppressWarnings("unchecked")
    Map<String, String> environment(String service) {
        Map<String, Object> s = (Map<String, Object>) services.get(service);
        if (s == null) throw new IllegalArgumentException("docker-compose.yml has no service " + service);
        Map<String, String> env = new LinkedHashMap<>();
        Object raw = s.get("environment");
        if (raw instanceof Map<?, ?> map) {
            map.forEach((k, v) -> env.put(String.valueOf(k), interpolate(String.valueOf(v))));
        } else if (raw instanceof List<?> list) {
            for (Object item : list) {
                String[] kv = String.valueOf(item).split("=", 2);
                env.put(kv[0], kv.length > 1 ? interpolate(kv[1]) : dotEnv.getOrDefault(kv[0], ""));
            }
        }
        return env;
    }

    private String interpolate(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(0).equals("$$")) {
                replacement = "$";
            } else {
                String set = dotEnv.get(m.group(1));
                String op = m.group(2);
                boolean missing = op != null && op.startsWith(":") ? set == null || set.isEmpty() : set == null;
                if (!missing || op == null) {
                    replacement = set == null ? "" : set;
                } else if (op.endsWith("?")) {
                    throw new IllegalStateException(m.group(1) + " is required by docker-compose.yml: " + m.group(3));
                } else {
                    replacement = m.group(3);
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(out).toString();
    }

    private static Map<String, String> readDotEnv(Path file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || !t.contains("=")) continue;
            String[] kv = t.split("=", 2);
            env.put(kv[0].strip(), kv[1].strip());
        }
        return env;
    }
}
