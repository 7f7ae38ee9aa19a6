-- Version 2: raw results partitioned by day, hourly and daily rollups (partitioned by month and
-- year), and incidents. Partitions are created ahead by the collector (PartitionMaintenance) and
-- on demand by ingest; retention drops whole partitions.

-- Element-wise sum of two latency histograms of possibly different lengths.
create function pw_hist_add(a integer[], b integer[]) returns integer[]
    language sql immutable parallel safe as $$
    select coalesce(array_agg(coalesce(a[i], 0) + coalesce(b[i], 0) order by i), '{}')
    from generate_series(1, greatest(coalesce(cardinality(a), 0), coalesce(cardinality(b), 0))) as i
$$;

-- Raw results: move the version 1 table into daily partitions.
alter table result rename to result_v1;
alter index result_check_time_idx rename to result_v1_check_time_idx;
alter table result_v1 rename constraint result_pkey to result_v1_pkey;

create sequence result_row_seq as bigint;

create table result (
    id             bigint not null default nextval('result_row_seq'),
    check_id       bigint not null,
    observed_at    timestamptz not null,
    state          text not null,
    reason         text not null,
    healthy        boolean not null,
    address        text,
    latency_micros bigint not null,
    detail         text
) partition by range (observed_at);

alter sequence result_row_seq owned by result.id;

-- Walks one check's history newest first, and serves the cursor (observed_at, id).
create index result_check_time_idx on result (check_id, observed_at desc, id desc);

do $$
declare
    d date;
begin
    for d in select distinct (observed_at at time zone 'UTC')::date from result_v1 loop
        execute format('create table %I partition of result for values from (%L) to (%L)',
                       'result_p' || to_char(d, 'YYYYMMDD'),
                       d::timestamp at time zone 'UTC', (d + 1)::timestamp at time zone 'UTC');
    end loop;
end
$$;

insert into result (id, check_id, observed_at, state, reason, healthy, address, latency_micros, detail)
select id, check_id, observed_at, state, reason, healthy, address, latency_micros, detail from result_v1;

select setval('result_row_seq', coalesce((select max(id) from result_v1), 0) + 1, false);

drop table result_v1;

-- Rollups: one row per check instance per hour (or day). Counts by state, healthy count, and a
-- latency histogram (fixed exponential buckets, see LatencyHistogram) of the samples where the
-- target answered (OPEN or CLOSED), so percentiles merge across any window.
create table rollup_hourly (
    check_id       bigint not null,
    bucket         timestamptz not null,
    samples        integer not null,
    healthy        integer not null,
    open           integer not null,
    closed         integer not null,
    filtered       integer not null,
    open_filtered  integer not null,
    error          integer not null,
    latency_count  integer not null,
    latency_sum    bigint not null,
    latency_hist   integer[] not null,
    primary key (check_id, bucket)
) partition by range (bucket);

create table rollup_daily (like rollup_hourly including all) partition by range (bucket);

-- Periods when a check instance was unhealthy, derived from results at ingest.
create table incident (
    id          bigint generated always as identity primary key,
    check_id    bigint not null references check_instance (id),
    started_at  timestamptz not null,
    ended_at    timestamptz,
    state       text not null,
    reason      text not null,
    last_state  text not null,
    last_reason text not null,
    samples     integer not null
);

create index incident_check_idx on incident (check_id, started_at desc);
-- At most one open incident per check instance.
create unique index incident_open_idx on incident (check_id) where ended_at is null;
