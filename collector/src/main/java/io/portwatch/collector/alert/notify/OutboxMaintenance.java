package io.portwatch.collector.alert.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portwatch.collector.Jobs;
import io.portwatch.collector.leader.LeaderLock;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/** The leader's upkeep of the outbox: keeps Alertmanager told of firing alerts, and deletes old rows. */
@ApplicationScoped
public class OutboxMaintenance {

    private static final Logger LOG = Logger.getLogger(OutboxMaintenance.class);

    private final OutboxRepository outbox;
    private final Notifiers notifiers;
    private final LeaderLock leader;
    private final ObjectMapper json;
    private final NotifierSettings.Outbox settings;

    OutboxMaintenance(OutboxRepository outbox, Notifiers notifiers, LeaderLock leader, ObjectMapper json,
            NotifierSettings settings) {
        this.outbox = outbox;
        this.notifiers = notifiers;
        this.leader = leader;
        this.json = json;
        this.settings = settings.outbox();
    }

    /**
     * Alertmanager treats an alert without endsAt as resolved once resolve_timeout passes without
     * hearing of it again; Prometheus re-sends every evaluation, Portwatch re-sends on this timer.
     */
    void schedule(@Observes StartupEvent event, Scheduler jobs) {
        Jobs.everyAfterOne(jobs, "portwatch-alertmanager-refresh", settings.alertmanagerRefresh(), this::refreshAlertmanagers);
    }

    void refreshAlertmanagers() {
        if (!leader.isLeader()) return;
        for (Notifier n : notifiers.all()) {
            if (!(n instanceof AlertmanagerNotifier am)) continue;
            try {
                List<AlertNotification> firing = new ArrayList<>();
                for (String payload : outbox.stillFiring(am.name())) {
                    firing.add(json.readValue(payload, AlertNotification.class));
                }
                am.sendAll(firing);
            } catch (SQLException | JsonProcessingException | DeliveryException e) {
                LOG.warnf("re-sending firing alerts to %s failed, next try in %s: %s", am.name(),
                        settings.alertmanagerRefresh(), e.getMessage());
            }
        }
    }

    @Scheduled(every = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        if (!leader.isLeader()) return;
        try {
            int deleted = outbox.purge(settings.retention());
            if (deleted > 0) LOG.infof("deleted %d notifications older than %s from the outbox", deleted, settings.retention());
        } catch (SQLException e) {
            LOG.warnf("purging the outbox failed, next try in an hour: %s", e.getMessage());
        }
    }
}
