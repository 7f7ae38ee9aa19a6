-- Version 5: the alert engine. Rules created through the API, alerts with their lifecycle, the
-- persisted state machine of every (rule, subject) so a restart neither re-fires nor forgets,
-- and silences.

-- Rules created through /api/v1/alert-rules; the rules file and the default rule are not stored.
create table alert_rule (
    name       text primary key,
    -- the rule as the API received it, in the rules-file keys (see AlertRule.document)
    definition jsonb not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create table alert (
    id          bigint generated always as identity primary key,
    rule_name   text not null,
    kind        text not null check (kind in ('PORT', 'EXPOSURE', 'NO_DATA', 'AGENT_DOWN')),
    -- what the alert is about: an instance key (PORT, EXPOSURE), agent|instance key (NO_DATA), an agent id
    subject     text not null,
    state       text not null check (state in ('PENDING', 'FIRING', 'RESOLVED')),
    severity    text not null,
    summary     text not null,
    labels      jsonb not null default '{}'::jsonb,
    channels    text[] not null default '{}',
    started_at  timestamptz not null,
    fired_at    timestamptz,
    ended_at    timestamptz,
    last_state  text,
    last_reason text,
    voters      text[] not null default '{}',
    flapping    boolean not null default false,
    flap_count  integer not null default 0,
    -- the last transition was muted by this silence instead of notified
    silenced    boolean not null default false,
    silence_id  bigint,
    updated_at  timestamptz not null
);

-- At most one open alert per rule, kind and subject.
create unique index alert_open_idx on alert (rule_name, kind, subject) where state <> 'RESOLVED';
create index alert_state_idx on alert (state, id desc);

-- The state machine of one rule applied to one subject (AlertStateMachine.Snapshot as JSON).
create table alert_subject (
    rule_name  text not null,
    subject    text not null,
    phase      text not null check (phase in ('OK', 'PENDING', 'FIRING')),
    voters     text[] not null,
    machine    jsonb not null,
    alert_id   bigint references alert (id) on delete set null,
    updated_at timestamptz not null,
    primary key (rule_name, subject)
);

create index alert_subject_voters_idx on alert_subject using gin (voters);
create index alert_subject_open_idx on alert_subject (rule_name) where phase <> 'OK';

create table silence (
    id         bigint generated always as identity primary key,
    -- the matchers as the API received them (rule, check, target, proto, port, agent, labels)
    matchers   jsonb not null,
    starts_at  timestamptz not null,
    ends_at    timestamptz not null,
    comment    text not null,
    created_by text not null,
    created_at timestamptz not null,
    check (ends_at > starts_at)
);

create index silence_ends_idx on silence (ends_at);

-- While its agent is down a check instance's state is UNKNOWN (the API derives it from this).
alter table check_instance add column unknown_since timestamptz;
-- When the instance entered the catalog: the start of "no data" for one that never reported.
alter table check_instance add column added_at timestamptz not null default now();
