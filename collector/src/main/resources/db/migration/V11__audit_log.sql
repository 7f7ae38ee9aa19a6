-- Every write made through the REST API: who, how they authenticated, what, when, and the state
-- before and after (the API's views, which hold no secrets). Written in the write's own
-- transaction, so a change and its record commit together. Kept: rows are small and writes rare.
create table audit_log (
    id          bigserial   primary key,
    at          timestamptz not null,
    actor       text        not null,  -- the principal name, "anonymous" when none
    auth_method text        not null,  -- api-key, admin-env-key, oidc, anonymous, ...
    action      text        not null,  -- e.g. silence.create, alert-rule.update
    target      text        not null,  -- e.g. silence/42, alert-rule/web-down
    before      jsonb,
    after       jsonb
);

-- GET /api/v1/audit pages newest first on (at, id).
create index audit_log_at on audit_log (at desc, id desc);
create index audit_log_action_at on audit_log (action, at desc, id desc);
