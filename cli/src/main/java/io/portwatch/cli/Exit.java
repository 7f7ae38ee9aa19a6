package io.portwatch.cli;

/** The CLI's exit codes, for scripts; docs/cli.md lists them. */
final class Exit {

    /** Done; for status: every check healthy, no alert firing, no agent down. */
    static final int OK = 0;
    /** status: a check is unhealthy or unknown, an alert fires or an agent is down. */
    static final int NOT_HEALTHY = 1;
    /** The command line is wrong (picocli's usage exit code). */
    static final int USAGE = 2;
    /** The collector refused the request (problem+json: 400, 401, 403, 404, 409, 5xx). */
    static final int API_ERROR = 3;
    /** The collector could not be reached, or what answered is not the API. */
    static final int UNREACHABLE = 4;

    private Exit() {}
}
