package io.portwatch.collector.finding;

import static io.portwatch.collector.AgentMessages.batch;
import static io.portwatch.collector.AgentMessages.catalog;
import static io.portwatch.collector.AgentMessages.hello;
import static io.portwatch.collector.AgentMessages.instance;
import static io.portwatch.collector.AgentMessages.result;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.portwatch.collector.AgentStreamClient;
import io.portwatch.proto.v1.AgentMessage;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.ListeningInventory;
import io.portwatch.proto.v1.ListeningSocket;
import io.portwatch.proto.v1.PortState;
import io.portwatch.proto.v1.ProbeResult;
import io.portwatch.proto.v1.Protocol;
import io.portwatch.proto.v1.Reason;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every finding kind from both sides, over the real stream and API: agent "find-b" is the host
 * (198.51.100.20) and sends its listening sockets; agent "find-a" probes it. Each finding names
 * its evidence, and goes when its cause does. (The same on real sockets in network namespaces:
 * e2e's FindingsNetnsIT.)
 */
@QuarkusTest
class FindingsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String HOST = "find-b";
    private static final String PROBER = "find-a";
    private static final String ADDRESS = "198.51.100.20";
    private static final byte[] HOST_ADDRESS = {(byte) 198, 51, 100, 20};
    private static final byte[] ANY = new byte[4];
    private static final byte[] LOOPBACK = {127, 0, 0, 1};

    private final CheckInstance https = instance("https", ADDRESS, Protocol.TCP, 8443, Expectation.EXPECT_OPEN);
    private final CheckInstance db = instance("db", ADDRESS, Protocol.TCP, 5432, Expectation.EXPECT_OPEN);
    private final CheckInstance web = instance("web", ADDRESS, Protocol.TCP, 8080, Expectation.EXPECT_OPEN);
    private final CheckInstance dns = instance("dns", ADDRESS, Protocol.UDP, 53, Expectation.EXPECT_OPEN);

    @Test
    void eachKindWithItsEvidenceAndGoneWithItsCause() throws Exception {
        try (AgentStreamClient host = new AgentStreamClient(); AgentStreamClient prober = new AgentStreamClient()) {
            host.send(hello(HOST)).send(catalog("b", List.of()));
            host.send(listening(socket(Protocol.TCP, ANY, 8443, 101, "nginx"), socket(Protocol.TCP, LOOPBACK, 5432, 102, "postgres"),
                    socket(Protocol.TCP, ANY, 9100, 103, "node_exporter"), socket(Protocol.UDP, ANY, 53, 104, "dnsmasq")));
            prober.send(hello(PROBER)).send(catalog("a", List.of(https, db, web, dns)));
            long t = System.currentTimeMillis() - 1_000;
            prober.send(batch(1, List.of(
                    probed(https, PortState.FILTERED, Reason.TIMEOUT, t),
                    probed(db, PortState.CLOSED, Reason.REFUSED, t),
                    probed(web, PortState.CLOSED, Reason.REFUSED, t),
                    probed(dns, PortState.OPEN_FILTERED, Reason.NO_REPLY, t))));
            assertEquals(1L, prober.next(WAIT).getAck().getSeq());
            host.send(batch(1, List.of())); // the host's inventory is stored once its next ack comes
            assertEquals(1L, host.next(WAIT).getAck().getSeq());

            given().queryParam("agent", HOST).get("/api/v1/findings").then().statusCode(200)
                    .body("kind", contains("bound-to-loopback-only", "declared-but-not-listening",
                            "listening-but-unreachable", "reachable-but-undeclared"))
                    .body("port", contains(5432, 8080, 8443, 9100))
                    .body("[0].evidence[1].fact", equalTo("listens on tcp 127.0.0.1:5432 (pid 102 postgres)"))
                    .body("[1].summary", containsString("has nothing bound to tcp port 8080"))
                    .body("[1].evidence.agent", contains(PROBER, HOST))
                    .body("[2].summary", containsString("something between find-a and find-b (a firewall) is in the way"))
                    .body("[2].evidence[0].fact", equalTo("check \"https\" of 198.51.100.20 tcp/8443 is filtered (timeout)"))
                    .body("[2].evidence[1].fact", equalTo("listens on tcp 0.0.0.0:8443 (pid 101 nginx)"))
                    .body("[3].evidence", hasSize(1));
            given().queryParam("agent", HOST).queryParam("kind", "bound-to-loopback-only").get("/api/v1/findings")
                    .then().statusCode(200).body("port", contains(5432));
            // The status page lists them too, escaped.
            String page = given().queryParam("agent", HOST).get("/").then().statusCode(200).extract().asString();
            for (String kind : List.of("bound-to-loopback-only", "declared-but-not-listening", "listening-but-unreachable",
                    "reachable-but-undeclared")) {
                assertTrue(page.contains("data-kind=\"" + kind + "\""), kind + " not on the page");
            }
            assertTrue(page.contains("find-a: check &quot;https&quot; of 198.51.100.20 tcp/8443 is filtered (timeout)"), page);

            // The causes go: postgres binds the wildcard and answers, the firewall lets 8443 through,
            // the web service starts, and 9100 gets an exposure check.
            host.send(listening(socket(Protocol.TCP, ANY, 8443, 101, "nginx"), socket(Protocol.TCP, ANY, 5432, 105, "postgres"),
                    socket(Protocol.TCP, ANY, 9100, 103, "node_exporter"), socket(Protocol.UDP, ANY, 53, 104, "dnsmasq"),
                    socket(Protocol.TCP, ANY, 8080, 106, "java")));
            host.send(batch(2, List.of()));
            assertEquals(2L, host.next(WAIT).getAck().getSeq());
            CheckInstance exporter = instance("exporter", ADDRESS, Protocol.TCP, 9100, Expectation.EXPECT_CLOSED);
            prober.send(catalog("a2", List.of(https, db, web, dns, exporter)));
            long t2 = System.currentTimeMillis();
            prober.send(batch(2, List.of(
                    probed(https, PortState.OPEN, Reason.CONNECTED, t2),
                    probed(db, PortState.OPEN, Reason.CONNECTED, t2),
                    probed(web, PortState.OPEN, Reason.CONNECTED, t2),
                    probed(exporter, PortState.FILTERED, Reason.TIMEOUT, t2))));
            assertEquals(2L, prober.next(WAIT).getAck().getSeq());
            given().queryParam("agent", HOST).get("/api/v1/findings").then().statusCode(200).body("$", hasSize(0));
            assertTrue(given().queryParam("agent", HOST).get("/").asString().contains("No findings"));
        }
        // Once the host's agent is gone, its inventory may be stale: nothing is judged on it.
        given().queryParam("agent", HOST).get("/api/v1/findings").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void anUnknownKindIsABadRequest() {
        given().queryParam("kind", "open").get("/api/v1/findings").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("kind \"open\" must be one of"));
    }

    private static ProbeResult probed(CheckInstance c, PortState state, Reason reason, long at) {
        return result(c, state, reason, at).toBuilder().setAddress(ADDRESS).build();
    }

    private static AgentMessage listening(ListeningSocket... sockets) {
        return AgentMessage.newBuilder().setListening(ListeningInventory.newBuilder()
                .setObservedAtMs(System.currentTimeMillis())
                .addHostAddresses(ByteString.copyFrom(HOST_ADDRESS))
                .addAllSockets(List.of(sockets))).build();
    }

    private static ListeningSocket socket(Protocol proto, byte[] address, int port, long pid, String command) {
        return ListeningSocket.newBuilder().setProto(proto).setAddress(ByteString.copyFrom(address)).setPort(port)
                .setUid(0).setPid(pid).setCommand(command).build();
    }
}
