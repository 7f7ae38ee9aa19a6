package io.portwatch.collector.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.portwatch.collector.history.InvalidCursorException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
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

    /** A paging cursor ({@code cursor}, {@code before}) the API never handed out. */
    @ServerExceptionMapper
    public Response invalidCursor(InvalidCursorException e, HttpServerRequest request) {
        return respond(400, "Bad Request", e.getMessage(), request);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpServerRequest request) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        String detail = status.getStatusCode() == 404 ? "no resource at " + request.path()
                : e.getCause() instanceof JsonProcessingException json ? unreadableDetail(json) : e.getMessage();
        return respond(status.getStatusCode(), status.getReasonPhrase(), detail, request);
    }

    /**
     * No credentials where a role is needed. With proactive authentication off
     * (quarkus.http.auth.proactive=false) security failures reach these mappers instead of ending
     * the exchange with an empty body, so 401 and 403 are problem+json like every other error.
     */
    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, HttpServerRequest request) {
        return challenge(respond(401, "Unauthorized", "this needs credentials: send Authorization: Bearer <API key>",
                request), "Bearer");
    }

    /** A credential was presented and refused: an unknown or revoked API key, an invalid token. */
    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, HttpServerRequest request) {
        return challenge(respond(401, "Unauthorized", "the credential was refused: unknown, revoked or invalid",
                request), "Bearer error=\"invalid_token\"");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return respond(403, "Forbidden", "the caller's role does not allow this (viewer reads; operator also manages"
                + " silences and tests notifiers; admin also manages rules and keys)", request);
    }

    /** Bean Validation of typed bodies and parameters: every violation, each named by its field. */
    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, HttpServerRequest request) {
        String detail = e.getConstraintViolations().stream().map(ProblemMappers::violation).sorted()
                .collect(Collectors.joining("; "));
        return respond(400, "Bad Request", detail, request);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e, HttpServerRequest request) {
        return respond(400, "Bad Request", unreadableDetail(e), request);
    }

    /** Jackson's first line, cut short: it may quote the body, which is the caller's own input. */
    private static String unreadableDetail(JsonProcessingException e) {
        String why = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
        return "the body is not valid JSON for this operation: " + why.substring(0, Math.min(200, why.length()));
    }

    /** "name: must not be blank": the path below the method and its parameter (create.body.name). */
    private static String violation(ConstraintViolation<?> v) {
        List<String> nodes = new ArrayList<>();
        for (Path.Node node : v.getPropertyPath()) {
            nodes.add(node.getName());
        }
        List<String> field = nodes.size() > 2 ? nodes.subList(2, nodes.size()) : nodes.subList(nodes.size() - 1, nodes.size());
        return String.join(".", field) + ": " + v.getMessage();
    }

    private static Response challenge(Response problem, String challenge) {
        return Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, challenge).build();
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
