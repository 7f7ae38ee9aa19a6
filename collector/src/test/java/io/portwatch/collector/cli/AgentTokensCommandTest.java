package io.portwatch.collector.cli;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.collector.security.AgentTokenRepository;
import io.portwatch.collector.security.IssuedSecret;
import io.portwatch.collector.security.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code collector agent-tokens ...} against the real database: the token it prints is the one ingest accepts. */
@QuarkusTest
class AgentTokensCommandTest {

    @Inject
    AgentTokensCommand command;

    @Inject
    AgentTokenRepository tokens;

    private CommandRun run(String... args) {
        return CommandRun.of(command, args);
    }

    @Test
    void createPrintsATokenOnceThatIngestAcceptsUntilRevoked() {
        CommandRun created = run("create", "cli-agent");
        assertEquals(0, created.exit(), created.err());
        List<String> lines = created.out().lines().toList();
        assertEquals(3, lines.size(), created.out());
        assertTrue(lines.get(0).matches("created token \\d+ for agent cli-agent:"), lines.get(0));
        String secret = lines.get(1);
        assertTrue(secret.startsWith("pwa_") && secret.length() > 40, "a secret on a line of its own");
        long id = Long.parseLong(lines.get(0).replaceAll("\\D+", " ").trim().split(" ")[0]);
        assertEquals("cli-agent", tokens.validByHash(IssuedSecret.hash(secret)).orElseThrow().agentId(),
                "ingest finds the printed token, bound to its agent");

        given().auth().oauth2(TestKeys.secret(io.portwatch.collector.security.Role.ADMIN)).get("/api/v1/agents/cli-agent/tokens").then().statusCode(200)
                .body("createdBy", hasItem("cli:" + System.getProperty("user.name")));
        CommandRun list = run("list", "cli-agent");
        assertEquals(0, list.exit());
        assertTrue(list.out().contains(secret.substring(0, 10) + "…"), list.out());
        assertFalse(list.out().contains(secret), "list shows hints only");

        assertEquals(0, run("revoke", "cli-agent", Long.toString(id)).exit());
        assertTrue(tokens.validByHash(IssuedSecret.hash(secret)).isEmpty(), "a revoked token is refused");
        CommandRun again = run("revoke", "cli-agent", Long.toString(id));
        assertEquals(1, again.exit());
        assertEquals("token " + id + " of agent cli-agent is already revoked", again.err().strip());
        assertEquals(1, run("revoke", "other-agent", Long.toString(id)).exit(), "a token is revoked through its own agent only");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            create                 | agent-tokens create AGENT: expected 1 argument, got 0
            create a b             | agent-tokens create AGENT: expected 1 argument, got 2
            revoke a               | agent-tokens revoke AGENT ID: expected 2 arguments, got 1
            revoke a abc           | agent-tokens revoke: "abc" is not a token id
            rotate                 | agent-tokens: unknown command "rotate"
            """)
    void badArgumentsAreUsageErrors(String args, String message) {
        CommandRun r = run(args.split(" "));
        assertEquals(CollectorCommands.USAGE, r.exit());
        assertTrue(r.err().startsWith(message), r.err());
    }
}
