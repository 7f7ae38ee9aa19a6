package io.portwatch.collector;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import java.time.Duration;

/**
 * Schedules a job whose interval is a setting, from the Duration the settings read (the scheduler
 * never parses the property's text), one run at a time. Called from StartupEvent observers. A
 * command ({@link CommandMode}) runs no jobs: its Quarkus has the scheduler turned off.
 */
public final class Jobs {

    private Jobs() {}

    /** {@code task} every {@code interval}, the first run right after start. */
    public static void every(Scheduler scheduler, String id, Duration interval, Runnable task) {
        schedule(scheduler, id, interval, false, task);
    }

    /** {@code task} every {@code interval}, the first run one interval after start. */
    public static void everyAfterOne(Scheduler scheduler, String id, Duration interval, Runnable task) {
        schedule(scheduler, id, interval, true, task);
    }

    private static void schedule(Scheduler scheduler, String id, Duration interval, boolean delayed, Runnable task) {
        if (CommandMode.active()) {
            return;
        }
        var job = scheduler.newJob(id)
                .setInterval(interval.toString())
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> task.run());
        if (delayed) {
            job.setDelayed(interval.toString());
        }
        job.schedule();
    }
}
