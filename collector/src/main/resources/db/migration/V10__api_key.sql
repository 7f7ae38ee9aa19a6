-- Version 10: API keys for the REST API (issue 15). A key is shown to its owner once; only its
-- SHA-256 hash is stored (the keys are 256 random bits, so a fast hash is enough), with a short
-- hint (prefix and first characters) so that lists can tell keys apart. Revoked keys stay, for
-- the audit trail, and no longer authenticate.
create table api_key (
    id           bigint generated always as identity primary key,
    name         text not null,
    role         text not null check (role in ('viewer', 'operator', 'admin')),
    hash         bytea not null unique,
    hint         text not null,
    created_at   timestamptz not null,
    created_by   text not null,
    -- Updated at most once a minute per key (see ApiKeyIdentityProvider), not on every request.
    last_used_at timestamptz,
    revoked_at   timestamptz
);
