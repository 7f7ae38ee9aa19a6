-- Version 3: cheaper ingest writes; the same tables, columns and meanings.

-- Element-wise sum of two latency histograms of possibly different lengths, as before. Ingest
-- calls it for every rollup row a batch updates, so its cost is paid per result: a PL/pgSQL loop
-- over the shorter array is about 4 times faster here than V2's generate_series + array_agg.
create or replace function pw_hist_add(a integer[], b integer[]) returns integer[]
    language plpgsql immutable parallel safe as $$
declare
    na integer := coalesce(cardinality(a), 0);
    nb integer := coalesce(cardinality(b), 0);
    total integer[];
begin
    if na < nb then
        return pw_hist_add(b, a);
    end if;
    total := coalesce(a, '{}');
    for i in 1 .. nb loop
        total[i] := total[i] + b[i];
    end loop;
    return total;
end
$$;

-- Every batch rewrites the current state of each check it carries, and the rollup row of each
-- (check, hour) and (check, day). Free room on each page lets those updates be HOT: no new index
-- entries, since no indexed column changes. Applies to pages written from now on. New rollup
-- partitions get the same setting from PartitionManager (a partitioned parent cannot hold it).
alter table check_instance set (fillfactor = 50);

do $$
declare
    p regclass;
begin
    for p in select inhrelid::regclass from pg_inherits
             where inhparent in ('rollup_hourly'::regclass, 'rollup_daily'::regclass) loop
        execute format('alter table %s set (fillfactor = 70)', p);
    end loop;
end
$$;
