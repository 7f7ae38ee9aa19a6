package io.portwatch.collector.alert.notify;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers the receivers for every @QuarkusTest of the module, so all share one application start. */
@QuarkusTestResource(value = NotifierReceivers.class, restrictToAnnotatedClass = false)
public final class NotifierReceiversProfile {
    private NotifierReceiversProfile() {}
}
