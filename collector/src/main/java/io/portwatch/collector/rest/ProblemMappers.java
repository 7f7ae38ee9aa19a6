package io.portwatch.collector.rest;

import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves the API as application/problem+json; unexpected ones are logged, not leaked. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.status(), e.title(), e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        String detail = status.getStatusCode() == 404 ? "no resource at " + uri.getPath() : e.getMessage();
        return respond(status.getStatusCode(), status.getReasonPhrase(), detail, uri);
    }

    /** Anything else, Errors included: a 500 problem, logged. Hostile input never gets here (HostileInputTest). */
    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        Log.errorf(e, "unexpected error serving %s", uri.getPath());
        return respond(500, "Internal Server Error", "the collector failed to answer; see its log", uri);
    }

    private static Response respond(int status, String title, String detail, UriInfo uri) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, uri.getPath()))
                .build();
    }
}
