package io.portwatch.collector.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The production stance: no anonymous reads; plus an admin key from the environment. */
public class KeysRequiredProfile implements QuarkusTestProfile {

    /** What an operator would put in PORTWATCH_SECURITY_ADMIN_KEY. */
    static final String ENV_ADMIN_KEY = "pwk_environment-admin-key-for-tests-0123456789";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("portwatch.security.anonymous-read", "false", "portwatch.security.admin-key", ENV_ADMIN_KEY);
    }
}
