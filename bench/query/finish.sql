-- bench/query, step 3: the incidents those outages are (opened by the first unhealthy result,
-- closed by the first healthy one, as IncidentTracker derives them), and fresh statistics.
set timezone = 'UTC';

insert into incident (check_id, started_at, ended_at, state, reason, last_state, last_reason, samples)
select c, started, started + outage * interval '1 minute', s, r, s, r, outage
from bench_check
cross join lateral (select case when filtered then 'FILTERED' else 'CLOSED' end as s,
                           case when filtered then 'timeout' else 'refused' end as r) sr
cross join lateral generate_series(
    -- the first minute m >= start with (m + c * 37) % 4320 = 0
    to_timestamp(60 * ((ceil(extract(epoch from :'start'::timestamptz) / 60)::bigint
        + ((4320 - (ceil(extract(epoch from :'start'::timestamptz) / 60)::bigint + c * 37) % 4320) % 4320)))),
    :'end'::timestamptz - outage * interval '1 minute', interval '3 days') started;

drop table bench_check;
analyze rollup_hourly;
analyze rollup_daily;
analyze incident;
analyze check_instance;
