package io.portwatch.agent.probe;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
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

    /**
     * The JVM's default context ({@link ProbeEngine#defaultTls()}), made on first use rather than
     * now. Making it loads the JSSE provider and the default trust store: 400-480 classes and ~150
     * CA certificates, ~3 MB of a running agent's RSS (measured, docs/benchmarks.md), which an
     * agent without a {@code tls: true} check never needs. The same trust decisions, only later;
     * {@link #resolve} makes it ahead of the first TLS probe, off the selector thread.
     */
    public static SSLContext jvmDefaultOnFirstUse() {
        return new DeferredDefault();
    }

    /** Makes a context from {@link #jvmDefaultOnFirstUse} now (no-op for any other context). */
    public static void resolve(SSLContext context) {
        if (context instanceof DeferredDefault deferred) {
            deferred.spi.target();
        }
    }

    /** Whether the JVM's default context behind {@code context} was made yet (tests, metrics). */
    static boolean resolved(SSLContext context) {
        return !(context instanceof DeferredDefault deferred) || deferred.spi.target != null;
    }

    private static final class DeferredDefault extends SSLContext {
        final DeferredSpi spi;

        private DeferredDefault(DeferredSpi spi) {
            super(spi, null, "Default");
            this.spi = spi;
        }

        DeferredDefault() {
            this(new DeferredSpi());
        }
    }

    /** Every call goes to the JVM's default context, made by the first one. */
    private static final class DeferredSpi extends SSLContextSpi {
        private volatile SSLContext target;

        SSLContext target() {
            SSLContext t = target;
            if (t == null) {
                synchronized (this) {
                    t = target;
                    if (t == null) {
                        t = ProbeEngine.defaultTls();
                        target = t;
                    }
                }
            }
            return t;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            // As the JDK's own default context: it is initialized already.
            throw new KeyManagementException("the JVM's default SSLContext cannot be re-initialized");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return target().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return target().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return target().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return target().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return target().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return target().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return target().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return target().getSupportedSSLParameters();
        }
    }
}
