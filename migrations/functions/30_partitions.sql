-- Creates the daily partitions [p_from, p_to] (UTC days, both inclusive) of p_table, or of
-- every managed table when p_table is NULL. Idempotent and safe to call concurrently: a
-- transaction-level advisory lock serializes creators. Returns how many were created.
CREATE OR REPLACE FUNCTION perf_create_partitions(p_from date, p_to date, p_table text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    t       text;
    d       date;
    part    text;
    created integer := 0;
BEGIN
    IF p_to < p_from THEN
        RAISE EXCEPTION 'perf_create_partitions: p_to (%) is before p_from (%)', p_to, p_from;
    END IF;
    IF p_to - p_from > 3660 THEN
        RAISE EXCEPTION 'perf_create_partitions: % days requested, at most 3660', p_to - p_from + 1;
    END IF;
    IF p_table IS NOT NULL AND NOT EXISTS (SELECT 1 FROM perf_partitioned_tables WHERE table_name = p_table) THEN
        RAISE EXCEPTION 'perf_create_partitions: % is not a managed partitioned table', p_table;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('otelcol-perf:partitions'));
    FOR t IN SELECT table_name FROM perf_partitioned_tables
             WHERE p_table IS NULL OR table_name = p_table ORDER BY table_name LOOP
        d := p_from;
        WHILE d <= p_to LOOP
            part := t || '_p' || to_char(d, 'YYYYMMDD');
            IF to_regclass(quote_ident(part)) IS NULL THEN
                EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                               part, t, d::text || ' 00:00:00+00', (d + 1)::text || ' 00:00:00+00');
                created := created + 1;
            END IF;
            d := d + 1;
        END LOOP;
    END LOOP;
    RETURN created;
END;
$$;

-- Drops the daily partitions of p_table whose whole day lies before p_now - p_retention.
-- Only partitions named <table>_pYYYYMMDD are touched. Returns the dropped partition names.
CREATE OR REPLACE FUNCTION perf_drop_expired_partitions(p_table text, p_retention interval,
                                             p_now timestamptz DEFAULT now())
RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
    cutoff timestamptz := p_now - p_retention;
    part   text;
    day    date;
BEGIN
    IF p_retention <= interval '0' THEN
        RAISE EXCEPTION 'perf_drop_expired_partitions: retention must be positive, got %', p_retention;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM perf_partitioned_tables WHERE table_name = p_table) THEN
        RAISE EXCEPTION 'perf_drop_expired_partitions: % is not a managed partitioned table', p_table;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('otelcol-perf:partitions'));
    FOR part IN
        SELECT c.relname FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = p_table::regclass
          AND c.relname ~ ('^' || p_table || '_p[0-9]{8}$')
        ORDER BY c.relname
    LOOP
        day := to_date(right(part, 8), 'YYYYMMDD');
        -- the partition holds [day, day+1) UTC; drop only when all of it is expired
        IF ((day + 1)::text || ' 00:00:00+00')::timestamptz <= cutoff THEN
            EXECUTE format('DROP TABLE %I', part);
            RETURN NEXT part;
        END IF;
    END LOOP;
END;
$$;
