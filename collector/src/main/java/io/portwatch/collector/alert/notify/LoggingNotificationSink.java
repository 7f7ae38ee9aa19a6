package io.portwatch.collector.alert.notify;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Stand-in until the outbox is configured: logs what would be sent. */
@DefaultBean
@ApplicationScoped
public class LoggingNotificationSink implements NotificationSink {

    private static final Logger LOG = Logger.getLogger(LoggingNotificationSink.class);

    @Override
    public void enqueue(AlertNotification n) {
        LOG.infof("alert %s %s [%s] %s", n.event(), n.kind(), n.rule(), n.summary());
    }
}
