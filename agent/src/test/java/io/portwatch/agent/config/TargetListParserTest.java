package io.portwatch.agent.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetListParserTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"localhost", "web1.example.com", "web1.example.com.", "my_service", "a-b.c",
        "127.0.0.1", "0.0.0.0", "255.255.255.255", "::1", "::", "2001:db8::10", "fe80::1%eth0", "::ffff:192.0.2.1",
        "1e100.net"})
    void accepts(String target) {
        assertTrue(TargetListParser.isHostOrAddress(target));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"web 1", "-web", "web-", "a..b", ".a", "999.1.1.1", "1.2.3", "1234", "[::1]",
        "2001:db8::zz", "1:2:3:4:5:6:7:8:9", "fe80::1%", "fe80::1%eth 0", "http://web", "web:80", "zz::1"})
    void refuses(String target) {
        assertFalse(TargetListParser.isHostOrAddress(target));
    }
}
