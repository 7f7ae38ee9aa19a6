package io.portwatch.collector.inventory;

import static io.portwatch.collector.AgentMessages.batch;
import static io.portwatch.collector.AgentMessages.catalog;
import static io.portwatch.collector.AgentMessages.hello;
import static io.portwatch.collector.AgentMessages.instance;
import static io.portwatch.collector.AgentMessages.result;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
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
import io.portwatch.proto.v1.Protocol;
import io.portwatch.proto.v1.Reason;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Listening inventories over the real gRPC stream into PostgreSQL, read back through the real API:
 * the collector welcomes an agent, stores each whole set as appearances and disappearances, serves
 * the set at any time, and refuses an inventory that breaks a limit without ending the stream.
 */
@QuarkusTest
class ListeningInventoryIngestTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void storesEachInventoryAsHistory() throws Exception {
        String agent = "inventory-agent-1";
        Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        CheckInstance web = instance("web", "127.0.0.1", Protocol.TCP, 8080, Expectation.EXPECT_OPEN);
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(agent));
            var welcome = client.welcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(welcome != null && welcome.getWelcome().getAcceptsListening(), "a Welcome that accepts inventories");
            client.send(catalog("c1", List.of(web)));
            client.send(listening(t0, socket(Protocol.TCP, new byte[4], 22, 0, 1, "sshd"),
                    socket(Protocol.TCP, new byte[] {127, 0, 0, 1}, 5432, 999, 0, ""),
                    socket(Protocol.UDP, v6(1), 53, 101, 77, "dnsmasq")));
            // The stream goes on: a batch after it is stored and acked.
            client.send(batch(1, List.of(result(web, PortState.OPEN, Reason.CONNECTED, t0.toEpochMilli()))));
            assertEquals(1L, client.next(WAIT).getAck().getSeq());

            // sshd restarted (new pid): one gone, one appeared; postgres went; nothing else changed.
            client.send(listening(t0.plusSeconds(60), socket(Protocol.TCP, new byte[4], 22, 0, 2, "sshd"),
                    socket(Protocol.UDP, v6(1), 53, 101, 77, "dnsmasq")));
            client.send(batch(2, List.of(result(web, PortState.OPEN, Reason.CONNECTED, t0.toEpochMilli() + 60_000))));
            assertEquals(2L, client.next(WAIT).getAck().getSeq());
        }

        given().queryParam("at", t0.plusSeconds(30).toString()).get("/api/v1/hosts/" + agent + "/listening")
                .then().statusCode(200)
                .body("addresses", contains("192.0.2.7", "2001:db8::7"))
                .body("sockets", hasSize(3))
                .body("sockets.proto", contains("tcp", "tcp", "udp"))
                .body("sockets.address", contains("0.0.0.0", "127.0.0.1", "::1"))
                .body("sockets.port", contains(22, 5432, 53))
                .body("sockets.scope", contains("wildcard", "loopback", "loopback"))
                .body("sockets.pid", contains(1, null, 77))
                .body("sockets[1].command", nullValue());
        given().get("/api/v1/hosts/" + agent + "/listening").then().statusCode(200)
                .body("sockets.port", contains(22, 53)).body("sockets[0].pid", equalTo(2))
                .body("sockets[0].appearedAt", equalTo(t0.plusSeconds(60).toString()));
        given().queryParam("from", t0.minusSeconds(1).toString()).get("/api/v1/hosts/" + agent + "/listening/changes")
                .then().statusCode(200)
                .body("changes", hasSize(6))
                .body("changes.change", contains("appeared", "gone", "gone", "appeared", "appeared", "appeared"))
                .body("changes[0].socket.pid", equalTo(2));
    }

    @Test
    void anInventoryOverTheLimitIsNotStoredAndTheStreamGoesOn() throws Exception {
        String agent = "inventory-agent-2";
        CheckInstance web = instance("web", "127.0.0.1", Protocol.TCP, 8080, Expectation.EXPECT_OPEN);
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(agent)).send(catalog("c1", List.of(web)));
            client.send(listening(Instant.now(), socket(Protocol.TCP, new byte[5], 22, 0, 0, "")));
            client.send(listening(Instant.now(), socket(Protocol.TCP, new byte[4], 22, 0, 9, "x".repeat(500))));
            client.send(listening(Instant.now(), socket(Protocol.TCP, new byte[4], -1, 0, 9, "sshd"))); // port 2^32-1
            client.send(batch(1, List.of(result(web, PortState.OPEN, Reason.CONNECTED, System.currentTimeMillis()))));
            assertEquals(1L, client.next(WAIT).getAck().getSeq());
        }
        given().get("/api/v1/hosts/" + agent + "/listening").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("agent \"" + agent + "\" has sent no listening inventory (an agent older than the"
                        + " inventory, one with portwatch.inventory.enabled=false, or one that cannot read /proc)"));
        given().get("/api/v1/hosts/nobody-here/listening").then().statusCode(404)
                .body("detail", equalTo("no agent with id \"nobody-here\""));
        given().queryParam("limit", 0).get("/api/v1/hosts/" + agent + "/listening/changes").then().statusCode(400);
    }

    static AgentMessage listening(Instant at, ListeningSocket... sockets) {
        return AgentMessage.newBuilder().setListening(ListeningInventory.newBuilder()
                .setObservedAtMs(at.toEpochMilli())
                .addHostAddresses(ByteString.copyFrom(new byte[] {(byte) 192, 0, 2, 7}))
                .addHostAddresses(ByteString.copyFrom(v6(7)))
                .addAllSockets(List.of(sockets))).build();
    }

    static ListeningSocket socket(Protocol proto, byte[] address, int port, int uid, long pid, String command) {
        return ListeningSocket.newBuilder().setProto(proto).setAddress(ByteString.copyFrom(address)).setPort(port)
                .setUid(uid).setPid(pid).setCommand(command).build();
    }

    /** ::1 for 1, else 2001:db8::last. */
    static byte[] v6(int last) {
        byte[] a = new byte[16];
        if (last != 1) {
            a[0] = 0x20;
            a[1] = 0x01;
            a[2] = 0x0d;
            a[3] = (byte) 0xb8;
        }
        a[15] = (byte) last;
        return a;
    }
}
