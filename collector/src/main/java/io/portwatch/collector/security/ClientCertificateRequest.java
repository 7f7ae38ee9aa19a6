package io.portwatch.collector.security;

import io.portwatch.collector.CollectorSettings;
import io.quarkus.vertx.http.security.HttpSecurity;
import io.vertx.core.http.ClientAuth;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * With {@code portwatch.tls.client-ca} set, the HTTP server asks for client certificates during the
 * handshake: requests them, not requires them, since REST clients authenticate with API keys on the
 * same port; agent streams without one are refused by {@link IngestAuthInterceptor}. Programmatic,
 * because {@code quarkus.http.ssl.client-auth} is fixed at build time and this follows a runtime setting.
 */
@Singleton
public class ClientCertificateRequest {

    void configure(@Observes HttpSecurity http, CollectorSettings settings) {
        if (settings.tls().clientCa().isPresent()) {
            http.mTLS(ClientAuth.REQUEST);
        }
    }
}
