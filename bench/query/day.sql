-- bench/query, step 2, once per day: the 1-minute results of checks 1..:checks in [:'lo', :'hi'),
-- loaded into a table of their own, indexed, then attached as partition :part of result (faster
-- than inserting through the partitioned index); then the hourly and daily rollups of that day,
-- summed from those rows exactly as the rollup upsert (uptime.RollupRepository) would.
set timezone = 'UTC';
set work_mem = '256MB';

drop table if exists :"part"; -- the collector created today's (empty) partition at startup
create table :"part" (like result including defaults);

-- Time-major, as agents deliver them. An outage recurs every 4,320 minutes (3 days) per check.
insert into :"part" (check_id, observed_at, state, reason, healthy, address, latency_micros, detail)
select c, t,
    case when down then (case when filtered then 'FILTERED' else 'CLOSED' end) else 'OPEN' end,
    case when down then (case when filtered then 'timeout' else 'refused' end) else 'connected' end,
    not down, address,
    case when down and filtered then 2000000
         else (:'latencies'::bigint[])[1 + (hashint8(c * 1000003 + m) & 15)] end,
    null
from (select t, (extract(epoch from t) / 60)::bigint as m
      from generate_series(:'lo'::timestamptz, :'hi'::timestamptz - interval '1 minute', interval '1 minute') t) tm
cross join bench_check
cross join lateral (select (m + c * 37) % 4320 < outage as down) o;

create index on :"part" (check_id, observed_at desc, id desc);
-- With this constraint in place ATTACH skips its validation scan.
alter table :"part" add constraint bench_bounds
    check (observed_at is not null and observed_at >= :'day' and observed_at < :'next');

-- Level 1: counts per check, hour, state, health and latency value; rollups sum these.
create temp table bench_l1 as
select check_id, date_trunc('hour', observed_at) as hour, state, healthy, latency_micros, count(*) as n
from :"part" group by 1, 2, 3, 4, 5;

insert into rollup_hourly (check_id, bucket, samples, healthy, open, closed, filtered, open_filtered, error,
    latency_count, latency_sum, latency_hist)
select check_id, hour, sum(n), coalesce(sum(n) filter (where healthy), 0),
    coalesce(sum(n) filter (where state = 'OPEN'), 0), coalesce(sum(n) filter (where state = 'CLOSED'), 0),
    coalesce(sum(n) filter (where state = 'FILTERED'), 0), coalesce(sum(n) filter (where state = 'OPEN_FILTERED'), 0),
    coalesce(sum(n) filter (where state = 'ERROR'), 0), coalesce(sum(n) filter (where answered), 0),
    coalesce(sum(n * latency_micros) filter (where answered), 0),
    -- trimmed after the highest bucket used, as LatencyHistogram.toArray stores it
    (:hist_array)[1:coalesce(max(b) filter (where answered) + 1, 0)]
from (select *, state in ('OPEN', 'CLOSED') as answered, :bucket_case as b from bench_l1) l
group by check_id, hour;

insert into rollup_daily (check_id, bucket, samples, healthy, open, closed, filtered, open_filtered, error,
    latency_count, latency_sum, latency_hist)
select check_id, date_trunc('day', hour), sum(n), coalesce(sum(n) filter (where healthy), 0),
    coalesce(sum(n) filter (where state = 'OPEN'), 0), coalesce(sum(n) filter (where state = 'CLOSED'), 0),
    coalesce(sum(n) filter (where state = 'FILTERED'), 0), coalesce(sum(n) filter (where state = 'OPEN_FILTERED'), 0),
    coalesce(sum(n) filter (where state = 'ERROR'), 0), coalesce(sum(n) filter (where answered), 0),
    coalesce(sum(n * latency_micros) filter (where answered), 0),
    (:hist_array)[1:coalesce(max(b) filter (where answered) + 1, 0)]
from (select *, state in ('OPEN', 'CLOSED') as answered, :bucket_case as b from bench_l1) l
group by check_id, date_trunc('day', hour);

alter table result attach partition :"part" for values from (:'day') to (:'next');
alter table :"part" drop constraint bench_bounds;
analyze :"part";
