package io.portwatch.collector.alert.notify;

/** Where an outbox row stands: waiting (first try or a retry), delivered (2xx), or given up. */
public enum OutboxStatus { PENDING, DELIVERED, FAILED }
