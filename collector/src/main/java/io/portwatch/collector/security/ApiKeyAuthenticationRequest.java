package io.portwatch.collector.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * A presented API key ({@code pwk_…}). A type of its own, so that only {@link ApiKeyIdentityProvider}
 * handles it: other bearer tokens (OIDC JWTs) travel as Quarkus' TokenAuthenticationRequest to
 * their own provider.
 */
public final class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final String key;

    public ApiKeyAuthenticationRequest(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return "ApiKeyAuthenticationRequest"; // never the key
    }
}
