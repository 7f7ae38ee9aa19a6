package io.portwatch.collector.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portwatch.collector.history.ResultRow;
import io.portwatch.collector.ingest.IncidentTracker.Close;
import io.portwatch.collector.ingest.IncidentTracker.Current;
import io.portwatch.collector.ingest.IncidentTracker.Extend;
import io.portwatch.collector.ingest.IncidentTracker.Open;
import io.portwatch.core.check.Health;
import io.portwatch.core.check.PortState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentTrackerTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static ResultRow up(int s) {
        return new ResultRow(0, 1, T0.plusSeconds(s), PortState.OPEN, "connected", Health.HEALTHY, null, 100, null);
    }

    private static ResultRow down(int s, PortState state, String reason) {
        return new ResultRow(0, 1, T0.plusSeconds(s), state, reason, Health.UNHEALTHY, null, 100, null);
    }

    private static ResultRow unknown(int s) {
        return new ResultRow(0, 1, T0.plusSeconds(s), PortState.UNKNOWN, "icmp-rate-limited", Health.UNKNOWN, null, 100, null);
    }

    @Test
    void unknownResultsNeitherOpenNorExtendNorClose() {
        assertEquals(List.of(), IncidentTracker.changes(new Current(true, T0), List.of(unknown(1), up(2), unknown(3))),
                "between healthy results");
        assertEquals(List.of(), IncidentTracker.changes(new Current(null, null), List.of(unknown(1), unknown(2))),
                "as a check's first results");
        assertEquals(List.of(new Open(T0.plusSeconds(1), "CLOSED", "refused"), new Extend(1, "CLOSED", "refused"),
                        new Close(T0.plusSeconds(5))),
                IncidentTracker.changes(new Current(true, T0), List.of(down(1, PortState.CLOSED, "refused"), unknown(2),
                        down(3, PortState.CLOSED, "refused"), unknown(4), up(5))),
                "inside an incident: not counted in its samples, and the healthy result after it ends it");
    }

    @Test
    void firstUnhealthyOpensFurtherOnesExtendFirstHealthyCloses() {
        var changes = IncidentTracker.changes(new Current(true, T0),
                List.of(up(1), down(2, PortState.CLOSED, "refused"), down(3, PortState.FILTERED, "timeout"),
                        down(4, PortState.CLOSED, "refused"), up(5)));
        assertEquals(List.of(new Open(T0.plusSeconds(2), "CLOSED", "refused"), new Extend(2, "CLOSED", "refused"),
                new Close(T0.plusSeconds(5))), changes);
    }

    @Test
    void aCheckWithNoResultYetOpensOnItsFirstUnhealthyResult() {
        assertEquals(List.of(new Open(T0.plusSeconds(1), "CLOSED", "refused")),
                IncidentTracker.changes(new Current(null, null), List.of(down(1, PortState.CLOSED, "refused"))));
    }

    @Test
    void anOngoingIncidentIsExtendedAcrossBatchesAndTwoIncidentsInOneBatchAreSeparate() {
        assertEquals(List.of(new Extend(1, "ERROR", "dns-failed"), new Close(T0.plusSeconds(2)),
                        new Open(T0.plusSeconds(3), "CLOSED", "refused")),
                IncidentTracker.changes(new Current(false, T0),
                        List.of(down(1, PortState.ERROR, "dns-failed"), up(2), down(3, PortState.CLOSED, "refused"))));
    }

    @Test
    void lateResultsOlderThanTheCurrentStateChangeNothing() {
        assertEquals(List.of(), IncidentTracker.changes(new Current(true, T0.plusSeconds(100)),
                List.of(down(1, PortState.CLOSED, "refused"), down(2, PortState.CLOSED, "refused"))));
    }

    @Test
    void healthyResultsWithoutAnIncidentChangeNothing() {
        assertEquals(List.of(), IncidentTracker.changes(new Current(true, T0), List.of(up(1), up(2))));
    }
}
