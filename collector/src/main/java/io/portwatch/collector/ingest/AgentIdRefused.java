package io.portwatch.collector.ingest;

/**
 * A Hello whose agent id the stream's credential may not send as (PERMISSION_DENIED); the message
 * names both ids. Nothing of the stream is stored.
 */
final class AgentIdRefused extends RuntimeException {

    AgentIdRefused(String message) {
        super(message, null, false, false);
    }
}
