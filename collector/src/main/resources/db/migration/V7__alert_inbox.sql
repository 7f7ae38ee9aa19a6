-- Result batches stored by a collector that is not the leader, kept for the leader's alert engine:
-- every replica ingests, only the leader evaluates, and it must hear of every agent's results.
-- Written in the ingest transaction, so a batch is stored and queued together or not at all;
-- the leader deletes what it takes (FOR UPDATE SKIP LOCKED).
create table alert_inbox (
    id          bigint generated always as identity primary key,
    agent_id    text        not null,
    received_at timestamptz not null,
    batch       bytea       not null   -- the portwatch.v1.ResultBatch as received
);
