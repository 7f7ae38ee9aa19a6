package io.portwatch.collector.alert.notify;

/** The kinds of channel a notifier can be; configured as {@code type=webhook|slack|email|alertmanager}. */
public enum NotifierType { WEBHOOK, SLACK, EMAIL, ALERTMANAGER }
