package io.portwatch.collector.rest;

/** RFC 9457 problem details, the body of every error response. */
public record Problem(String type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
