-- Issue 19: each agent's listening sockets over time (its host's side of a port), and the host's
-- addresses, by which a check's probed address is known to be that host. Owner: inventory.ListeningRepository.

-- One row per socket while the agent lists it: appeared_at when first listed, gone_at when a later
-- inventory no longer does. A socket whose process changes (a restart) is a new row.
create table listening_socket (
    id          bigint generated always as identity primary key,
    agent_id    text not null references agent (id),
    proto       text not null check (proto in ('TCP', 'UDP')),
    -- the bound address as text: 4-byte ones dotted, 16-byte ones compressed (core IpText)
    address     text not null,
    port        integer not null check (port between 0 and 65535),
    uid         bigint not null,
    pid         bigint,
    command     text,
    appeared_at timestamptz not null,
    gone_at     timestamptz,
    check (gone_at is null or gone_at >= appeared_at)
);

create index listening_socket_open_idx on listening_socket (agent_id) where gone_at is null;
create index listening_socket_time_idx on listening_socket (agent_id, appeared_at);
create index listening_socket_gone_idx on listening_socket (agent_id, gone_at) where gone_at is not null;

-- The newest inventory's facts about the host itself.
create table listening_host (
    agent_id    text primary key references agent (id),
    addresses   text[] not null,
    observed_at timestamptz not null,
    truncated   boolean not null
);
