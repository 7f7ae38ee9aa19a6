package io.portwatch.collector.statuspage;

import io.portwatch.collector.check.StatusFilter;
import io.portwatch.collector.input.InputLimits;
import io.portwatch.collector.input.TextRule;
import io.portwatch.collector.rest.Params;
import io.portwatch.collector.rest.ProblemException;
import io.portwatch.core.check.PortState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The status page's query parameters, checked like the API's (a refused value is a problem+json
 * 400 naming the parameter): {@code agent}, {@code target} (a part of it), {@code label}
 * ({@code key=value}), {@code state} and {@code page} (from 1). They live in the page's URL, so a
 * filtered view survives a reload and can be shared.
 */
public record StatusQuery(String agent, String target, String label, PortState state, int page) {

    static final int MAX_PAGE = 100_000;

    static StatusQuery parse(String agent, String target, String label, String state, String page, InputLimits limits) {
        String a = Params.text("agent", agent, limits.values().nameLength());
        String t = Params.text("target", target, limits.values().hostLength());
        String l = Params.text("label", label,
                limits.values().labelKeyLength() + 1 + limits.values().labelValueLength());
        if (l != null && l.indexOf('=') < 1) {
            throw ProblemException.badRequest("label " + TextRule.shown(l) + " must be key=value");
        }
        PortState s = state == null || state.isBlank() ? null : Params.choice("state", state, PortState.class);
        int p = page == null || page.isBlank() ? 1 : Params.integer("page", page, 1, MAX_PAGE);
        return new StatusQuery(a == null ? null : a.trim(), t == null ? null : t.trim(), l == null ? null : l.trim(), s, p);
    }

    StatusFilter filter() {
        if (label == null) {
            return new StatusFilter(agent, target, null, null, state);
        }
        int eq = label.indexOf('=');
        return new StatusFilter(agent, target, label.substring(0, eq).trim(), label.substring(eq + 1).trim(), state);
    }

    /** The state filter's name, "" when none (for the page's select). */
    public String stateName() {
        return state == null ? "" : state.name();
    }

    boolean filtered() {
        return agent != null || target != null || label != null || state != null;
    }

    /** The filters and {@code page} as a query string ({@code ?agent=…&page=2}), or "" with none. */
    String queryString(int page) {
        Map<String, String> params = new LinkedHashMap<>();
        put(params, "agent", agent);
        put(params, "target", target);
        put(params, "label", label);
        put(params, "state", state == null ? null : state.name());
        if (page > 1) {
            params.put("page", Integer.toString(page));
        }
        if (params.isEmpty()) {
            return "";
        }
        return params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&", "?", ""));
    }

    private static void put(Map<String, String> params, String name, String value) {
        if (value != null) {
            params.put(name, value);
        }
    }
}
