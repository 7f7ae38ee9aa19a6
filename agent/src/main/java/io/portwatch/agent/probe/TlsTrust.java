package io.portwatch.agent.probe;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * SSLContexts for TLS probes that trust a given set of certificates instead of the JVM's default
 * trust store (an internal CA, or a test's self-signed certificate). There is deliberately no
 * "trust everything" context: a probe that must show a working TLS service must not call an
 * impostor's or an expired certificate healthy.
 */
public final class TlsTrust {

    private TlsTrust() {
    }

    /** A client context whose trust anchors are the certificate entries of {@code trusted}. */
    public static SSLContext trusting(KeyStore trusted) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /** {@link #trusting} a PKCS12 or JKS file (type detected); the password may be null. */
    public static SSLContext fromTrustStore(Path file, char[] password) throws IOException, GeneralSecurityException {
        return trusting(KeyStore.getInstance(file.toFile(), password));
    }
}
