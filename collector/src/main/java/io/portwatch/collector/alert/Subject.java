package io.portwatch.collector.alert;

import io.portwatch.collector.alert.notify.AlertNotification.Kind;
import io.portwatch.collector.alert.rule.AlertRule;
import io.portwatch.collector.check.CheckInfo;
import io.portwatch.core.check.Expectation;

/**
 * One rule applied to one check instance key (the same check on every agent that probes it; the
 * agents are the voters), with its state machine and the alert it has open, if any.
 */
final class Subject {

    /** Identity of a subject: the rule's name and the instance key. */
    record Key(String rule, String subject) {
        // Written out: looked up for every result, where the record's generated methods (method
        // handles) were a visible share of the engine's time.
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && subject.equals(k.subject) && rule.equals(k.rule);
        }

        @Override
        public int hashCode() {
            return subject.hashCode() * 31 + rule.hashCode();
        }
    }

    final Key key;
    AlertRule rule;
    AlertStateMachine machine;
    /** The open alert (pending or firing), or null. */
    Long alertId;
    boolean alertFired;
    /** The newest check seen for this subject: names it in summaries and labels. */
    CheckInfo check;
    String lastState;
    String lastReason;
    boolean dirty;
    /** What storage holds (null: nothing yet), so that an unchanged subject is not written again. */
    AlertStateMachine.Snapshot stored;
    /** The machine's {@linkplain AlertStateMachine#changes() change count} when {@link #stored} was taken. */
    long storedChanges;
    Long storedAlertId;

    Subject(Key key, AlertRule rule, AlertStateMachine machine) {
        this.key = key;
        this.rule = rule;
        this.machine = machine;
    }

    /** A port that must stay closed and does not is an exposure; anything else unhealthy is a port alert. */
    Kind kind() {
        return check != null && check.expect() == Expectation.CLOSED ? Kind.EXPOSURE : Kind.PORT;
    }
}
