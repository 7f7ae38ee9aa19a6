package io.portwatch.e2e;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The accounting of the fault suite: what a collector has stored for some check instances in a
 * window, read page by page through the public history API, against what their schedule says
 * should be there.
 *
 * <p>The agent's scheduler runs each instance on a fixed phase of its interval, kept across
 * restarts, so the expected results are the ticks of that timeline in the window. A stored result
 * fills one tick; a gap of n intervals between two stored results is n - 1 ticks without a result.
 * An empty tick is <em>lost</em> (the agent probed and the result never arrived) unless it falls
 * where the agent was not running at all: that is <em>not probed</em>, the cost of a dead agent
 * rather than of delivery, and is counted apart so neither hides the other.
 */
final class HistoryAudit {

    /** Where the agent process was dead: ticks in here were never probed. */
    record Downtime(Instant from, Instant to) {
        boolean covers(Instant t) {
            return !t.isBefore(from) && t.isBefore(to);
        }
    }

    /** One check instance over one window. */
    record CheckAudit(String key, int expected, int stored, int duplicates, int lost, int notProbed,
            Duration largestGap, int clockTicks, List<Instant> lostAt) {
    }

    /** All checks of a scenario over one window. */
    record Audit(Instant from, Instant to, Duration interval, List<CheckAudit> checks) {

        int expected() {
            return checks.stream().mapToInt(CheckAudit::expected).sum();
        }

        int stored() {
            return checks.stream().mapToInt(CheckAudit::stored).sum();
        }

        int duplicates() {
            return checks.stream().mapToInt(CheckAudit::duplicates).sum();
        }

        int lost() {
            return checks.stream().mapToInt(CheckAudit::lost).sum();
        }

        int notProbed() {
            return checks.stream().mapToInt(CheckAudit::notProbed).sum();
        }

        Duration largestGap() {
            return checks.stream().map(CheckAudit::largestGap).max(Duration::compareTo).orElse(Duration.ZERO);
        }

        /**
         * The tick count from the gaps must agree with the wall clock (window / interval, give or
         * take the one tick each edge can hold): otherwise the gap arithmetic, not the system, is wrong.
         */
        void assertConsistentWithClock() {
            for (CheckAudit c : checks) {
                if (Math.abs(c.expected() - c.clockTicks()) > 1) {
                    throw new AssertionError(c.key() + ": " + c.expected() + " ticks counted from the gaps, "
                            + c.clockTicks() + " from the clock");
                }
            }
        }

        /**
         * Every lost tick lies in the {@code allowance} before {@code kill}: what a killed agent
         * had probed and not yet journaled (a probe in flight), and nothing else.
         */
        void assertLostOnlyJustBefore(Instant kill, Duration allowance) {
            for (CheckAudit c : checks) {
                for (Instant t : c.lostAt()) {
                    if (t.isAfter(kill) || t.isBefore(kill.minus(allowance))) {
                        throw new AssertionError(c.key() + " lost the result of " + t + ", not within " + allowance.toMillis()
                                + " ms before the kill at " + kill + "\n" + describe());
                    }
                }
            }
        }

        String describe() {
            StringBuilder out = new StringBuilder("window " + from + " .. " + to + " (" + Duration.between(from, to).toSeconds()
                    + " s, interval " + interval.toMillis() + " ms)");
            for (CheckAudit c : checks) {
                out.append(String.format("%n  %-40s expected %4d stored %4d duplicates %d lost %d not-probed %d largest gap %d ms",
                        c.key(), c.expected(), c.stored(), c.duplicates(), c.lost(), c.notProbed(), c.largestGap().toMillis()));
                if (!c.lostAt().isEmpty()) {
                    out.append(" lost ticks ").append(c.lostAt().stream().limit(5).toList()).append(c.lost() > 5 ? " ..." : "");
                }
            }
            return out.toString();
        }
    }

    private static final int PAGE = 1000;

    private HistoryAudit() {
    }

    /** observedAt of every stored result of {@code checkId} in [from, to), newest first, all pages. */
    static List<Instant> history(int port, long checkId, Instant from, Instant to) {
        List<Instant> out = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().port(port).queryParam("limit", PAGE).queryParam("from", from.toString())
                    .queryParam("to", to.toString());
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/checks/" + checkId + "/history").then().statusCode(200).extract().jsonPath();
            for (String t : page.<String>getList("results.observedAt")) {
                out.add(Instant.parse(t));
            }
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return out;
    }

    /** The check ids of {@code agentId}'s instances named by key, as the collector on {@code port} has them. */
    static Map<String, Long> checkIds(int port, String agentId, Collection<String> keys) {
        List<Map<String, Object>> rows = given().port(port).get("/api/v1/checks").then().statusCode(200).extract()
                .jsonPath().getList("findAll { it.agentId == '" + agentId + "' }");
        Map<String, Long> ids = new java.util.TreeMap<>();
        for (Map<String, Object> row : rows) {
            if (keys.contains((String) row.get("key"))) {
                ids.put(agentId + " " + row.get("key"), ((Number) row.get("id")).longValue());
            }
        }
        if (ids.size() != keys.size()) {
            throw new AssertionError("checks of " + agentId + " at port " + port + ": " + ids + ", wanted " + keys);
        }
        return ids;
    }

