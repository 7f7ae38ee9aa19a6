package io.portwatch.ci.k8s;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which client-java model class an (apiVersion, kind) is, taken from the generated API classes
 * themselves: {@code AppsV1Api.createNamespacedDeployment(String, V1Deployment)} says that
 * apps/v1 serves a kind Deployment typed V1Deployment. So the table is exactly the built-in
 * kinds of the Kubernetes version the client was generated from; anything else is unknown.
 */
final class ApiTypes {

    private static final String MODELS = "io.kubernetes.client.openapi.models.";
    private static final String APIS = "io.kubernetes.client.openapi.apis.";
    /** "V1Deployment" → "Deployment", "CoreV1Event" → "Event", "V1beta1DeviceClass" → "DeviceClass". */
    private static final Pattern MODEL_NAME = Pattern.compile("^(?:[A-Z][a-z]+)*?V\\d+(?:alpha\\d+|beta\\d+)?([A-Z]\\w*)$");

    private final Map<String, Map<String, Class<?>>> kindsByApiVersion = new HashMap<>();

    Optional<Class<?>> lookup(String apiVersion, String kind) {
        return Optional.ofNullable(kindsByApiVersion.computeIfAbsent(apiVersion, ApiTypes::scan).get(kind));
    }

    private static Map<String, Class<?>> scan(String apiVersion) {
        Map<String, Class<?>> kinds = new HashMap<>();
        Class<?> api;
        try {
            api = Class.forName(APIS + apiClassName(apiVersion));
        } catch (ClassNotFoundException | IllegalArgumentException e) {
            return kinds; // no such group/version in this Kubernetes version
        }
        for (Method m : api.getMethods()) {
            if (!m.getName().startsWith("create") || Modifier.isStatic(m.getModifiers())) continue;
            for (Class<?> p : m.getParameterTypes()) {
                if (p.getName().startsWith(MODELS)) {
                    Matcher name = MODEL_NAME.matcher(p.getSimpleName());
                    if (name.matches()) kinds.putIfAbsent(name.group(1), p);
                }
            }
        }
        return kinds;
    }

    /** "apps/v1" → "AppsV1Api", "v1" → "CoreV1Api", "rbac.authorization.k8s.io/v1" → "RbacAuthorizationV1Api". */
    static String apiClassName(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
        if (!version.matches("v\\d+(?:alpha\\d+|beta\\d+)?") || apiVersion.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException(apiVersion);
        }
        StringBuilder name = new StringBuilder();
        if (group.isEmpty()) {
            name.append("Core");
        } else {
            for (String part : group.replaceFirst("\\.k8s\\.io$", "").split("\\.")) {
                if (part.isEmpty()) throw new IllegalArgumentException(apiVersion);
                name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return name.append(Character.toUpperCase(version.charAt(0))).append(version.substring(1)).append("Api").toString();
    }
}
