package io.portwatch.e2e;

import static io.portwatch.e2e.DeployStack.awaitTrue;
import static io.portwatch.e2e.DeployStack.freePort;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The deploy configuration path: the packaged collector against a PostgreSQL it did not start,
 * configured only by the environment docker-compose.yml gives it (database URL, user and
 * password from .env.example, ingest token, mailer), and an agent configured like the compose
 * agents. The collector must migrate that database, ingest, serve the API, and start no
 * embedded PostgreSQL of its own.
 */
class ExternalPostgresIT {

    private static final String AGENT_ID = "deploy-agent";

    @Test
    void theComposeEnvironmentRunsTheCollectorOnAnExternalDatabase() throws Exception {
        try (DeployStack stack = new DeployStack("portwatch-external-pg");
                ExternalPostgres db = stack.startDatabase()) {
            int port = freePort();
            Map<String, String> env = stack.collectorEnv(db, port);
            assertTrue(env.containsKey("PORTWATCH_INGEST_TOKEN") && !env.get("PORTWATCH_INGEST_TOKEN").isBlank(),
                    "the compose collector requires an ingest token");
            try (AppProcess collector = stack.startCollector("collector", env);
                    AppProcess agent = stack.startAgent("agent", stack.agentEnv(AGENT_ID, port))) {
                awaitTrue("collector ready", Duration.ofSeconds(240), () -> DeployStack.ready(port), collector);
                DeployStack.awaitEqual("the agent's checks in their real states", Duration.ofSeconds(120),
                        stack.expectedStates(), () -> DeployStack.currentStates(port, AGENT_ID), agent, collector);

                assertFalse(Files.exists(stack.embeddedDataDirTrap()), "the collector started an embedded PostgreSQL");
                assertTrue(db.queryLong("select count(*) from flyway_schema_history where success") >= 2,
                        "Flyway migrated the external database");
                assertEquals(0, db.queryLong("select count(*) from flyway_schema_history where not success"));
                assertTrue(db.queryLong("select count(*) from result") > 0, "results are stored in the external database");
                List<String> agents = given().port(port).get("/api/v1/agents").then().statusCode(200)
                        .extract().jsonPath().getList("id");
                assertEquals(List.of(AGENT_ID), agents);
                assertTrue(DeployStack.isLeader(port), "a lone collector leads");
                assertTrue(collector.alive() && agent.alive());
            }
        }
    }
}
