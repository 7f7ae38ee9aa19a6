package io.portwatch.collector.alert;

import static io.portwatch.collector.AgentMessages.instance;
import static io.portwatch.collector.AgentMessages.result;
import static io.portwatch.collector.alert.AlertFixture.alertsAbout;
import static io.portwatch.collector.alert.AlertFixture.events;
import static io.portwatch.proto.v1.PortState.CLOSED;
import static io.portwatch.proto.v1.PortState.OPEN;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portwatch.collector.alert.notify.AlertNotification;
import io.portwatch.collector.alert.notify.AlertNotification.Event;
import io.portwatch.collector.alert.notify.AlertNotification.Kind;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.PortState;
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
 * The time-driven alerts: the test runs the sweep with the time it wants (agent-down after the
 * default 60 s, no-data after 3 intervals of the instances' 10 s).
 */
@QuarkusTest
@TestProfile(AlertTestProfile.class)
class AgentDownAndNoDataTest {

    @Inject
    AlertEngine engine;

    @Inject
    RecordingNotificationSink sink;

    @Test
    void aSilentAgentRaisesOneAlertAndItsChecksGoUnknownWithoutFiringOrResolving() throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        CheckInstance web = instance("web", "down1.test", Protocol.TCP, 443, Expectation.EXPECT_OPEN);
        CheckInstance api = instance("api", "down2.test", Protocol.TCP, 8443, Expectation.EXPECT_OPEN);
        try (TestAgent agent = new TestAgent(engine, "down-a1", List.of(web, api))) {
            agent.send(web, start.minusSeconds(30), CLOSED, CLOSED, CLOSED); // web fires
            agent.send(api, start.minusSeconds(30), CLOSED, CLOSED);         // api is pending
            assertEquals(List.of(Event.FIRING), events(sink, "default", "down1.test"));

            Instant lastSeen = Instant.now(); // no later than what the collector stored
            // Silent for more than 3 intervals but not yet agent-down-after: its checks wait for the
            // one agent-down alert instead of each raising NO_DATA.
            engine.sweep(lastSeen.plusSeconds(45));
            assertEquals(List.of(), sink.matching(n -> n.kind() == Kind.NO_DATA && "down-a1".equals(n.labels().get("agent"))),
                    "a silent agent's checks raise no NO_DATA");
            engine.sweep(lastSeen.plusSeconds(61));
            engine.sweep(lastSeen.plusSeconds(75));
            List<AlertNotification> down = agentDown("down-a1");
            assertEquals(1, down.size(), "one agent-down alert, not one per check or per sweep" + down);
            assertEquals(Event.FIRING, down.get(0).event());
            assertEquals("critical", down.get(0).severity());
            given().when().get("/api/v1/checks?agent=down-a1").then().statusCode(200)
                    .body("effectiveState", equalTo(List.of("UNKNOWN", "UNKNOWN")))
                    .body("state", equalTo(List.of("CLOSED", "CLOSED")))
                    .body("unknownSince[0]", notNullValue());
            // state=unknown lists the checks shown as UNKNOWN; state=closed still finds them by their last known state.
            given().when().get("/api/v1/checks?agent=down-a1&state=unknown").then().statusCode(200)
                    .body("effectiveState", equalTo(List.of("UNKNOWN", "UNKNOWN")));
            given().when().get("/api/v1/checks?agent=down-a1&state=closed").then().statusCode(200)
                    .body("state", equalTo(List.of("CLOSED", "CLOSED")));
            assertEquals(1, alertsAbout("down-a1", "FIRING").size());

            // Nothing about its checks was decided while it was away.
            assertEquals(List.of(Event.FIRING), events(sink, "default", "down1.test"));
            assertEquals(List.of(), events(sink, "default", "down2.test"));
            assertEquals(0, alertsAbout("down-a1|", "FIRING").size(), "no no-data alerts while the agent is down");

            agent.send(web, lastSeen, OPEN); // back, and healthy
            assertEquals(List.of(Event.FIRING, Event.RESOLVED), agentDown("down-a1").stream()
                    .map(AlertNotification::event).toList());
            assertEquals(List.of(Event.FIRING, Event.RESOLVED), events(sink, "default", "down1.test"));
            given().when().get("/api/v1/checks?agent=down-a1").then()
                    .body("effectiveState", equalTo(List.of("OPEN", "CLOSED")))
                    .body("unknownSince[0]", nullValue());
            given().when().get("/api/v1/checks?agent=down-a1&state=unknown").then().statusCode(200)
                    .body("$", equalTo(List.of()));
        }
    }

    @Test
    void anInstanceWithoutResultsForThreeIntervalsRaisesNoDataUntilItReportsAgain() throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        CheckInstance fresh = instance("fresh", "nodata.test", Protocol.TCP, 8001, Expectation.EXPECT_OPEN);
        CheckInstance silent = instance("silent", "nodata.test", Protocol.TCP, 8002, Expectation.EXPECT_OPEN);
        try (TestAgent agent = new TestAgent(engine, "nodata-a1", List.of(fresh, silent))) {
            agent.send(fresh, start.plusSeconds(20), OPEN);
            engine.sweep(start.plusSeconds(35));
            engine.sweep(start.plusSeconds(36));
            List<AlertNotification> noData = sink.matching(n -> n.kind() == Kind.NO_DATA
                    && "nodata-a1".equals(n.labels().get("agent")));
            assertEquals(1, noData.size(), "only the silent instance, once");
            assertEquals("silent", noData.get(0).labels().get("check"));
            assertEquals("default", noData.get(0).rule());

            agent.send(silent, start.plusSeconds(30), OPEN);
            engine.sweep(start.plusSeconds(40));
            assertEquals(List.of(Event.FIRING, Event.RESOLVED), noData("nodata-a1"));
        }
    }

    @Test
    void aNoDataAlertOutlivesItsAgentGoingSilentAndResolvesWhenItReports() throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        CheckInstance fresh = instance("fresh", "nodata2.test", Protocol.TCP, 8001, Expectation.EXPECT_OPEN);
        CheckInstance silent = instance("silent", "nodata2.test", Protocol.TCP, 8002, Expectation.EXPECT_OPEN);
        try (TestAgent agent = new TestAgent(engine, "nodata-a2", List.of(fresh, silent))) {
            agent.send(fresh, start.plusSeconds(20), OPEN);
            engine.sweep(start.plusSeconds(35));
            assertEquals(List.of(Event.FIRING), noData("nodata-a2"));

            // Now the whole agent is silent: a sweep that skips silent agents' checks must still
            // see this one, or its alert would resolve while nothing reports.
            engine.sweep(start.plusSeconds(80));
            assertEquals(List.of(Event.FIRING), noData("nodata-a2"), "kept while the agent is silent");

            agent.send(silent, start.plusSeconds(70), OPEN);
            engine.sweep(start.plusSeconds(85));
            assertEquals(List.of(Event.FIRING, Event.RESOLVED), noData("nodata-a2"));
        }
    }

    /** An UNKNOWN result is still a result: the agent probed and reported, so it is data (issue 16). */
    @Test
    void anInstanceReportingOnlyUnknownResultsRaisesNoNoData() throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        CheckInstance dns = instance("dns", "nodata3.test", Protocol.UDP, 5353, Expectation.EXPECT_CLOSED);
        CheckInstance fresh = instance("fresh", "nodata3.test", Protocol.TCP, 8001, Expectation.EXPECT_OPEN);
        CheckInstance silent = instance("silent", "nodata3.test", Protocol.TCP, 8002, Expectation.EXPECT_OPEN);
        try (TestAgent agent = new TestAgent(engine, "nodata-a3", List.of(dns, fresh, silent))) {
            agent.send(fresh, start.plusSeconds(20), OPEN); // the agent is heard from: NO_DATA is judged per check
            agent.send(List.of(result(dns, PortState.UNKNOWN, Reason.ICMP_RATE_LIMITED, start.plusSeconds(20).toEpochMilli())));
            engine.sweep(start.plusSeconds(35));
            List<AlertNotification> noData = sink.matching(n -> n.kind() == Kind.NO_DATA
                    && "nodata-a3".equals(n.labels().get("agent")));
            assertEquals(List.of("silent"), noData.stream().map(n -> n.labels().get("check")).toList(),
                    "only the instance that reported nothing");
        }
    }

    private List<Event> noData(String agent) {
        return sink.matching(n -> n.kind() == Kind.NO_DATA && agent.equals(n.labels().get("agent"))).stream()
                .map(AlertNotification::event).toList();
    }

    private List<AlertNotification> agentDown(String agent) {
        return sink.matching(n -> n.kind() == Kind.AGENT_DOWN && agent.equals(n.labels().get("agent")));
    }
}
