package io.portwatch.collector.alert;

import static io.portwatch.collector.AgentMessages.instance;
import static io.portwatch.collector.AgentMessages.result;
import static io.portwatch.collector.alert.AlertFixture.alertsAbout;
import static io.portwatch.collector.alert.AlertFixture.events;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portwatch.collector.alert.notify.AlertNotification.Event;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.PortState;
import io.portwatch.proto.v1.ProbeResult;
import io.portwatch.proto.v1.Protocol;
import io.portwatch.proto.v1.Reason;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * UNKNOWN results (a UDP silence hidden by the target's ICMP rate limit) and the default rule
 * (after 3, recover after 1), through real gRPC ingest: an UNKNOWN result is not a transition. It
 * fires nothing, resolves nothing, and does not count in a streak of results.
 */
@QuarkusTest
@TestProfile(AlertTestProfile.class)
class UnknownResultAlertTest {

    @Inject
    AlertEngine engine;

    @Inject
    RecordingNotificationSink sink;

    private final Instant t0 = Instant.now().minusSeconds(300).truncatedTo(ChronoUnit.MILLIS);

    @Test
    void unknownResultsBetweenClosedOnesRaiseNoExposureAlert() throws Exception {
        CheckInstance dns = instance("no-dns", "unknown1.test", Protocol.UDP, 5353, Expectation.EXPECT_CLOSED);
        try (TestAgent agent = new TestAgent(engine, "unknown-a1", List.of(dns))) {
            agent.send(List.of(closed(dns, 0)));
            agent.send(List.of(unknown(dns, 10)));
            agent.send(List.of(unknown(dns, 20), unknown(dns, 25), unknown(dns, 28)));
            agent.send(List.of(closed(dns, 30)));
        }
        assertEquals(List.of(), alertsAbout("unknown1.test"), "no alert, not even pending");
        assertEquals(List.of(), events(sink, "default", "unknown1.test"));
    }

    @Test
    void unknownResultsAfterAnOpenOneRaiseNoPortAlert() throws Exception {
        CheckInstance snmp = instance("snmp", "unknown2.test", Protocol.UDP, 161, Expectation.EXPECT_OPEN);
        try (TestAgent agent = new TestAgent(engine, "unknown-a2", List.of(snmp))) {
            agent.send(List.of(result(snmp, PortState.OPEN, Reason.REPLY, t0.toEpochMilli())));
            agent.send(List.of(unknown(snmp, 10), unknown(snmp, 20), unknown(snmp, 30), unknown(snmp, 40)));
        }
        assertEquals(List.of(), alertsAbout("unknown2.test"));
        assertEquals(List.of(), events(sink, "default", "unknown2.test"));
    }

    /** Pending and firing alerts are neither resolved nor advanced by UNKNOWN results. */
    @Test
    void unknownResultsNeitherResolveNorCountTowardsAnAlert() throws Exception {
        CheckInstance snmp = instance("snmp", "unknown3.test", Protocol.UDP, 161, Expectation.EXPECT_OPEN);
        try (TestAgent agent = new TestAgent(engine, "unknown-a3", List.of(snmp))) {
            agent.send(List.of(result(snmp, PortState.OPEN, Reason.REPLY, t0.toEpochMilli())));
            agent.send(List.of(closed(snmp, 10)));
            assertEquals(1, alertsAbout("unknown3.test", "PENDING").size());

            agent.send(List.of(unknown(snmp, 20)));
            assertEquals(1, alertsAbout("unknown3.test", "PENDING").size(), "still pending");
            agent.send(List.of(closed(snmp, 30), unknown(snmp, 40)));
            assertEquals(List.of(), events(sink, "default", "unknown3.test"),
                    "two unhealthy results, whatever the unknown ones between them");
            agent.send(List.of(closed(snmp, 50)));
            assertEquals(List.of(Event.FIRING), events(sink, "default", "unknown3.test"), "fires on the third known one");

            agent.send(List.of(unknown(snmp, 60)));
            agent.send(List.of(unknown(snmp, 70)));
            assertEquals(List.of(Event.FIRING), events(sink, "default", "unknown3.test"), "not resolved by unknown");
            Object id = alertsAbout("unknown3.test", "FIRING").get(0).get("id");
            given().when().get("/api/v1/alerts/" + id).then().statusCode(200)
                    .body("lastState", equalTo("CLOSED")).body("lastReason", equalTo("port-unreachable"));

            agent.send(List.of(result(snmp, PortState.OPEN, Reason.REPLY, t0.plusSeconds(80).toEpochMilli())));
            assertEquals(List.of(Event.FIRING, Event.RESOLVED), events(sink, "default", "unknown3.test"));
        }
    }

    private ProbeResult closed(CheckInstance check, int second) {
        return result(check, PortState.CLOSED, Reason.PORT_UNREACHABLE, t0.plusSeconds(second).toEpochMilli());
    }

    private ProbeResult unknown(CheckInstance check, int second) {
        return result(check, PortState.UNKNOWN, Reason.ICMP_RATE_LIMITED, t0.plusSeconds(second).toEpochMilli());
    }
}
