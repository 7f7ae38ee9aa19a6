package io.portwatch.agent.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.portwatch.agent.config.CheckInstance;
import io.portwatch.agent.probe.ProbeReason;
import io.portwatch.agent.probe.ProbeResult;
import io.portwatch.core.check.Expectation;
import io.portwatch.core.check.PortState;
import io.portwatch.core.check.Protocol;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler with a recording prober. Instances run every 100 ms (the scheduler takes any
 * interval; the 1 s minimum is the check files' rule), and waits are for events such as "the
 * clock instance ran three more times", never for a fixed time.
 */
class CheckSchedulerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration TICK = Duration.ofMillis(100);

    private final Prober prober = new Prober();
    private final Map<String, AtomicInteger> sunk = new ConcurrentHashMap<>();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicInteger ticks = new AtomicInteger();
    private final AtomicInteger negativeLateness = new AtomicInteger();
    private final CheckScheduler scheduler = new CheckScheduler(prober,
            (instance, result) -> count(sunk, instance.key()).incrementAndGet(),
            new ScheduleStats() {
                @Override
                public void lateness(Duration late) {
                    ticks.incrementAndGet();
                    if (late.isNegative()) {
                        negativeLateness.incrementAndGet();
                    }
                }

                @Override
                public void skipped() {
                    skipped.incrementAndGet();
                }
            });

    @AfterEach
    void close() {
        scheduler.close();
    }

    @Test
    void phaseIsWithinTheIntervalAndStable() {
        for (long interval : new long[] {1, 7, 1_000, 30_000, 86_400_000}) {
            for (String key : List.of("web|127.0.0.1|tcp|80", "dns|ns1.example.com|udp|53", "", "x")) {
                long phase = CheckScheduler.phase(key, interval);
                assertTrue(phase >= 0 && phase < interval, key + " @ " + interval + ": " + phase);
                assertEquals(phase, CheckScheduler.phase(new String(key), interval), "same key, same phase");
            }
        }
    }

    @Test
    void phasesOfSimilarKeysSpreadEvenlyOverTheInterval() {
        long interval = 30_000;
        assertSpread("ports of one host", interval, i -> "web|127.0.0.1|tcp|" + (1 + i));
        assertSpread("hosts of one check", interval, i -> "web|10.0." + (i / 256) + "." + (i % 256) + "|tcp|443");
        assertSpread("check names", interval, i -> "check-" + i + "|db.example.com|tcp|5432");
    }

    /** 1000 keys over ten slices of the interval: each slice gets 5% to 15% of them. */
    private static void assertSpread(String what, long interval, Function<Integer, String> key) {
        int[] slices = new int[10];
        for (int i = 0; i < 1000; i++) {
            slices[(int) (CheckScheduler.phase(key.apply(i), interval) * 10 / interval)]++;
        }
        for (int s = 0; s < slices.length; s++) {
            assertTrue(slices[s] >= 50 && slices[s] <= 150,
                    what + ": slice " + s + " got " + slices[s] + " of 1000 " + java.util.Arrays.toString(slices));
        }
    }

    @Test
    void runsEveryInstanceAtItsIntervalAndSinksTheResults() {
        scheduler.apply(List.of(instance("a", Duration.ofSeconds(1)), instance("b", Duration.ofSeconds(1))));

        await("three probes of each", () -> prober.calls("a") >= 3 && prober.calls("b") >= 3);
        await("their results sunk", () -> count(sunk, key("a")).get() >= 3 && count(sunk, key("b")).get() >= 3);
        assertEquals(2, scheduler.scheduled());
        assertTrue(ticks.get() >= 6, "each tick reports its lateness");
        assertEquals(0, negativeLateness.get());
    }

    @Test
    void applyWithEqualInstancesKeepsThemRunningUndisturbed() {
        // "hang" never completes: a restart would probe it again, keeping it running never does.
        scheduler.apply(List.of(instance("hang", Duration.ofSeconds(1)), instance("clock", Duration.ofSeconds(1))));
        await("hang probed once", () -> prober.calls("hang") == 1);

        scheduler.apply(List.of(instance("clock", Duration.ofSeconds(1)), instance("hang", Duration.ofSeconds(1))));
        awaitClockTicks(3);

        assertEquals(1, prober.calls("hang"), "an unchanged instance is not restarted");
        assertEquals(2, scheduler.scheduled());
    }

    @Test
    void removingAnInstanceStopsIt() {
        scheduler.apply(List.of(instance("gone", Duration.ofSeconds(1)), instance("clock", Duration.ofSeconds(1))));
        await("gone probed", () -> prober.calls("gone") >= 1);

        scheduler.apply(List.of(instance("clock", Duration.ofSeconds(1))));
        // The timer is one thread: once clock ticked again, no tick of "gone" can still be running.
        awaitClockTicks(1);
        int before = prober.calls("gone");
        awaitClockTicks(3);

        assertEquals(before, prober.calls("gone"), "a removed instance is not probed any more");
        assertEquals(1, scheduler.scheduled());
    }

    @Test
    void changingAnInstanceRestartsIt() {
        scheduler.apply(List.of(instance("hang", Duration.ofSeconds(1))));
        await("hang probed once", () -> prober.calls("hang") == 1);

        scheduler.apply(List.of(instance("hang", Duration.ofSeconds(2))));

        await("hang probed with its new timeout", () -> prober.calls("hang") == 2);
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)),
                prober.probed("hang").stream().map(CheckInstance::timeout).toList());
        assertEquals(1, scheduler.scheduled());
    }

    @Test
    void probeThatDoesNotCompleteSkipsTicksAndIsNeverDoubled() {
        scheduler.apply(List.of(instance("hang", Duration.ofSeconds(1))));

        await("three skipped ticks", () -> skipped.get() >= 3);
        assertEquals(1, prober.calls("hang"));
        assertEquals(1, prober.maxInFlight("hang"));

        prober.completeHanging();
        await("probed again once the first probe completed", () -> prober.calls("hang") == 2);
        await("its result sunk", () -> count(sunk, key("hang")).get() == 1);
        assertEquals(1, prober.maxInFlight("hang"));
    }

    @Test
    void probeSlowerThanTheIntervalIsNeverRunTwiceAtOnce() {
        scheduler.apply(List.of(instance("slow", Duration.ofSeconds(1))));

        await("several slow probes and skipped ticks", () -> prober.calls("slow") >= 4 && skipped.get() >= 4);
        assertEquals(1, prober.maxInFlight("slow"));
    }

    @Test
    void proberThatThrowsDoesNotEndTheSchedule() {
        scheduler.apply(List.of(instance("throws", Duration.ofSeconds(1))));

        await("probed again after throwing", () -> prober.calls("throws") >= 3);
        assertEquals(0, skipped.get(), "a probe that could not start is not in flight");
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * Answers by check name: "hang" never completes until the test says so, "slow" completes after
     * 2.5 intervals, "throws" throws, anything else completes at once. Counts probes in flight per
     * key, decremented before the result is handed over so the count is exact.
     */
    private static final class Prober implements CheckScheduler.Prober {
        private final Map<String, List<CheckInstance>> calls = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
        private final List<Runnable> hanging = new CopyOnWriteArrayList<>();

        @Override
        public void probe(CheckInstance ci, Consumer<ProbeResult> onResult) {
            calls.computeIfAbsent(ci.checkName(), k -> new CopyOnWriteArrayList<>()).add(ci);
            if (ci.checkName().equals("throws")) {
                throw new IllegalStateException("cannot start");
            }
            int now = count(inFlight, ci.checkName()).incrementAndGet();
            count(maxInFlight, ci.checkName()).accumulateAndGet(now, Math::max);
            Runnable complete = () -> {
                count(inFlight, ci.checkName()).decrementAndGet();
                onResult.accept(new ProbeResult(PortState.OPEN, ProbeReason.CONNECTED, null, Duration.ZERO,
                        Instant.now(), ""));
            };
            switch (ci.checkName()) {
                case "hang" -> hanging.add(complete);
                case "slow" -> CompletableFuture.delayedExecutor(TICK.toMillis() * 5 / 2, TimeUnit.MILLISECONDS)
                        .execute(complete);
                default -> complete.run();
            }
        }

        int calls(String name) {
            return probed(name).size();
        }

        List<CheckInstance> probed(String name) {
            return List.copyOf(calls.getOrDefault(name, List.of()));
        }

        int maxInFlight(String name) {
            return count(maxInFlight, name).get();
        }

        void completeHanging() {
            hanging.forEach(Runnable::run);
            hanging.clear();
        }
    }

    private static AtomicInteger count(Map<String, AtomicInteger> counts, String key) {
        return counts.computeIfAbsent(key, k -> new AtomicInteger());
    }

    private static CheckInstance instance(String name, Duration timeout) {
        return new CheckInstance(name, "127.0.0.1", Protocol.TCP, 80, Expectation.OPEN, TICK, timeout, Map.of());
    }

    private static String key(String name) {
        return instance(name, Duration.ofSeconds(1)).key();
    }

    private void awaitClockTicks(int more) {
        int target = prober.calls("clock") + more;
        await("clock probed " + more + " more times", () -> prober.calls("clock") >= target);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + WAIT.toSeconds() + " s: " + what);
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    /**
     * The UDP instances of one host and interval are spaced exactly interval/N apart, in key order,
     * from one hashed offset; another host gets its own offset; TCP keeps the hashed phase; and the
     * same set gives the same phases (a restart does not move them).
     */
    @Test
    void udpInstancesOfOneHostAreSpreadEvenlyOverTheInterval() {
        List<CheckInstance> instances = new java.util.ArrayList<>();
        for (int port = 20000; port < 20200; port++) {
            instances.add(new CheckInstance("many", "198.18.7.2", Protocol.UDP, port, Expectation.CLOSED,
                    Duration.ofSeconds(30), Duration.ofSeconds(2), Map.of()));
        }
        for (int port = 20000; port < 20020; port++) {
            instances.add(new CheckInstance("few", "198.18.7.6", Protocol.UDP, port, Expectation.CLOSED,
                    Duration.ofSeconds(30), Duration.ofSeconds(2), Map.of()));
        }
        instances.add(new CheckInstance("web", "198.18.7.2", Protocol.TCP, 80, Expectation.OPEN,
                Duration.ofSeconds(30), Duration.ofSeconds(2), Map.of()));

        Map<String, Long> phases = CheckScheduler.udpPhases(instances);

        assertEquals(220, phases.size(), "UDP instances only");
        for (String host : List.of("many|198.18.7.2", "few|198.18.7.6")) {
            List<Long> sorted = phases.entrySet().stream().filter(e -> e.getKey().startsWith(host))
                    .map(Map.Entry::getValue).sorted().toList();
            long n = sorted.size();
            for (int i = 1; i < n; i++) {
                long gap = sorted.get(i) - sorted.get(i - 1);
                // i*30000/n rounds down: neighbours are 30000/n apart, within a millisecond.
                assertTrue(Math.abs(gap - 30_000 / n) <= 1, host + " gap " + gap + " at " + i);
            }
            assertTrue(30_000 - sorted.get((int) n - 1) + sorted.get(0) >= 30_000 / n - 1, host + ": wrap-around gap");
            sorted.forEach(p -> assertTrue(p >= 0 && p < 30_000, host + " phase " + p));
        }
        // Key order: port 20000 comes first after the offset, 20001 next.
        long first = phases.get("many|198.18.7.2|udp|20000");
        assertEquals((first + 150) % 30_000, phases.get("many|198.18.7.2|udp|20001"));
        assertEquals(phases, CheckScheduler.udpPhases(List.copyOf(instances)), "stable for the same set");
    }
}
