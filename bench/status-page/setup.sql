-- bench/status-page: :instances check instances over :agents agents (five ports on each of
-- :instances / 5 targets), each with a current state, labels and 90 days of daily rollups (about
-- 17,280 results a day at a 5 s interval), a 3-minute incident every 9 days, staggered, and one
-- day in ten with a few unhealthy results. Run by run.sh through psql.
set timezone = 'UTC';

insert into agent (id, host, version, labels, config_hash, first_seen, last_seen, connected)
select 'bench-agent-' || a, 'bench-host-' || a, 'bench', '{"bench": "status-page"}', 'bench',
       now() - interval '91 days', now(), true
from generate_series(1, :agents) a;

insert into check_instance (agent_id, instance_key, check_name, target, proto, port, expect, interval_ms,
    timeout_ms, labels, state, reason, healthy, address, latency_micros, observed_at, state_since)
select 'bench-agent-' || (1 + (i - 1) % :agents), 'bench-' || port || '|' || target || '|tcp|' || port,
       'bench-' || port, target, 'TCP', port, 'OPEN', 5000, 1000,
       jsonb_build_object('env', case when i % 3 = 0 then 'prod' else 'staging' end, 'team', 'team-' || i % 7),
       case when i % 50 = 0 then 'CLOSED' else 'OPEN' end, case when i % 50 = 0 then 'refused' else 'connected' end,
       i % 50 <> 0, target, 500 + i % 900, now(), now() - (i % 1000) * interval '1 hour'
from (select i, '10.' || ((i - 1) / 5 / 250 / 250) || '.' || ((i - 1) / 5 / 250 % 250) || '.' || ((i - 1) / 5 % 250 + 1)
             as target, (array[22, 80, 443, 5432, 6379])[1 + (i - 1) % 5] as port
      from generate_series(1, :instances) i) t
order by i;

select format('create table if not exists %I partition of rollup_daily for values from (%L) to (%L)',
              'rollup_daily_p' || to_char(y, 'YYYY'), y, y + interval '1 year')
from (select distinct date_trunc('year', d) as y
      from generate_series(date_trunc('day', now()) - interval '90 days', now(), interval '1 day') d) years
\gexec

insert into rollup_daily (check_id, bucket, samples, healthy, open, closed, filtered, open_filtered, error, unknown,
    latency_count, latency_sum, latency_hist)
select c.id, d, 17280, 17280 - bad, 17280 - bad, bad, 0, 0, 0, 0, 17280, 17280 * 600, '{0,0,0,17280}'
from check_instance c
cross join generate_series(date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' - interval '89 days',
                           date_trunc('day', now() at time zone 'UTC') at time zone 'UTC', interval '1 day') d
cross join lateral (select case when (c.id + extract(doy from d)::int) % 10 = 0 then (c.id % 40) * 3 else 0 end as bad) b;

insert into incident (check_id, started_at, ended_at, state, reason, last_state, last_reason, samples)
select c.id, t, t + interval '3 minutes', 'CLOSED', 'refused', 'CLOSED', 'refused', 36
from check_instance c
cross join generate_series(now() - interval '89 days' + (c.id % 9) * interval '1 day', now() - interval '1 day',
                           interval '9 days') t;

analyze;
