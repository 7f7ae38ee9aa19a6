package io.portwatch.collector.statuspage;

import io.portwatch.collector.input.InputLimits;
import io.portwatch.collector.security.BrowserKeyCookie;
import io.portwatch.collector.security.Role;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The read-only status page at {@code /} (docs/status-page.md), rendered here with Qute; htmx
 * fetches {@code /status/content} again every {@code portwatch.status-page.refresh} and swaps it
 * in. It reads what the API reads, with the API's authentication: anonymous read, or a viewer key
 * in an Authorization header or in the {@link BrowserKeyCookie} the key form sets.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class StatusPageResource {

    /** No inline script or style, nothing from elsewhere; the page may not be framed. */
    static final String CSP = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(StatusView view, boolean keyCookie, String htmx);

        static native TemplateInstance content(StatusView view);

        static native TemplateInstance key(String message);
    }

    private final StatusPage statusPage;
    private final InputLimits limits;
    private final SecurityIdentity identity;

    StatusPageResource(StatusPage statusPage, InputLimits limits, SecurityIdentity identity) {
        this.statusPage = statusPage;
        this.limits = limits;
        this.identity = identity;
    }

    @GET
    @PermitAll
    @Operation(hidden = true)
    public Response page(@QueryParam("agent") String agent, @QueryParam("target") String target,
            @QueryParam("label") String label, @QueryParam("state") String state, @QueryParam("page") String page,
            @CookieParam(BrowserKeyCookie.NAME) String cookie) {
        // Authentication is lazy (quarkus.http.auth.proactive=false): the first use of the identity
        // authenticates, and a refused key fails there. The page answers it with the key form,
        // not with the API's problem+json: a browser shows the page's answer.
        try {
            if (!identity.hasRole(Role.Names.VIEWER)) {
                return identity.isAnonymous() ? keyForm(401, "This collector needs an API key to read.").build()
                        : keyForm(403, "Your identity has no viewer role.").build();
            }
        } catch (AuthenticationFailedException e) {
            return keyForm(401, "That key is not accepted (unknown or revoked). Enter a viewer key.")
                    .cookie(expired()).build();
        }
        StatusQuery q = StatusQuery.parse(agent, target, label, state, page, limits);
        return Response.ok(Templates.page(statusPage.build(q, Instant.now()), cookie != null, Htmx.PATH))
                .header("Content-Security-Policy", CSP).build();
    }

    @GET
    @Path(BrowserKeyCookie.CONTENT_PATH)
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(hidden = true)
    public Response content(@QueryParam("agent") String agent, @QueryParam("target") String target,
            @QueryParam("label") String label, @QueryParam("state") String state, @QueryParam("page") String page) {
        StatusQuery q = StatusQuery.parse(agent, target, label, state, page, limits);
        return Response.ok(Templates.content(statusPage.build(q, Instant.now()))).header("Cache-Control", "no-store").build();
    }

    /** The key form's submit: keeps the key in the page's cookie and goes back to the page, which checks it. */
    @POST
    @Path("status/session")
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response signIn(@FormParam("key") String key, @Context UriInfo uri) {
        String accepted = BrowserKeyCookie.acceptable(key);
        if (accepted == null) {
            return keyForm(400, "An API key starts with pwk_.").build();
        }
        return Response.seeOther(URI.create(BrowserKeyCookie.PAGE_PATH))
                .cookie(cookie(accepted, "https".equals(uri.getRequestUri().getScheme()), -1)).build();
    }

    /** Forgets the key: the cookie expires. */
    @POST
    @Path("status/session/end")
    @PermitAll
    @Operation(hidden = true)
    public Response signOut() {
        return Response.seeOther(URI.create(BrowserKeyCookie.PAGE_PATH)).cookie(expired()).build();
    }

    private static Response.ResponseBuilder keyForm(int status, String message) {
        return Response.status(status).entity(Templates.key(message)).header("Content-Security-Policy", CSP);
    }

    private static NewCookie expired() {
        return cookie("", false, 0);
    }

    private static NewCookie cookie(String value, boolean secure, int maxAge) {
        return new NewCookie.Builder(BrowserKeyCookie.NAME).value(value).path(BrowserKeyCookie.PAGE_PATH).httpOnly(true)
                .secure(secure).sameSite(NewCookie.SameSite.STRICT).maxAge(maxAge).build();
    }
}
