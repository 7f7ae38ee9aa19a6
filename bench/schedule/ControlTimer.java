import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The machine's share of lateness, measured next to the agent: 100 periodic tasks at 100 ms
 * (1000 ticks/s, like 10,000 instances at 10 s) on one timer thread that does nothing else, timed
 * like the agent's scheduler (wall clock against the planned time, in ms). On a quiet machine it
 * is ~0; on a shared one it shows how long a runnable thread waits for a core.
 */
final class ControlTimer {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<Long> lateMs = Collections.synchronizedList(new ArrayList<>());

    ControlTimer() {
        long now = System.currentTimeMillis();
        for (int i = 0; i < 100; i++) {
            long[] planned = {now + 100 + i};
            timer.scheduleAtFixedRate(() -> {
                lateMs.add(Math.max(0, System.currentTimeMillis() - planned[0]));
                planned[0] += 100;
            }, planned[0] - System.currentTimeMillis(), 100, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops the timer; returns the q-quantiles of its lateness in ms. */
    double[] stop(double... quantiles) {
        timer.shutdownNow();
        double[] sorted;
        synchronized (lateMs) {
            sorted = lateMs.stream().mapToDouble(Long::doubleValue).sorted().toArray();
        }
        return Arrays.stream(quantiles)
                .map(q -> sorted.length == 0 ? Double.NaN
                        : sorted[(int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))])
                .toArray();
    }
}
