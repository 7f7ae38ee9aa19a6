package io.portwatch.testpki;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for tests that run real TLS handshakes: it issues server
 * certificates for loopback, client certificates bound to an agent id, and expired ones, and writes
 * each as PEM files (certificate, and PKCS#8 key) into a directory of the test. Keys are EC P-256:
 * quick to generate, accepted by the JDK, Netty and Vert.x alike.
 *
 * <p>Shared by the collector, agent and e2e tests through proto's test-jar, so that there is one
 * generator and no checked-in key material that could expire or leak.
 */
public final class TestPki {

    /** The SAN URI scheme that binds a client certificate to an agent id. */
    public static final String AGENT_URI_PREFIX = "portwatch:agent:";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate and its key, as objects and as PEM files. */
    public record Issued(X509Certificate certificate, PrivateKey key, Path certPem, Path keyPem) {}

    private final Path dir;
    private final String name;
    private final KeyPair caKeys;
    private final X509Certificate caCert;
    private final Path caPem;

    private TestPki(Path dir, String name) {
        this.dir = dir;
        this.name = name;
        try {
            Files.createDirectories(dir);
            this.caKeys = keyPair();
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=" + name);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(2))), subject,
                    caKeys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
            this.caCert = sign(b, caKeys.getPrivate());
            this.caPem = write(name + "-ca.pem", caCert);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("test CA " + name, e);
        }
    }

    /** A new CA named {@code name}; its files go to {@code dir}. */
    public static TestPki create(Path dir, String name) {
        return new TestPki(dir, name);
    }

    public X509Certificate caCertificate() {
        return caCert;
    }

    /** The CA certificate as PEM: what a peer trusts. */
    public Path caPem() {
        return caPem;
    }

    /** A server certificate for {@code localhost} and {@code 127.0.0.1}, valid now. */
    public Issued server(String fileName) {
        return issue(fileName, "localhost", List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")), KeyPurposeId.id_kp_serverAuth, false);
    }

    /** Like {@link #server}, but its validity ended yesterday. */
    public Issued expiredServer(String fileName) {
        return issue(fileName, "localhost", List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")), KeyPurposeId.id_kp_serverAuth, true);
    }

    /**
     * Like {@link #server}, but valid until {@code notAfter}: a certificate about to expire, for
     * checks of how far ahead of its expiry a client warns (e.g. the agent's tls_min_days).
     */
    public Issued serverValidUntil(String fileName, Instant notAfter) {
        return issue(fileName, "localhost", List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")), KeyPurposeId.id_kp_serverAuth,
                Instant.now().minus(Duration.ofMinutes(5)), notAfter);
    }

    /** A client certificate whose CN is {@code agentId}, without a SAN. */
    public Issued clientWithCn(String fileName, String agentId) {
        return issue(fileName, agentId, List.of(), KeyPurposeId.id_kp_clientAuth, false);
    }

    /** A client certificate with SAN URI {@code portwatch:agent:<agentId>} and an unrelated CN. */
    public Issued clientWithUri(String fileName, String agentId) {
        return issue(fileName, "portwatch agent",
                List.of(new GeneralName(GeneralName.uniformResourceIdentifier, AGENT_URI_PREFIX + agentId)),
                KeyPurposeId.id_kp_clientAuth, false);
    }

    private Issued issue(String fileName, String cn, List<GeneralName> sans, KeyPurposeId purpose, boolean expired) {
        Instant now = Instant.now();
        Instant from = expired ? now.minus(Duration.ofDays(10)) : now.minus(Duration.ofMinutes(5));
        Instant to = expired ? now.minus(Duration.ofDays(1)) : now.plus(Duration.ofDays(1));
        return issue(fileName, cn, sans, purpose, from, to);
    }

    private Issued issue(String fileName, String cn, List<GeneralName> sans, KeyPurposeId purpose, Instant from,
            Instant to) {
        try {
            KeyPair keys = keyPair();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, serial(), Date.from(from),
                    Date.from(to), new X500Name("CN=" + cn), keys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
            if (!sans.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new ArrayList<>(sans).toArray(GeneralName[]::new)));
            }
            X509Certificate cert = sign(b, caKeys.getPrivate());
            Path certPem = write(fileName + ".crt", cert);
            Path keyPem = writeKey(fileName + ".key", keys.getPrivate());
            return new Issued(cert, keys.getPrivate(), certPem, keyPem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("issuing " + fileName + " from " + name, e);
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    private Path write(String fileName, Object pemObject) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(pemObject);
        }
        Path file = dir.resolve(fileName);
        Files.writeString(file, text.toString());
        return file;
    }

    private Path writeKey(String fileName, PrivateKey key) throws IOException {
        return write(fileName, new JcaPKCS8Generator(key, null).generate());
    }
}
