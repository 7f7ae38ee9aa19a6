package io.portwatch.collector.history;

/**
 * A paging cursor this API did not hand out; the message names the parameter that carried it. The
 * REST layer answers it as a 400 problem (rest.ProblemMappers), so this package needs nothing of it.
 */
public class InvalidCursorException extends RuntimeException {

    public InvalidCursorException(String message) {
        super(message);
    }
}
