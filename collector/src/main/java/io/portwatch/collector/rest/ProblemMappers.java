package io.portwatch.collector.rest;

import io.quarkus.logging.Log;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error leaves the API as application/problem+json; unexpected ones are logged, not leaked.
 * The path they quote is the one the client sent, still percent-encoded: decoding it again can
 * fail (RESTEasy's UriInfo decodes "%25;" to "%;", then chokes on the lone "%"), and a mapper
 * must not throw.
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response problem(ProblemException e, HttpServerRequest request) {
        return respond(e.status(), e.title(), e.getMessage(), request);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpServerRequest request) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        String detail = status.getStatusCode() == 404 ? "no resource at " + request.path() : e.getMessage();
        return respond(status.getStatusCode(), status.getReasonPhrase(), detail, request);
    }

    /** Anything else, Errors included: a 500 problem, logged. Hostile input never gets here (HostileInputTest). */
    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        Log.errorf(e, "unexpected error serving %s", request.path());
        return respond(500, "Internal Server Error", "the collector failed to answer; see its log", request);
    }

    private static Response respond(int status, String title, String detail, HttpServerRequest request) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, request.path()))
                .build();
    }
}
