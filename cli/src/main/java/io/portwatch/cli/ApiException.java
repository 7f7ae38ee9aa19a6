package io.portwatch.cli;

/**
 * The collector answered with an error: its problem+json {@code title}, {@code status} and
 * {@code detail}, or, for an answer that is not a problem document (a proxy's page, a 414 from the
 * HTTP server), the status and the first line of the body. Exit code {@link Exit#API_ERROR}.
 */
final class ApiException extends RuntimeException {

    private final int status;

    ApiException(String request, int status, String title, String detail) {
        super(request + ": " + status + " " + Text.bound(title, 80)
                + (detail == null || detail.isBlank() ? "" : ": " + Text.bound(detail, Text.MESSAGE)));
        this.status = status;
    }

    int status() {
        return status;
    }
}
