package io.portwatch.collector.alert;

import io.portwatch.collector.alert.AlertStateMachine.Phase;
import io.portwatch.collector.alert.notify.AlertNotification.Event;
import io.portwatch.collector.alert.notify.AlertNotification.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Turns what a subject's state machine did into alert rows and notifications: an alert opens
 * (pending) when the subject turns unhealthy, fires, resolves; a pending alert that recovers
 * without having fired or flapped is dropped, as nobody was told of it.
 */
@ApplicationScoped
class PortAlerts {

    private final AlertRepository alerts;
    private final SubjectRepository subjects;
    private final AlertNotifier notifier;

    PortAlerts(AlertRepository alerts, SubjectRepository subjects, AlertNotifier notifier) {
        this.alerts = alerts;
        this.subjects = subjects;
        this.notifier = notifier;
    }

    void apply(Connection c, Subject s, List<AlertTransition> transitions, Instant at) throws SQLException {
        for (AlertTransition t : transitions) {
            if (t instanceof AlertTransition.FlappingStarted) {
                open(c, s, at);
                alerts.flapping(c, s.alertId, true, at);
                notifier.notify(c, s.alertId, Event.FLAPPING_STARTED, at);
            } else if (t instanceof AlertTransition.FlappingStopped && s.alertId != null) {
                alerts.flapping(c, s.alertId, false, at);
                notifier.notify(c, s.alertId, Event.FLAPPING_STOPPED, at);
            } else if (t instanceof AlertTransition.Fired f) {
                open(c, s, at);
                List<String> voters = new ArrayList<>(f.voters());
                alerts.fire(c, s.alertId, at, summary(s, voters), voters);
                s.alertFired = true;
                notifier.notify(c, s.alertId, Event.FIRING, at);
            } else if (t instanceof AlertTransition.Resolved && s.alertId != null) {
                observed(c, List.of(s), at); // the result that resolved it is its last state
                alerts.resolve(c, s.alertId, at);
                notifier.notify(c, s.alertId, Event.RESOLVED, at);
                s.alertId = null;
                s.alertFired = false;
            }
            s.dirty = true;
        }
        Phase phase = s.machine.phase();
        if (s.alertId == null && phase == Phase.PENDING) {
            open(c, s, at);
        } else if (s.alertId != null && phase == Phase.OK && !s.machine.flapping() && !s.alertFired) {
            AlertView a = alerts.byId(c, s.alertId).orElseThrow();
            if (a.flapCount() == 0) {
                alerts.delete(c, s.alertId);
            } else {
                // Its flapping was notified (and its end): close it quietly.
                alerts.resolve(c, s.alertId, at);
            }
            s.alertId = null;
            s.dirty = true;
        }
    }

    /**
     * Resolves (and notifies) the open alerts of rules no longer in force and drops their state
     * machines: a deleted rule must not leave an alert firing forever.
     */
    void retireRemovedRules(Connection c, List<String> inForce, Instant now) throws SQLException {
        for (long id : alerts.openOfOtherRules(c, inForce)) {
            AlertView a = alerts.byId(c, id).orElseThrow();
            alerts.resolve(c, id, now);
            if (a.state() == AlertState.FIRING || a.flapping()) {
                notifier.notify(c, id, Event.RESOLVED, now);
            }
        }
        subjects.deleteOtherRules(c, inForce);
    }

    /**
     * Brings the open alerts of these subjects to their last state, reason and voters: once per
     * batch, not per result, in one round trip.
     */
    void observed(Connection c, Collection<Subject> subjects, Instant at) throws SQLException {
        List<AlertRepository.Observation> out = new ArrayList<>();
        for (Subject s : subjects) {
            if (s.alertId != null) {
                out.add(new AlertRepository.Observation(s.alertId, s.lastState, s.lastReason, List.copyOf(s.machine.voters())));
            }
        }
        alerts.observed(c, out, at);
    }

    /** Opens the subject's alert as pending unless one is open. */
    private void open(Connection c, Subject s, Instant at) throws SQLException {
        if (s.alertId != null) {
            return;
        }
        Map<String, String> labels = new java.util.LinkedHashMap<>(s.check == null ? Map.of() : AlertLabels.of(s.check));
        // A subject has one alert for every agent that probes it: the voters say which agents.
        labels.remove(AlertLabels.AGENT);
        Kind kind = s.kind();
        s.alertId = alerts.insert(c, new AlertRepository.NewAlert(s.rule.name(), kind, s.key.subject(), AlertState.PENDING,
                s.rule.severity().text(), summary(s, List.copyOf(s.machine.voters())), labels, s.rule.channels(), at,
                null, s.lastState, s.lastReason, List.copyOf(s.machine.voters())), at);
        s.dirty = true;
    }

    static String summary(Subject s, List<String> voters) {
        String where = s.check == null ? s.key.subject() : s.check.where();
        String state = s.lastState == null ? "unhealthy" : s.lastState + " (" + s.lastReason + ")";
        String seen = voters.isEmpty() ? "" : ", seen by " + String.join(", ", voters);
        return s.kind() == Kind.EXPOSURE
                ? where + " is " + state + " but must stay closed" + seen
                : where + " is " + state + seen;
    }
}
