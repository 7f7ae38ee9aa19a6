package io.portwatch.collector.uptime;

import static io.portwatch.collector.AgentMessages.batch;
import static io.portwatch.collector.AgentMessages.catalog;
import static io.portwatch.collector.AgentMessages.hello;
import static io.portwatch.collector.AgentMessages.instance;
import static io.portwatch.collector.AgentMessages.result;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portwatch.collector.AgentStreamClient;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.PortState;
import io.portwatch.proto.v1.Protocol;
import io.portwatch.proto.v1.Reason;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The status page's 90-day bars ({@link UptimeService#days}): real results ingested over gRPC on
 * past days, folded into the daily rollups by the collector, read back for two checks in one call;
 * an incident counts on every day it overlapped, a day without results is empty.
 */
@QuarkusTest
class DailyBarsTest {

    private static final String AGENT = "bars-agent";

    @Inject
    UptimeService uptime;

    @Test
    void aDayPerSegmentWithItsUptimeAndTheIncidentsThatOverlappedIt() throws InterruptedException {
        CheckInstance flaky = instance("bars-flaky", "bars.example", Protocol.TCP, 443, Expectation.EXPECT_OPEN);
        CheckInstance steady = instance("bars-steady", "bars.example", Protocol.TCP, 22, Expectation.EXPECT_OPEN);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Instant threeAgo = today.minusDays(3).atTime(10, 0).toInstant(ZoneOffset.UTC);
        Instant oneAgo = today.minusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC);
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(AGENT)).send(catalog("bars", List.of(flaky, steady)));
            client.send(batch(1, List.of(
                    result(flaky, PortState.OPEN, Reason.CONNECTED, threeAgo.toEpochMilli()),
                    result(steady, PortState.OPEN, Reason.CONNECTED, threeAgo.toEpochMilli()),
                    result(flaky, PortState.CLOSED, Reason.REFUSED, threeAgo.plusSeconds(60).toEpochMilli()),
                    // two days later it answers again: the incident overlapped three days
                    result(flaky, PortState.OPEN, Reason.CONNECTED, oneAgo.toEpochMilli()),
                    result(flaky, PortState.OPEN, Reason.CONNECTED, oneAgo.plusSeconds(60).toEpochMilli()))));
            assertEquals(1, client.next(Duration.ofSeconds(10)).getAck().getSeq());
        }
        long flakyId = id("bars-flaky");
        long steadyId = id("bars-steady");

        Map<Long, List<DayUptime>> bars = Map.of();
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) { // the rollup folder adds them within its fold interval
            bars = uptime.days(List.of(flakyId, steadyId), today, 90);
            if (bars.get(flakyId).get(88).samples() == 2) {
                break;
            }
            Thread.sleep(100);
        }
        List<DayUptime> f = bars.get(flakyId);
        assertEquals(90, f.size());
        assertEquals(today.minusDays(89), f.get(0).day());
        assertEquals(new DayUptime(today.minusDays(89), 0, 0, 0, 0), f.get(0));
        assertEquals(new DayUptime(today.minusDays(3), 2, 1, 0, 1), f.get(86));
        assertEquals(50.0, f.get(86).uptimePercent());
        assertEquals(new DayUptime(today.minusDays(2), 0, 0, 0, 1), f.get(87), "no result, but the incident lasted");
        assertEquals(new DayUptime(today.minusDays(1), 2, 2, 0, 1), f.get(88));
        assertEquals(new DayUptime(today, 0, 0, 0, 0), f.get(89));
        assertEquals(new DayUptime(today.minusDays(3), 1, 1, 0, 0), bars.get(steadyId).get(86));
        assertEquals(100.0, bars.get(steadyId).get(86).uptimePercent());
    }

    private static long id(String name) {
        return given().queryParam("agent", AGENT).get("/api/v1/checks").jsonPath()
                .getLong("find { it.name == '" + name + "' }.id");
    }
}
