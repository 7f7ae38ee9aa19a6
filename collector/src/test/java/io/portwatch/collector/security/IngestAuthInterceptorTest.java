package io.portwatch.collector.security;

import static io.portwatch.collector.AgentMessages.batch;
import static io.portwatch.collector.AgentMessages.hello;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.portwatch.collector.AgentStreamClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(IngestAuthInterceptorTest.WithToken.class)
class IngestAuthInterceptorTest {

    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portwatch.ingest.token", "s3cret-token");
        }
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"wrong", "s3cret-token-but-longer", ""})
    void streamsWithoutTheTokenAreRefused(String token) throws Exception {
        try (AgentStreamClient client = new AgentStreamClient(token)) {
            client.send(hello("intruder"));
            Throwable error = client.ended.get(10, TimeUnit.SECONDS);
            StatusRuntimeException status = assertInstanceOf(StatusRuntimeException.class, error);
            assertEquals(Status.Code.UNAUTHENTICATED, status.getStatus().getCode());
        }
    }

    @Test
    void theRightTokenIsAccepted() throws Exception {
        try (AgentStreamClient client = new AgentStreamClient("s3cret-token")) {
            client.send(hello("trusted")).send(batch(1, List.of()));
            assertEquals(1, client.next(Duration.ofSeconds(10)).getAck().getSeq());
        }
    }
}
