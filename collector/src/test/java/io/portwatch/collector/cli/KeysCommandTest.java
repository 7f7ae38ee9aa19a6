package io.portwatch.collector.cli;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@code collector keys ...} against the real database; the key it prints authenticates over HTTP. */
@QuarkusTest
class KeysCommandTest {

    @Inject
    KeysCommand command;

    private CommandRun run(String... args) {
        return CommandRun.of(command, args);
    }

    @Test
    void createPrintsAWorkingKeyOnceListShowsItsHintRevokeEndsIt() {
        CommandRun created = run("create", "--role", "admin", "--name", "cli admin");
        assertEquals(0, created.exit(), created.err());
        List<String> lines = created.out().lines().toList();
        assertEquals(3, lines.size(), created.out());
        assertTrue(lines.get(0).matches("created API key \\d+ \"cli admin\" with role admin:"), lines.get(0));
        String secret = lines.get(1);
        assertTrue(secret.startsWith("pwk_") && secret.length() > 40, "a secret on a line of its own");
        assertTrue(lines.get(2).startsWith("This secret is shown once"), lines.get(2));
        long id = Long.parseLong(lines.get(0).replaceAll("\\D+", " ").trim().split(" ")[0]);

        // an admin key: it may list keys over HTTP, and created_by names the CLI
        given().auth().oauth2(secret).get("/api/v1/keys").then().statusCode(200)
                .body("name", hasItem("cli admin")).body("createdBy", hasItem("cli:" + System.getProperty("user.name")));

        CommandRun list = run("list");
        assertEquals(0, list.exit());
        assertTrue(list.out().contains(secret.substring(0, 10) + "…"), list.out());
        assertFalse(list.out().contains(secret), "list shows hints only");

        assertEquals(0, run("revoke", Long.toString(id)).exit());
        given().auth().oauth2(secret).get("/api/v1/keys").then().statusCode(401);
        CommandRun again = run("revoke", Long.toString(id));
        assertEquals(1, again.exit());
        assertEquals("API key " + id + " is already revoked", again.err().strip());
    }

    @Test
    void theNameDefaultsToTheRole() {
        CommandRun created = run("create", "--role", "viewer");
        assertEquals(0, created.exit(), created.err());
        assertTrue(created.out().startsWith("created API key ") && created.out().contains("\"viewer key\" with role viewer"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            create                        | keys create: --role is required (viewer, operator or admin)
            create --role root            | keys create: --role "root" is not viewer, operator or admin
            create --role admin --colour x| unknown option --colour (allowed: --
            create --role                 | option --role needs a value
            revoke                        | keys revoke takes one key id
            revoke abc                    | keys revoke: "abc" is not a key id
            rotate                        | keys: unknown command "rotate"
            """)
    void badArgumentsExit2WithTheReasonAndTheUsage(String args, String reason) {
        CommandRun r = run(args.trim().split("\\s+"));
        assertEquals(CollectorCommands.USAGE, r.exit());
        assertTrue(r.err().startsWith(reason), r.err());
        assertTrue(r.err().contains("usage: keys create --role"), r.err());
        assertEquals("", r.out());
    }
}
