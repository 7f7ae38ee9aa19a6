package io.portwatch.collector;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * Registers the embedded PostgreSQL for every @QuarkusTest of the module, so they share one
 * application start and one database.
 */
@QuarkusTestResource(value = EmbeddedPostgresTestResource.class, restrictToAnnotatedClass = false)
public final class PostgresTestProfile {
    private PostgresTestProfile() {}
}
