-- Notification outbox: one row per (notification, channel), written in the alert engine's
-- transaction and delivered at least once by the leader's delivery worker.
-- alert_id is deliberately not a foreign key: the outbox outlives and ignores the alert schema.

create table notification_outbox (
    id               bigint generated always as identity primary key,
    -- the notification's dedupe key + '/' + channel: enqueuing it twice inserts nothing
    dedupe_key       text not null unique,
    alert_id         bigint not null,
    channel          text not null,
    event            text not null,
    -- the whole AlertNotification as JSON, so a retry sends exactly what was enqueued
    payload          jsonb not null,
    status           text not null default 'PENDING' check (status in ('PENDING', 'DELIVERED', 'FAILED')),
    attempts         integer not null default 0,
    last_error       text,
    created_at       timestamptz not null default now(),
    -- when PENDING: not before this (backoff, or the lease of a delivery in flight)
    next_attempt_at  timestamptz,
    delivered_at     timestamptz,
    failed_at        timestamptz
);

create index notification_outbox_due_idx on notification_outbox (next_attempt_at) where status = 'PENDING';
create index notification_outbox_status_idx on notification_outbox (status, id);
-- the newest delivered notification per alert and channel: which alerts Alertmanager must keep hearing about
create index notification_outbox_channel_alert_idx on notification_outbox (channel, alert_id, id);
