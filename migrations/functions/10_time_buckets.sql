-- Hour and day buckets in UTC, whatever the session's TimeZone.

CREATE OR REPLACE FUNCTION perf_hour(p_ts timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT date_trunc('hour', p_ts, 'UTC') $$;
CREATE OR REPLACE FUNCTION perf_hour_ceil(p_ts timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN date_trunc('hour', p_ts, 'UTC') = p_ts THEN p_ts ELSE date_trunc('hour', p_ts, 'UTC') + interval '1 hour' END $$;
CREATE OR REPLACE FUNCTION perf_day(p_ts timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT date_trunc('day', p_ts, 'UTC') $$;
CREATE OR REPLACE FUNCTION perf_minute(p_ts timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT date_trunc('minute', p_ts, 'UTC') $$;
