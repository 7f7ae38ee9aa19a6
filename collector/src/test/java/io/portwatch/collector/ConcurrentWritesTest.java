package io.portwatch.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.collector.alert.rule.AlertRule;
import io.portwatch.collector.alert.rule.AlertRuleRepository;
import io.portwatch.collector.alert.rule.RuleReader;
import io.portwatch.collector.security.AgentToken;
import io.portwatch.collector.security.AgentTokenRepository;
import io.portwatch.collector.security.ApiKey;
import io.portwatch.collector.security.ApiKeyRepository;
import io.portwatch.collector.security.IssuedSecret;
import io.portwatch.collector.security.Role;
import io.portwatch.collector.security.SecretKind;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two writes of one row at once, through the Panache repositories, answer as the conditional JDBC
 * statements they replaced did: a revoke reads its row again under a pessimistic write lock, so of
 * two revokes of one key or token the second waits for the first's transaction and finds it
 * revoked (without the lock both would answer true); of two creates of one rule name the second
 * answers "taken" rather than failing.
 */
@QuarkusTest
class ConcurrentWritesTest {

    @Inject
    ApiKeyRepository keys;

    @Inject
    AgentTokenRepository tokens;

    @Inject
    AlertRuleRepository rules;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void ofTwoRevokesOfOneKeyAtOnceOnlyTheFirstSucceeds() throws Exception {
        ApiKey key = QuarkusTransaction.requiringNew().call(() -> keys.insert("revoked-twice", Role.VIEWER,
                IssuedSecret.issue(SecretKind.API_KEY), "test", Instant.now()));
        assertEquals(List.of(true, false), twiceAtOnce(now -> keys.revoke(key.id(), now)));
        assertTrue(keys.byId(key.id()).orElseThrow().revoked());
    }

    @Test
    void ofTwoRevokesOfOneAgentTokenAtOnceOnlyTheFirstSucceeds() throws Exception {
        AgentToken token = QuarkusTransaction.requiringNew().call(() -> tokens.insert("agent-revoked-twice",
                IssuedSecret.issue(SecretKind.AGENT_TOKEN), "test", Instant.now()));
        assertEquals(List.of(true, false), twiceAtOnce(now -> tokens.revoke(token.agentId(), token.id(), now)));
        assertTrue(tokens.byId(token.agentId(), token.id()).orElseThrow().revoked());
    }

    @Test
    void ofTwoCreatesOfOneRuleNameAtOnceTheSecondFindsTheNameTaken() throws Exception {
        // It matches no check, so the alert engine of this app has nothing to do with it meanwhile.
        AlertRule rule = RuleReader.one("{\"name\": \"created-twice\", \"match\": {\"check\": \"no-such-check\"}}").value();
        try {
            assertEquals(List.of(true, false), twiceAtOnce(now -> rules.insert(rule, now)));
        } finally {
            QuarkusTransaction.requiringNew().run(() -> rules.delete(rule.name()));
        }
    }

    /** The first write's transaction stays open until the second has started; returns both answers. */
    private List<Boolean> twiceAtOnce(Function<Instant, Boolean> write) throws Exception {
        CountDownLatch firstWritten = new CountDownLatch(1);
        CountDownLatch secondStarted = new CountDownLatch(1);
        Future<Boolean> first = pool.submit(inTransaction(() -> {
            boolean answer = write.apply(Instant.now());
            firstWritten.countDown();
            secondStarted.await(10, TimeUnit.SECONDS);
            Thread.sleep(200); // let the second reach the row
            return answer;
        }));
        assertTrue(firstWritten.await(10, TimeUnit.SECONDS), "first write done");
        Future<Boolean> second = pool.submit(inTransaction(() -> {
            secondStarted.countDown();
            return write.apply(Instant.now());
        }));
        return List.of(first.get(20, TimeUnit.SECONDS), second.get(20, TimeUnit.SECONDS));
    }

    /** As the API runs a write: refused (false), it throws, and its transaction rolls back. */
    private static Callable<Boolean> inTransaction(Callable<Boolean> work) {
        return () -> {
            try {
                return QuarkusTransaction.requiringNew().call(() -> {
                    if (!work.call()) {
                        throw new Refused();
                    }
                    return true;
                });
            } catch (Refused e) {
                return false;
            }
        };
    }

    private static final class Refused extends RuntimeException {
        Refused() {
            super(null, null, false, false);
        }
    }
}
