-- Portwatch collector schema, version 1: agents, their check instances with current state,
-- raw results, and the (agent, seq) ledger that makes ingest idempotent.

create table agent (
    id          text primary key,
    host        text not null,
    version     text not null,
    labels      jsonb not null default '{}'::jsonb,
    config_hash text,
    first_seen  timestamptz not null,
    last_seen   timestamptz not null,
    connected   boolean not null default false
);

create table check_instance (
    id             bigint generated always as identity primary key,
    agent_id       text not null references agent (id),
    instance_key   text not null,
    check_name     text not null,
    target         text not null,
    proto          text not null check (proto in ('TCP', 'UDP')),
    port           integer not null check (port between 0 and 65535),
    expect         text not null check (expect in ('OPEN', 'CLOSED')),
    interval_ms    integer,
    timeout_ms     integer,
    labels         jsonb not null default '{}'::jsonb,
    -- false once the agent's catalog no longer lists it; its history stays.
    in_catalog     boolean not null default true,
    -- current state: the newest result
    state          text check (state in ('OPEN', 'CLOSED', 'FILTERED', 'OPEN_FILTERED', 'ERROR')),
    reason         text,
    healthy        boolean,
    address        text,
    latency_micros bigint,
    observed_at    timestamptz,
    state_since    timestamptz,
    unique (agent_id, instance_key)
);

create index check_instance_target_idx on check_instance (target, port);

create table result (
    id             bigint generated always as identity,
    check_id       bigint not null references check_instance (id),
    observed_at    timestamptz not null,
    state          text not null,
    reason         text not null,
    healthy        boolean not null,
    address        text,
    latency_micros bigint not null,
    detail         text,
    primary key (id)
);

create index result_check_time_idx on result (check_id, observed_at desc, id desc);

-- One row per stored batch: a re-sent (agent, seq) is acknowledged but not stored twice.
create table ingested_batch (
    agent_id     text not null references agent (id),
    seq          bigint not null,
    received_at  timestamptz not null,
    result_count integer not null,
    primary key (agent_id, seq)
);
