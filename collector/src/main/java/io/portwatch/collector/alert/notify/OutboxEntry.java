package io.portwatch.collector.alert.notify;

import java.time.Instant;

/** One row of the outbox as the API shows it. */
public record OutboxEntry(long id, String dedupeKey, long alertId, String channel, String event, OutboxStatus status,
        int attempts, String lastError, Instant createdAt, Instant nextAttemptAt, Instant deliveredAt, Instant failedAt) {}
