-- Version 8: rollups and each check's newest result leave the ingest transaction.
--
-- An ingest transaction now stores raw results (COPY) and, for each block of result ids it used,
-- one rollup_backlog row. The rollup folder adds committed results to the hourly and daily rollups
-- later, in transactions of its own that delete the backlog rows of what they fold: a block is
-- folded exactly once, by whichever transaction deletes its backlog row. Reads stay exact: uptime
-- adds the raw results of blocks still in the backlog to what the rollups hold.

-- Result ids come in blocks of 2^20: an ingest transaction takes one nextval per 2^20 rows and
-- numbers its rows itself, so each block is a contiguous id range a backlog row can name. The
-- column default takes a whole block per row (rows inserted outside ingest, e.g. by bench/query):
-- wasteful, but it can never collide with a block in use, and 2^63 ids are 8.8·10^12 blocks.
create sequence result_block_seq as bigint increment by 1048576 minvalue 1048576;
select setval('result_block_seq',
              greatest(1048576, ((select last_value from result_row_seq) / 1048576 + 1) * 1048576), false);
alter table result alter column id set default nextval('result_block_seq');
drop sequence result_row_seq;

create table rollup_backlog (
    first_id     bigint primary key,
    row_count    integer not null check (row_count between 1 and 1048576),
    agent_id     text not null,
    -- The rows' observed_at range: partition pruning for the folder's recovery read, and the
    -- lower bound of the pending results an uptime read adds.
    min_observed timestamptz not null,
    max_observed timestamptz not null,
    stored_at    timestamptz not null default now()
);

-- Finds a block's rows when the folder must read them back (after a crash, or when another
-- replica folded part of what it held): rows are appended in id order, so BRIN ranges are tight
-- and cost almost nothing to maintain on the COPY path.
create index result_id_brin on result using brin (id) with (pages_per_range = 16, autosummarize = on);
