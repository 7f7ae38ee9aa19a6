-- Version 9: per-agent ingest tokens (issue 15). An agent presents its token as gRPC
-- "authorization: Bearer pwa_…"; the collector keeps only the SHA-256 of it, so a copy of this
-- table does not let anyone send results. A token binds its streams to one agent id.
create table agent_token (
    id          bigserial primary key,
    agent_id    text not null,
    -- SHA-256 of the plaintext: the lookup key of every stream that presents a token.
    hash        bytea not null unique,
    -- The prefix and first characters, so that lists and logs can tell tokens apart.
    hint        text not null,
    created_at  timestamptz not null default now(),
    created_by  text,
    -- Set once revoked; the row stays so that lists and the audit log keep naming it.
    revoked_at  timestamptz
);

create index agent_token_agent on agent_token (agent_id, id);