    /** Reads and audits every check of {@code ids} (label → check id) over [from, to). */
    static Audit read(int port, Map<String, Long> ids, Instant from, Instant to, Duration interval, List<Downtime> downtimes) {
        List<CheckAudit> checks = new ArrayList<>();
        ids.forEach((label, id) -> checks.add(audit(label, history(port, id, from, to), from, to, interval, downtimes)));
        return new Audit(from, to, interval, checks);
    }

    /** The accounting of one instance, from the stored times alone. */
    static CheckAudit audit(String key, List<Instant> stored, Instant from, Instant to, Duration interval,
            List<Downtime> downtimes) {
        List<Instant> times = stored.stream().sorted().toList();
        Set<Instant> distinct = new HashSet<>(times);
        List<Instant> ticks = distinct.stream().sorted().toList();
        long step = interval.toMillis();
        int clockTicks = (int) (Duration.between(from, to).toMillis() / step);
        if (ticks.isEmpty()) {
            // Nothing stored: the phase is unknown, so the ticks are counted from the window's start.
            List<Instant> lostAt = new ArrayList<>();
            int notProbed = 0;
            for (Instant t = from; t.isBefore(to); t = t.plusMillis(step)) {
                if (down(t, downtimes)) notProbed++; else lostAt.add(t);
            }
            return new CheckAudit(key, lostAt.size() + notProbed, 0, 0, lostAt.size(), notProbed, Duration.between(from, to),
                    clockTicks, List.copyOf(lostAt));
        }
        List<Instant> lostAt = new ArrayList<>();
        int notProbed = 0;
        Duration largest = Duration.ZERO;
        // At the window's edges a tick counts only half an interval inside it: a probe starts a few ms
        // after its planned tick, so a tick estimated just inside may really have been just outside.
        for (Instant t = ticks.get(0).minusMillis(step); !t.isBefore(from.plusMillis(step / 2)); t = t.minusMillis(step)) {
            if (down(t, downtimes)) notProbed++; else lostAt.add(0, t);
        }
        for (int i = 1; i < ticks.size(); i++) {
            Instant a = ticks.get(i - 1);
            Instant b = ticks.get(i);
            Duration gap = Duration.between(a, b);
            if (gap.compareTo(largest) > 0) largest = gap;
            long missing = Math.max(0, Math.round((double) gap.toMillis() / step) - 1);
            for (long k = 1; k <= missing; k++) {
                Instant t = a.plusMillis(k * step);
                if (down(t, downtimes)) notProbed++; else lostAt.add(t);
            }
        }
        for (Instant t = ticks.get(ticks.size() - 1).plusMillis(step); t.isBefore(to.minusMillis(step / 2)); t = t.plusMillis(step)) {
            if (down(t, downtimes)) notProbed++; else lostAt.add(t);
        }
        return new CheckAudit(key, ticks.size() + lostAt.size() + notProbed, times.size(), times.size() - ticks.size(),
                lostAt.size(), notProbed, largest, clockTicks, List.copyOf(lostAt));
    }

    private static boolean down(Instant t, List<Downtime> downtimes) {
        return downtimes.stream().anyMatch(d -> d.covers(t));
    }

    /**
     * The time the agent killed at {@code killedAt} was not probing: until the first result any of
     * its checks stored after the kill, which only the restarted process can have made. Each check's
     * own first tick after the restart lies less than an interval later, so none of its ticks falls
     * between. A restarted agent whose first results were all lost would stretch this span: callers
     * bound it by the restart they made.
     */
    static Downtime agentDowntime(int port, Map<String, Long> ids, Instant killedAt) {
        Instant first = null;
        for (long id : ids.values()) {
            List<Instant> after = history(port, id, killedAt, Instant.now().plusSeconds(3600));
            if (after.isEmpty()) throw new AssertionError("no result of check " + id + " after the agent's restart");
            Instant oldest = after.get(after.size() - 1);
            if (first == null || oldest.isBefore(first)) first = oldest;
        }
        return new Downtime(killedAt, first);
    }

    /**
     * Waits for the collector on {@code port} to have caught up after a fault that ended at
     * {@code faultEnd}: every check has a result observed after it, and the count stored for
     * [from, faultEnd) has stopped growing (the backlog is in) for {@code settle}. Returns the time
     * from faultEnd to the later of the two, or empty when that did not happen within {@code timeout}.
     */
    static Optional<Duration> awaitRecovery(int port, Map<String, Long> ids, Instant from, Instant faultEnd,
            Duration settle, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        long lastCount = -1;
        Instant lastChange = null;
        Instant fresh = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                long count = 0;
                boolean allFresh = true;
                for (long id : ids.values()) {
                    count += history(port, id, from, faultEnd).size();
                    allFresh &= !history(port, id, faultEnd, Instant.now().plusSeconds(3600)).isEmpty();
                }
                Instant now = Instant.now();
                if (lastCount >= 0 && count != lastCount) lastChange = now;
                lastCount = count;
                if (allFresh && fresh == null) fresh = now;
                Instant caughtUp = lastChange == null || (fresh != null && fresh.isAfter(lastChange)) ? fresh : lastChange;
                if (fresh != null && Duration.between(caughtUp, now).compareTo(settle) >= 0) {
                    return Optional.of(Duration.between(faultEnd, caughtUp));
                }
            } catch (Exception | AssertionError e) {
                // the collector is still starting (rest-assured throws ConnectException undeclared)
            }
            Thread.sleep(250);
        }
        return Optional.empty();
    }
}
