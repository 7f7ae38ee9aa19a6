package io.portwatch.collector.security;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A base for test classes whose requests all send a real API key of one role (writes need one;
 * reads would pass anonymously in the test profile): {@code class SilencesTest extends
 * ApiKeyRequests { SilencesTest() { super(Role.OPERATOR); } }}.
 */
public abstract class ApiKeyRequests {

    private final Role role;

    protected ApiKeyRequests(Role role) {
        this.role = role;
    }

    @BeforeEach
    void sendAKey() {
        TestKeys.useForAllRequests(role);
    }

    @AfterEach
    void sendNoKey() {
        TestKeys.anonymous();
    }
}
