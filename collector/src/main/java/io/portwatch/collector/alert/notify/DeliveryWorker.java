package io.portwatch.collector.alert.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.portwatch.collector.Jobs;
import io.portwatch.collector.leader.LeaderLock;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Delivers the outbox, on the leader only: claim due rows (a short statement that leases them),
 * send each outside any transaction, then record delivered or the error and the next attempt.
 * At least once: a row is delivered only after the receiver accepted it, and a deliverer that
 * dies mid-send leaves a lease that expires, after which the row is sent again.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);

    private final OutboxRepository outbox;
    private final Notifiers notifiers;
    private final LeaderLock leader;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final NotifierSettings.Outbox settings;
    private final Backoff backoff;
    private final ExecutorService pool;
    /** Runs the polls that {@link #wake()} asks for, apart from the pool the deliveries run on. */
    private final ExecutorService waker;
    private final ReentrantLock polling = new ReentrantLock();
    private final AtomicBoolean again = new AtomicBoolean();

    DeliveryWorker(OutboxRepository outbox, Notifiers notifiers, LeaderLock leader, ObjectMapper json,
            MeterRegistry meters, NotifierSettings settings) {
        this.outbox = outbox;
        this.notifiers = notifiers;
        this.leader = leader;
        this.json = json;
        this.meters = meters;
        this.settings = settings.outbox();
        this.backoff = new Backoff(this.settings.initialBackoff(), this.settings.maxBackoff());
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(1, this.settings.threads()), r -> {
            Thread t = new Thread(r, "portwatch-notify-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.waker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "portwatch-notify-wake");
            t.setDaemon(true);
            return t;
        });
    }

    /** Something was committed to the outbox: poll now rather than at the next tick. */
    void wake() {
        if (!waker.isShutdown()) waker.execute(this::poll);
    }

    /** Every poll-interval, from the typed setting. */
    void schedule(@Observes StartupEvent event, Scheduler jobs) {
        Jobs.every(jobs, "portwatch-outbox-poll", settings.pollInterval(), this::poll);
    }

    void poll() {
        if (!polling.tryLock()) {
            again.set(true); // the running poll goes round once more
            return;
        }
        try {
            do {
                again.set(false);
                // a full batch means more may be due: keep going instead of waiting for the next poll
                while (leader.isLeader() && deliverDue() == settings.batchSize()) {
                    // next batch
                }
            } while (again.get());
        } catch (SQLException e) {
            LOG.warnf("claiming due notifications failed, retrying next poll: %s", e.getMessage());
        } finally {
            polling.unlock();
        }
    }

    /** One round: claims up to a batch and delivers it in parallel; returns how many were claimed. */
    int deliverDue() throws SQLException {
        List<OutboxRepository.Claimed> due = outbox.claim(settings.batchSize(), settings.lease());
        List<Future<?>> running = new ArrayList<>(due.size());
        for (OutboxRepository.Claimed row : due) {
            running.add(pool.submit(() -> deliver(row)));
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                LOG.errorf(e.getCause(), "recording a delivery failed; its lease expires and it is retried");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return due.size();
            }
        }
        return due.size();
    }

    private void deliver(OutboxRepository.Claimed row) {
        String error;
        boolean retryable = true;
        try {
            AlertNotification n = json.readValue(row.payload(), AlertNotification.class);
            Notifier notifier = notifiers.find(row.channel()).orElseThrow(() -> new DeliveryException(
                    "no notifier named \"" + row.channel() + "\" is configured (portwatch.notifiers.\"" + row.channel() + "\".type)"));
            notifier.send(n, Long.toString(row.id()));
            record(row, () -> outbox.delivered(row.id()), "delivered");
            return;
        } catch (DeliveryException e) {
            error = e.getMessage();
        } catch (JsonProcessingException e) {
            error = "the stored notification cannot be read: " + e.getOriginalMessage();
            retryable = false;
        } catch (RuntimeException e) {
            error = e.toString();
        }
        int attempts = row.attempts() + 1;
        boolean tooOld = Instant.now().isAfter(row.createdAt().plus(settings.maxAge()));
        if (!retryable || attempts >= settings.maxAttempts() || tooOld) {
            LOG.warnf("notification %d to %s failed for good after %d attempts: %s", row.id(), row.channel(), attempts, error);
            String finalError = error;
            record(row, () -> outbox.failed(row.id(), finalError), "failed");
        } else {
            LOG.debugf("notification %d to %s failed (attempt %d), retrying: %s", row.id(), row.channel(), attempts, error);
            String finalError = error;
            record(row, () -> outbox.retry(row.id(), finalError, backoff.after(attempts)), "retry");
        }
    }

    private interface Update {
        void run() throws SQLException;
    }

    private void record(OutboxRepository.Claimed row, Update update, String outcome) {
        try {
            update.run();
        } catch (SQLException e) {
            throw new IllegalStateException("recording notification " + row.id() + " as " + outcome + " failed", e);
        }
        meters.counter("portwatch.notifications", "channel", row.channel(), "outcome", outcome).increment();
    }

    @PreDestroy
    void stop() {
        waker.shutdownNow();
        pool.shutdownNow();
    }
}
