package io.portwatch.collector.security;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Reads {@code Authorization: Bearer pwk_…} and hands the key to {@link ApiKeyIdentityProvider}.
 *
 * <p>It claims only bearer values with the API key prefix. Any other bearer value (an OIDC JWT, when
 * quarkus-oidc is configured) gets no identity from here (a null item), so Quarkus asks the next
 * mechanism. On GET of the status page, without that header, it reads the {@link BrowserKeyCookie}.
 * Quarkus tries mechanisms in descending priority and stops at the first failure, so this
 * one runs first: a JWT mechanism asked first would reject a {@code pwk_} value as a malformed token.
 */
@ApplicationScoped
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

    /** Ahead of the built-in mechanisms (DEFAULT_PRIORITY), OIDC's bearer mechanism included. */
    static final int PRIORITY = DEFAULT_PRIORITY + 500;
    /** The scheme name a path-specific policy would select this mechanism by; the HTTP scheme is Bearer. */
    static final String SCHEME = "pwk";
    private static final String BEARER = "bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String key = apiKeyOf(context.request().getHeader(HttpHeaderNames.AUTHORIZATION));
        if (key == null) {
            key = BrowserKeyCookie.keyOf(context); // the status page's reads only
        }
        if (key == null) {
            return Uni.createFrom().nullItem();
        }
        return identityProviderManager.authenticate(
                HttpSecurityUtils.setRoutingContextAttribute(new ApiKeyAuthenticationRequest(key), context));
    }

    /** The API key in an Authorization header, or null when the header carries none. */
    static String apiKeyOf(String header) {
        if (header == null || header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String value = header.substring(BEARER.length()).trim();
        return SecretKind.API_KEY.matches(value) ? value : null;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, HttpHeaderNames.WWW_AUTHENTICATE, "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, SCHEME));
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }
}
