package io.portwatch.collector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.portwatch.collector.alert.AlertRepository;
import io.portwatch.collector.alert.AlertState;
import io.portwatch.collector.alert.AlertView;
import io.portwatch.collector.check.CheckRepository;
import io.prometheus.client.Collector;
import io.quarkus.runtime.Startup;
import io.portwatch.collector.Jobs;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Exports each check's state to Prometheus ({@code portwatch_check_up} and its kin, see
 * {@link CheckFamilies}) from a reading taken every {@code portwatch.metrics.refresh-interval}: two
 * queries per interval on each replica, however many scrapers, and a scrape only writes out the
 * series of the last reading. Every replica exports the same (the data is PostgreSQL's, and a
 * follower's reading is as good as the leader's), so Prometheus keeps them apart by
 * {@code instance} and queries take {@code max without (instance, pod)}.
 *
 * <p>The series are a collector of the Prometheus registry Micrometer writes {@code /q/metrics}
 * from, not Micrometer gauges: a set of series that changes with every reading, written as
 * constant samples, is how an exporter does it; tens of thousands of registered meters would be
 * removed and re-registered as checks come and go.
 */
@Startup
@ApplicationScoped
public class CheckMetrics {

    private static final Logger LOG = Logger.getLogger(CheckMetrics.class);

    private final CheckRepository checks;
    private final AlertRepository alerts;
    private final MetricsSettings settings;
    private final Counter failures;
    private final AtomicLong droppedChecks = new AtomicLong();
    private final AtomicLong droppedAlerts = new AtomicLong();
    /** The series of the last reading; written by the refresh, read by scrapes. */
    private volatile List<Collector.MetricFamilySamples> families = CheckFamilies.of(List.of(), List.of());

    CheckMetrics(CheckRepository checks, AlertRepository alerts, MetricsSettings settings, MeterRegistry meters,
            PrometheusMeterRegistry prometheus) {
        if (settings.maxChecks() < 0 || settings.maxAlerts() < 0) {
            throw new IllegalArgumentException("portwatch.metrics.max-checks and max-alerts must be 0 (off) or more, were "
                    + settings.maxChecks() + " and " + settings.maxAlerts());
        }
        this.checks = checks;
        this.alerts = alerts;
        this.settings = settings;
        this.failures = Counter.builder("portwatch.metrics.refresh.failures")
                .description("readings of the checks' states for the per-check series that failed (the series are"
                        + " left out until one succeeds)").register(meters);
        String dropped = "checks or firing alerts left out of the per-check series by portwatch.metrics.max-checks"
                + " or max-alerts";
        Gauge.builder("portwatch.metrics.dropped", droppedChecks, AtomicLong::get).tag("what", "checks")
                .description(dropped).register(meters);
        Gauge.builder("portwatch.metrics.dropped", droppedAlerts, AtomicLong::get).tag("what", "alerts")
                .description(dropped).register(meters);
        // The registry this one writes /q/metrics from (the CollectorRegistry bean is another).
        prometheus.getPrometheusRegistry().register(new Collector() {
            @Override
            public List<MetricFamilySamples> collect() {
                return families;
            }
        });
    }

    /** Every refresh-interval, from the typed setting; no job when it is {@code off}. */
    void schedule(@Observes StartupEvent event, Scheduler jobs) {
        settings.refreshInterval().ifPresent(every -> Jobs.every(jobs, "portwatch-check-metrics", every, this::scheduledRefresh));
    }

    void scheduledRefresh() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // A gap, not stale values: what cannot be read now is not known now.
            families = CheckFamilies.of(List.of(), List.of());
            failures.increment();
            LOG.warnf(e, "reading the checks for the per-check metrics failed; they are left out until a reading succeeds");
        }
    }

    /** Reads the checks' states and the firing alerts, and exports them from now on. */
    public void refresh() {
        CheckRepository.Statuses read = settings.maxChecks() == 0
                ? new CheckRepository.Statuses(List.of(), 0)
                : checks.statuses(settings.maxChecks());
        List<AlertView> firing = settings.maxAlerts() == 0
                ? List.of()
                : alerts.list(AlertState.FIRING, null, 0, settings.maxAlerts());
        // Counted only when the page is full: off (0) leaves none out, it exports none.
        long alertsLeftOut = settings.maxAlerts() == 0 || firing.size() < settings.maxAlerts()
                ? 0 : alerts.count(AlertState.FIRING) - firing.size();
        families = CheckFamilies.of(read.checks(), firing);
        note(droppedChecks, read.total() - read.checks().size(), "checks", "max-checks", settings.maxChecks());
        note(droppedAlerts, Math.max(0, alertsLeftOut), "firing alerts", "max-alerts", settings.maxAlerts());
    }

    /** Logs when some start to be left out, not at every reading. */
    private static void note(AtomicLong dropped, long now, String what, String setting, int max) {
        if (now > 0 && dropped.get() == 0) {
            LOG.warnf("%d %s are left out of /q/metrics: portwatch.metrics.%s is %d (gauge portwatch_metrics_dropped)",
                    now, what, setting, max);
        }
        dropped.set(now);
    }
}
