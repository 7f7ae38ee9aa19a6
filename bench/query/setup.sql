-- bench/query, step 1: one agent, :instances check instances (ids 1..:instances) with a current
-- state, and the rollup partitions for [:'start', :'end'). Run by run.sh through psql.
set timezone = 'UTC';

insert into agent (id, host, version, labels, config_hash, first_seen, last_seen, connected)
values ('bench-agent', 'bench-host', 'bench', '{"bench": "query"}', 'bench', :'start', :'end', true);

-- Five ports on each of :instances / 5 targets; every instance has a current state (a real
-- deployment's list shows one for each). Only ids 1..:checks get results.
insert into check_instance (agent_id, instance_key, check_name, target, proto, port, expect, interval_ms,
    timeout_ms, labels, state, reason, healthy, address, latency_micros, observed_at, state_since)
select 'bench-agent', 'bench-' || port || '|' || target || '|TCP|' || port, 'bench-' || port, target, 'TCP', port,
    'OPEN', 60000, 2000, '{"team": "bench"}', 'OPEN', 'connected', true, target, 500, :'end', :'start'
from (select i, '10.0.' || ((i - 1) / 5 / 250) || '.' || ((i - 1) / 5 % 250 + 1) as target,
             (array[22, 80, 443, 5432, 6379])[1 + (i - 1) % 5] as port
      from generate_series(1, :instances) i) t
order by i;

-- What each check with results looks like: its address, how long its outages last (every 3
-- days, 1-7 minutes) and whether it then times out (FILTERED) or is refused (CLOSED).
create table bench_check as
select id as c, address, 1 + id % 7 as outage, id % 2 = 0 as filtered from check_instance where id <= :checks;

-- Rollup partitions (by month and by year) for the whole range; the result partitions come per day.
select format('create table if not exists %I partition of rollup_hourly for values from (%L) to (%L)',
              'rollup_hourly_p' || to_char(m, 'YYYYMM'), m, m + interval '1 month')
from (select distinct date_trunc('month', d) as m
      from generate_series(:'start'::timestamptz, :'end'::timestamptz, interval '1 day') d) months
\gexec
select format('create table if not exists %I partition of rollup_daily for values from (%L) to (%L)',
              'rollup_daily_p' || to_char(y, 'YYYY'), y, y + interval '1 year')
from (select distinct date_trunc('year', d) as y
      from generate_series(:'start'::timestamptz, :'end'::timestamptz, interval '1 day') d) years
\gexec
