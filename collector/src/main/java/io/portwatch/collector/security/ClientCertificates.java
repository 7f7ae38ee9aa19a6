package io.portwatch.collector.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** Reads the agent id a client certificate is issued to, and checks it against the client CA. */
final class ClientCertificates {

    /** SAN URI that names the agent: {@code portwatch:agent:<id>}. */
    static final String AGENT_URI_PREFIX = "portwatch:agent:";
    private static final int SAN_URI = 6;

    private final List<X509Certificate> authorities;

    private ClientCertificates(List<X509Certificate> authorities) {
        this.authorities = authorities;
    }

    /** The CA certificates of {@code portwatch.tls.client-ca}; the collector does not start without them. */
    static ClientCertificates trusting(Path clientCa) {
        try (InputStream in = Files.newInputStream(clientCa)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> x509 = certs.stream().map(X509Certificate.class::cast).toList();
            if (x509.isEmpty()) {
                throw new IllegalStateException("portwatch.tls.client-ca " + clientCa + ": no PEM certificate in it");
            }
            return new ClientCertificates(x509);
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("portwatch.tls.client-ca " + clientCa + ": " + e.getMessage(), e);
        }
    }

    /**
     * True when {@code leaf} is valid now and signed by one of the client CAs. The TLS handshake
     * already checked the chain against the same CA; this repeats the check where the identity is
     * used, so that a server configured with a wider trust store cannot let other certificates bind
     * agent ids.
     */
    boolean issued(X509Certificate leaf) {
        try {
            leaf.checkValidity();
        } catch (CertificateException e) {
            return false;
        }
        for (X509Certificate ca : authorities) {
            try {
                leaf.verify(ca.getPublicKey());
                return true;
            } catch (GeneralSecurityException e) {
                // not this one
            }
        }
        return false;
    }

    /** The SAN URI {@code portwatch:agent:<id>} when present, else the subject's CN. */
    static Optional<String> agentId(X509Certificate cert) {
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() == 2 && Integer.valueOf(SAN_URI).equals(san.get(0))
                            && san.get(1) instanceof String uri && uri.startsWith(AGENT_URI_PREFIX)) {
                        return Optional.of(uri.substring(AGENT_URI_PREFIX.length()));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return Optional.of(rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
