-- Version 12: UNKNOWN results (issue 16). A UDP silence that cannot be told from the target's ICMP
-- rate limit is stored as state 'UNKNOWN', reason 'icmp-rate-limited', and is neither healthy nor
-- unhealthy: its healthy is NULL.
--
-- result.state has no check constraint, so it takes 'UNKNOWN' as it is. check_instance.state keeps
-- its constraint without 'UNKNOWN' on purpose: a check's current state is its last KNOWN one, and an
-- UNKNOWN result never replaces it (CurrentStateWriter), so the constraint guards that rule.
alter table result alter column healthy drop not null;

-- Rollups count UNKNOWN results apart: samples and healthy count the known results only, so an
-- UNKNOWN result counts neither for nor against uptime. Existing rows had none.
alter table rollup_hourly add column unknown integer not null default 0;
alter table rollup_daily add column unknown integer not null default 0;
