package io.portwatch.collector.input;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.portwatch.collector.AgentStreamClient;
import io.portwatch.proto.v1.AgentMessage;
import io.portwatch.proto.v1.CheckCatalog;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.CollectorMessage;
import io.portwatch.proto.v1.Hello;
import io.portwatch.proto.v1.PortState;
import io.portwatch.proto.v1.ProbeResult;
import io.portwatch.proto.v1.Protocol;
import io.portwatch.proto.v1.Reason;
import io.portwatch.proto.v1.ResultBatch;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * An agent's messages through a real gRPC stream: a valid Hello, catalog and batch with at most
 * one field made hostile. Each is either stored (and reads back as sent through the API) or
 * refused with a Reject and INVALID_ARGUMENT naming that field; never INTERNAL or UNKNOWN. Run
 * by {@link HostileInputTest} inside the running collector.
 */
class GrpcHostileProperties {

    static final AtomicInteger STREAMS = new AtomicInteger();
    private static final AtomicLong SEQ = new AtomicLong(System.currentTimeMillis());
    private static final int NAME = 128;
    private static final int HOST = 253;
    private static final int KEY = NAME + HOST + 11;
    private static final int LABEL_VALUE = 256;
    private static final int TEXT = 1024;

    /** Where the hostile value goes: the field the refusal must name, the limit, and whether the field is free text. */
    enum Spot {
        NONE("", 0, false),
        AGENT_ID("hello.agent_id", NAME, false),
        HOST_NAME("hello.host", HOST, false),
        VERSION("hello.version", NAME, false),
        HELLO_LABEL_VALUE("hello.labels[", LABEL_VALUE, false),
        CONFIG_HASH("catalog.config_hash", NAME, false),
        CHECK_NAME("catalog.instances[0].check_name", NAME, false),
        TARGET("catalog.instances[0].target", HOST, false),
        INSTANCE_LABEL_VALUE("catalog.instances[0].labels[", LABEL_VALUE, false),
        RESULT_ADDRESS("batch(seq ", HOST, false),
        RESULT_DETAIL("batch(seq ", TEXT, true),
        // Not only charset and length: a key must also be well-formed, so any refusal naming it is right.
        INSTANCE_KEY("catalog.instances[0].key", KEY, false),
        RESULT_KEY("batch(seq ", KEY, false),
        // Count and number limits: always refused.
        TOO_MANY_LABELS("hello.labels", 0, false),
        TOO_MANY_INSTANCES("catalog.instances", 0, false),
        TOO_MANY_RESULTS("batch(seq ", 0, false),
        PORT("catalog.instances[0].port", 0, false),
        INTERVAL("catalog.instances[0].interval_ms", 0, false),
        PROTO("catalog.instances[0].proto", 0, false);

        final String field;
        final int max;
        final boolean freeText;

        Spot(String field, int max, boolean freeText) {
            this.field = field;
            this.max = max;
            this.freeText = freeText;
        }

        boolean stringField() {
            return max > 0;
        }
    }

