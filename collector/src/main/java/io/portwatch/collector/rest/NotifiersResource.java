package io.portwatch.collector.rest;

import io.portwatch.collector.security.Role;
import jakarta.annotation.security.RolesAllowed;
import io.portwatch.collector.alert.notify.DeliveryException;
import io.portwatch.collector.alert.notify.NotifierTester;
import io.portwatch.collector.alert.notify.NotifierType;
import io.portwatch.collector.alert.notify.Notifiers;
import io.portwatch.collector.audit.AuditLog;
import io.portwatch.collector.input.InputLimits;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/notifiers")
@RolesAllowed(Role.Names.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class NotifiersResource {

    /** A configured notifier without its secrets: no URL path (Slack's is the secret), no HMAC key. */
    public record NotifierView(String name, NotifierType type, String destination) {}

    /**
     * What the audit log keeps of a test send: the notifier's name, type and public destination,
     * and whether the receiver accepted it. Not the receiver's answer to a failure: it can echo
     * anything, and the caller saw it in the 502.
     */
    record TestRecord(String notifier, NotifierType type, String destination, String outcome, String deliveryId) {}

    private final Notifiers notifiers;
    private final NotifierTester tester;
    private final InputLimits limits;
    private final AuditLog audit;

    NotifiersResource(Notifiers notifiers, NotifierTester tester, InputLimits limits, AuditLog audit) {
        this.notifiers = notifiers;
        this.tester = tester;
        this.limits = limits;
        this.audit = audit;
    }

    @GET
    @Operation(summary = "The configured notifiers: name, type and destination (scheme://host:port or recipients)")
    public List<NotifierView> list() {
        return notifiers.all().stream().map(n -> new NotifierView(n.name(), n.type(), n.destination())).toList();
    }

    @POST
    @RolesAllowed(Role.Names.OPERATOR)
    @Path("/{name}/test")
    @Operation(summary = "Sends a test notification through one notifier now, bypassing the outbox")
    @APIResponse(responseCode = "200", description = "the receiver accepted the test notification")
    @APIResponse(responseCode = "502", description = "the receiver refused or could not be reached; detail says how",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public NotifierTester.Sent test(@PathParam("name") String rawName) {
        String name = Params.segment("notifier name", rawName, limits.values().nameLength());
        var notifier = notifiers.find(name)
                .orElseThrow(() -> ProblemException.notFound("no notifier named \"" + name + "\" is configured"));
        // The send stays outside any transaction (it waits on the receiver); a failed one is recorded
        // too, since something may still have reached the receiver.
        NotifierTester.Sent sent;
        try {
            sent = tester.send(notifier);
        } catch (DeliveryException e) {
            recordTest(new TestRecord(name, notifier.type(), notifier.destination(), "failed", null));
            throw new ProblemException(502, "Bad Gateway", "notifier \"" + name + "\": " + e.getMessage());
        }
        recordTest(new TestRecord(name, notifier.type(), notifier.destination(), "sent", sent.deliveryId()));
        return sent;
    }

    private void recordTest(TestRecord test) {
        QuarkusTransaction.joiningExisting().run(() -> audit.record("notifier.test", "notifier/" + test.notifier(), null, test));
    }
}
