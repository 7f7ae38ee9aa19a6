package io.portwatch.collector.input;

import static io.portwatch.collector.AgentMessages.batch;
import static io.portwatch.collector.AgentMessages.catalog;
import static io.portwatch.collector.AgentMessages.hello;
import static io.portwatch.collector.AgentMessages.instance;
import static io.portwatch.collector.AgentMessages.result;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.collector.AgentStreamClient;
import io.portwatch.collector.security.ApiKeyRequests;
import io.portwatch.collector.security.Role;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.PortState;
import io.portwatch.proto.v1.Protocol;
import io.portwatch.proto.v1.Reason;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Thousands of hostile REST and gRPC inputs against the running collector and its real
 * PostgreSQL: 0 answers of 5xx, no INTERNAL or UNKNOWN stream.
 *
 * <p>The properties are jqwik's, and jqwik cannot run under {@code @QuarkusTest}, a Jupiter
 * extension (jqwik-team/jqwik#487). So this Jupiter test starts the application, then runs the
 * jqwik engine on the property classes through the JUnit Platform launcher, in this JVM: the
 * properties talk to the application over real HTTP and gRPC, and a failing property (with its
 * shrunk sample and seed) fails this test.
 */
@QuarkusTest
@TestProfile(HostileInputProfile.class)
class HostileInputTest extends ApiKeyRequests {

    HostileInputTest() {
        super(Role.ADMIN); // writes need a key
    }

    private static final List<Class<?>> PROPERTIES = List.of(RestHostileProperties.class, GrpcHostileProperties.class);
    private static final int PROPERTY_COUNT = 5;

    @Test
    void thousandsOfHostileInputsGetNo5xx() throws Exception {
        RestHostileProperties.port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        RestHostileProperties.checkId = aStoredCheck();
        int requestsBefore = RestHostileProperties.REQUESTS.get();
        int streamsBefore = GrpcHostileProperties.STREAMS.get();

        TestExecutionSummary summary = runJqwik();

        StringWriter failures = new StringWriter();
        summary.printFailuresTo(new PrintWriter(failures), 30);
        assertEquals(0, summary.getTotalFailureCount(), failures.toString());
        assertEquals(PROPERTY_COUNT, summary.getTestsSucceededCount(), "properties run and passed");
        int requests = RestHostileProperties.REQUESTS.get() - requestsBefore;
        int streams = GrpcHostileProperties.STREAMS.get() - streamsBefore;
        System.out.printf("hostile input: %d HTTP requests, %d agent streams, no 5xx%n", requests, streams);
        assertTrue(requests >= 3_000, "HTTP requests sent: " + requests);
        assertTrue(streams >= 150, "agent streams opened: " + streams);
    }

    private static TestExecutionSummary runJqwik() {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(PROPERTIES.stream().map(DiscoverySelectors::selectClass).toList())
                .filters(EngineFilter.includeEngines("jqwik"))
                // Failing samples are remembered under target/, and tried first on the next run.
                .configurationParameter("jqwik.database", "target/jqwik-database")
                .configurationParameter("jqwik.reporting.onlyfailures", "true")
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener, new TestExecutionListener() {
            private final Map<String, Long> started = new ConcurrentHashMap<>();

            @Override
            public void executionStarted(TestIdentifier property) {
                started.put(property.getUniqueId(), System.nanoTime());
            }

            @Override
            public void executionFinished(TestIdentifier property, TestExecutionResult result) {
                if (property.isTest()) {
                    long ms = (System.nanoTime() - started.get(property.getUniqueId())) / 1_000_000;
                    System.out.printf("hostile input: %s %s in %d ms%n", property.getDisplayName(), result.getStatus(), ms);
                }
            }
        });
        return listener.getSummary();
    }

    /** A check with a result, so the paths behind /checks/{id} reach their parameters. */
    private static long aStoredCheck() throws Exception {
        CheckInstance web = instance("web", "127.0.0.1", Protocol.TCP, 443, Expectation.EXPECT_OPEN);
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello("hostile-base")).send(catalog("h", List.of(web)));
            client.send(batch(1, List.of(result(web, PortState.OPEN, Reason.CONNECTED, System.currentTimeMillis() - 1000))));
            assertEquals(1, client.next(Duration.ofSeconds(10)).getAck().getSeq());
        }
        return given().queryParam("agent", "hostile-base").get("/api/v1/checks").jsonPath().getLong("[0].id");
    }
}