    @Property(tries = 150)
    void agentMessagesAreStoredOrRefusedNamingTheField(@ForAll("agentIds") String agentId, @ForAll("legal") String text,
            @ForAll("spots") Spot spot, @ForAll("hostile") String hostile) throws Exception {
        String value = HostileStrings.overTheWire(hostile);
        long seq = SEQ.incrementAndGet();
        long now = System.currentTimeMillis();
        CheckInstance.Builder instance = CheckInstance.newBuilder().setKey(text + "|" + agentId + ".test|tcp|443")
                .setCheckName(text).setTarget(agentId + ".test").setProto(Protocol.TCP).setPort(443)
                .setIntervalMs(10_000).setTimeoutMs(1_000).putLabels("team", text);
        Hello.Builder hello = Hello.newBuilder().setAgentId(agentId).setHost(text).setVersion(text).putLabels("site", text);
        CheckCatalog.Builder catalog = CheckCatalog.newBuilder().setConfigHash(text);
        ProbeResult.Builder result = ProbeResult.newBuilder().setInstanceKey(instance.getKey()).setState(PortState.OPEN)
                .setReason(Reason.CONNECTED).setAddress("127.0.0.1").setLatencyMicros(1_000).setObservedAtMs(now)
                .setDetail(text);
        int results = 1;
        switch (spot) {
            case NONE -> { }
            case AGENT_ID -> hello.setAgentId(value);
            case HOST_NAME -> hello.setHost(value);
            case VERSION -> hello.setVersion(value);
            case HELLO_LABEL_VALUE -> hello.putLabels("site", value);
            case CONFIG_HASH -> catalog.setConfigHash(value);
            case CHECK_NAME -> instance.setCheckName(value);
            case TARGET -> instance.setTarget(value);
            case INSTANCE_LABEL_VALUE -> instance.putLabels("team", value);
            case RESULT_ADDRESS -> result.setAddress(value);
            case RESULT_DETAIL -> result.setDetail(value);
            case INSTANCE_KEY -> instance.setKey(value);
            case RESULT_KEY -> result.setInstanceKey(value);
            case TOO_MANY_LABELS -> {
                for (int i = 0; i < HostileInputProfile.LABELS; i++) hello.putLabels("l" + i, value);
            }
            case TOO_MANY_INSTANCES -> { }
            case TOO_MANY_RESULTS -> results = HostileInputProfile.RESULTS + 1;
            case PORT -> instance.setPort(65_536 + Math.abs(value.hashCode() % 1000));
            case INTERVAL -> instance.setIntervalMs(Integer.MIN_VALUE + Math.abs(value.hashCode() % 1000));
            case PROTO -> instance.setProtoValue(value.hashCode() % 2 == 0 ? 0 : 9);
        }
        catalog.addInstances(instance);
        if (spot == Spot.TOO_MANY_INSTANCES) {
            for (int i = 1; i <= HostileInputProfile.INSTANCES; i++) {
                catalog.addInstances(instance.clone().setKey(text + "|" + agentId + ".test|tcp|" + i).setPort(i));
            }
        }
        ResultBatch.Builder batch = ResultBatch.newBuilder().setSeq(seq);
        for (int i = 0; i < results; i++) batch.addResults(result);

        boolean mustRefuse = spot != Spot.NONE && (!spot.stringField() || HostileStrings.breaksRule(value, spot.max, spot.freeText)
                || spot == Spot.AGENT_ID && value.isBlank());
        boolean mayRefuse = mustRefuse || spot == Spot.INSTANCE_KEY;
        STREAMS.incrementAndGet();
        try (AgentStreamClient client = new AgentStreamClient(channel())) {
            client.send(AgentMessage.newBuilder().setHello(hello).build())
                    .send(AgentMessage.newBuilder().setCatalog(catalog).build())
                    .send(AgentMessage.newBuilder().setBatch(batch).build());
            CollectorMessage first = client.received.poll(10, TimeUnit.SECONDS);
            if (first == null) {
                Throwable error = client.ended.getNow(null);
                throw new AssertionError("no answer to " + spot + " = " + HostileStrings.KNOWN.contains(value) + " "
                        + value + "; the stream ended with " + error);
            }
            if (first.hasReject()) {
                String reason = first.getReject().getReason();
                assertTrue(mayRefuse, "refused although valid (" + spot + "): " + reason);
                boolean named = reason.startsWith(spot.field)
                        || spot == Spot.AGENT_ID && reason.equals("Hello without an agent_id");
                assertTrue(named, "the refusal of " + spot + " names another field: " + reason);
                Throwable error = client.ended.get(10, TimeUnit.SECONDS);
                StatusRuntimeException status = assertInstanceOf(StatusRuntimeException.class, error);
                assertEquals(Status.Code.INVALID_ARGUMENT, status.getStatus().getCode(), status.toString());
                assertEquals(reason, status.getStatus().getDescription());
                return;
            }
            assertEquals(seq, first.getAck().getSeq(), "the batch's ack");
            assertTrue(!mustRefuse, "stored although " + spot + " breaks its limit: " + value);
        }
        // Stored: the API shows the agent as it was sent.
        String id = hello.getAgentId();
        if (id.equals(".") || id.equals("..")) {
            return; // a path segment the HTTP layer resolves as a directory: not addressable by id
        }
        JsonPath agent = given().port(RestHostileProperties.port).urlEncodingEnabled(false)
                .get("/api/v1/agents/" + HostileStrings.segment(id)).then().statusCode(200).extract().jsonPath();
        assertEquals(id, agent.getString("id"));
        assertEquals(hello.getHost(), agent.getString("host"));
        assertEquals(hello.getVersion(), agent.getString("version"));
        assertEquals(hello.getLabelsMap(), agent.getMap("labels"));
        assertEquals(catalog.getConfigHash(), agent.getString("configHash"));
        List<String> targets = agent.getList("instances.target");
        assertTrue(targets.contains(instance.getTarget()), "targets " + targets + " without " + instance.getTarget());
    }

    private static ManagedChannel channel;

    private static synchronized ManagedChannel channel() {
        if (channel == null) {
            channel = AgentStreamClient.newChannel();
        }
        return channel;
    }

    @AfterContainer
    static synchronized void closeChannel() throws InterruptedException {
        if (channel != null) {
            channel.shutdown().awaitTermination(5, TimeUnit.SECONDS);
            channel = null;
        }
    }

    @Provide
    Arbitrary<String> agentIds() {
        return legal().map(s -> "h-" + s);
    }

    @Provide
    Arbitrary<String> legal() {
        return HostileStrings.legal().filter(s -> s.indexOf('|') < 0);
    }

    @Provide
    Arbitrary<Spot> spots() {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(Spot.NONE)), Tuple.of(16, Arbitraries.of(Spot.class)));
    }

    @Provide
    Arbitrary<String> hostile() {
        return HostileStrings.any();
    }
}
