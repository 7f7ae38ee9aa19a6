package io.portwatch.collector.security;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.restassured.RestAssured;
import io.restassured.authentication.AuthenticationScheme;
import java.util.EnumMap;
import java.util.Map;

/**
 * Real API keys for tests, issued through {@link ApiKeyService} like any key: one per role and
 * application start (a new start may bring a new database, so the keys are issued again).
 */
public final class TestKeys {

    private static ArcContainer issuedBy;
    private static final Map<Role, String> SECRETS = new EnumMap<>(Role.class);

    private TestKeys() {}

    public static synchronized String secret(Role role) {
        ArcContainer container = Arc.container();
        if (container != issuedBy) {
            SECRETS.clear();
            issuedBy = container;
        }
        return SECRETS.computeIfAbsent(role, r -> container.instance(ApiKeyService.class).get()
                .create("test-" + r.wireName(), r, "tests").secret());
    }

    /** {@code Authorization: Bearer <key>} for one request: {@code given().auth().oauth2(TestKeys.secret(role))}. */
    public static AuthenticationScheme as(Role role) {
        return RestAssured.oauth2(secret(role));
    }

    /** Every request of a test class sends this role's key; undo with {@link #anonymous()}. */
    public static void useForAllRequests(Role role) {
        RestAssured.authentication = as(role);
    }

    /** After a test revoked keys behind this cache's back: the next call issues new ones. */
    public static synchronized void forget() {
        SECRETS.clear();
    }

    public static void anonymous() {
        RestAssured.authentication = RestAssured.DEFAULT_AUTH;
    }
}
