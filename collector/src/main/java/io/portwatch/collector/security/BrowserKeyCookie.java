package io.portwatch.collector.security;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * The status page's API key in a cookie: a browser cannot send {@code Authorization} when it
 * navigates. The page's key form sets it HttpOnly (no script reads it) and SameSite=Strict (no
 * other site's request carries it); {@link ApiKeyAuthenticationMechanism} accepts it only for GET
 * and HEAD of the page and its refreshed content, so it never authorizes a write, nor any
 * API call (docs/security.md, "The status page").
 */
public final class BrowserKeyCookie {

    public static final String NAME = "portwatch_key";
    /** The read-only paths where the cookie counts: the page and its content fragment. */
    public static final String PAGE_PATH = "/";
    public static final String CONTENT_PATH = "/status/content";
    /** Longer than any key issued (pwk_ and 43 characters) or accepted from the environment. */
    public static final int MAX_LENGTH = 256;
    private static final Set<String> PATHS = Set.of(PAGE_PATH, CONTENT_PATH);

    private BrowserKeyCookie() {}

    /** The API key the cookie carries on a read of the page, or null: wrong method, path, or no key. */
    static String keyOf(RoutingContext context) {
        HttpMethod method = context.request().method();
        if (!(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) || !PATHS.contains(context.normalizedPath())) {
            return null;
        }
        Cookie cookie = context.request().getCookie(NAME);
        return cookie == null ? null : acceptable(cookie.getValue());
    }

    /** The value when it looks like an API key of a sane length, else null. */
    public static String acceptable(String value) {
        if (value == null) {
            return null;
        }
        String key = value.trim();
        return key.length() <= MAX_LENGTH && SecretKind.API_KEY.matches(key) ? key : null;
    }
}
