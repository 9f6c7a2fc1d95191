package rollup

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

func at(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }

func TestResolveMinutes(t *testing.T) {
	w := Resolve(at("2026-03-09T10:30:20Z"), at("2026-03-09T11:30:20Z"), time.Time{})
	if !w.From.Equal(at("2026-03-09T10:30:00Z")) || !w.To.Equal(at("2026-03-09T11:31:00Z")) {
		t.Errorf("got [%s, %s)", w.From, w.To)
	}
	// an edge before the minute rollups' horizon is rounded out to its hour
	w = Resolve(at("2026-03-01T10:30:20Z"), at("2026-03-09T11:30:20Z"), at("2026-03-08T00:00:00Z"))
	if !w.From.Equal(at("2026-03-01T10:00:00Z")) || !w.To.Equal(at("2026-03-09T11:31:00Z")) {
		t.Errorf("got [%s, %s)", w.From, w.To)
	}
	if p := w.Prev(); p.From.Minute() != 0 || !p.To.Equal(w.From) {
		t.Errorf("prev [%s, %s) of an old window must be whole hours", p.From, p.To)
	}
}

func TestSplitWindowMinuteEdges(t *testing.T) {
	through := at("2026-03-10T00:00:00Z")
	// 90 minutes: minute rows at both edges, the whole hour between from the hourly rows
	s := SplitWindow(Window{From: at("2026-03-09T10:30:00Z"), To: at("2026-03-09T12:00:00Z")}, &through)
	if want := (DaySplit{From: at("2026-03-09T10:30:00Z"), H1: at("2026-03-09T11:00:00Z"), D1: at("2026-03-09T12:00:00Z"),
		D2: at("2026-03-09T12:00:00Z"), H2: at("2026-03-09T12:00:00Z"), To: at("2026-03-09T12:00:00Z")}); s != want {
		t.Errorf("got %+v, want %+v", s, want)
	}
	s = SplitWindow(Window{From: at("2026-03-09T10:15:00Z"), To: at("2026-03-09T11:45:00Z")}, &through)
	if !s.H1.Equal(at("2026-03-09T11:00:00Z")) || !s.H2.Equal(at("2026-03-09T11:00:00Z")) {
		t.Errorf("90 min across one hour boundary: %+v", s)
	}
	// inside one hour: minute rows only
	s = SplitWindow(Window{From: at("2026-03-09T10:10:00Z"), To: at("2026-03-09T10:50:00Z")}, &through)
	if !s.H1.Equal(s.To) || !s.H2.Equal(s.To) || !s.D1.Equal(s.To) {
		t.Errorf("inside one hour: %+v", s)
	}
	// days, hours and minutes
	s = SplitWindow(Window{From: at("2026-03-01T05:20:00Z"), To: at("2026-03-09T13:10:00Z")}, &through)
	if want := (DaySplit{From: at("2026-03-01T05:20:00Z"), H1: at("2026-03-01T06:00:00Z"), D1: at("2026-03-02T00:00:00Z"),
		D2: at("2026-03-09T00:00:00Z"), H2: at("2026-03-09T13:00:00Z"), To: at("2026-03-09T13:10:00Z")}); s != want {
		t.Errorf("got %+v, want %+v", s, want)
	}
}

// Spans at 10:10, 10:29, 10:59 and 11:01 with now = 11:30: the last 60 minutes hold the last
// two (the window of whole clock hours held all four), and the rate divides by what the
// window covers.
func TestLastHourIsSixtyMinutes(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	ctx := context.Background()
	h := time.Now().UTC().Truncate(time.Hour).Add(-3 * time.Hour)
	now := h.Add(90 * time.Minute) // "11:30" with h = "10:00"
	perfdbtest.Exec(t, pool, "SELECT perf_create_partitions($1::date, $2::date)", h.Add(-24*time.Hour).Format(time.DateOnly), now.Format(time.DateOnly))
	tid := perfdbtest.Scalar[int32](t, pool, "INSERT INTO perf_tenants(name) VALUES ('acme') RETURNING tenant_id")
	svc := perfdbtest.Scalar[int32](t, pool, "INSERT INTO perf_services(tenant_id, name) VALUES ($1, 'api') RETURNING service_id", tid)
	ep := perfdbtest.Scalar[int32](t, pool, "INSERT INTO perf_endpoints(tenant_id, service_id, span_kind, method, route) VALUES ($1, $2, 'server', 'GET', '/x') RETURNING endpoint_id", tid, svc)
	for i, m := range []int{10, 29, 59, 61} {
		perfdbtest.Exec(t, pool, `INSERT INTO api_performance_log VALUES ($1, $2, gen_random_uuid(), $3, $4, $5, -1, -1, 200, $6, false)`,
			h.Add(time.Duration(m)*time.Minute), i+1, svc, ep, 1000*(i+1), tid)
	}
	for _, hr := range []time.Time{h, h.Add(time.Hour)} {
		perfdbtest.Exec(t, pool, "SELECT perf_refresh_hour($1, $2)", tid, hr)
	}
	st := &Store{Pool: pool}
	w := Resolve(now.Add(-time.Hour), now, time.Time{})
	if w.To.Sub(w.From) != time.Hour {
		t.Fatalf("window %s", w.To.Sub(w.From))
	}
	var s []Summary
	if err := st.Read(ctx, "acme", func(tx pgx.Tx, tid int32) (err error) {
		s, err = Summaries(ctx, tx, tid, 500, now, nil, w)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if s[0].Requests != 2 {
		t.Errorf("requests in the last 60 minutes: %d, want 2", s[0].Requests)
	}
	if want := 2.0 / 3600; s[0].RPS == nil || math.Abs(*s[0].RPS-want) > 1e-12 {
		t.Errorf("requests per second %v, want %v (2 over 60 minutes)", s[0].RPS, want)
	}
	// the quantiles of the two durations (3 ms, 4 ms) stay within them
	if s[0].P99 == nil || *s[0].P99 > 4 {
		t.Errorf("p99 %v ms above the max 4 ms", s[0].P99)
	}
	// the SQL reader agrees
	if n := perfdbtest.Scalar[int64](t, pool, "SELECT coalesce(sum(requests), 0)::bigint FROM perf_endpoint_range($1, $2, $3)", tid, w.From, w.To); n != 2 {
		t.Errorf("perf_endpoint_range: %d, want 2", n)
	}
}

func TestMinuteRollupRetention(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	now := time.Now().UTC().Truncate(time.Minute)
	tid := perfdbtest.Scalar[int32](t, pool, "INSERT INTO perf_tenants(name) VALUES ('acme') RETURNING tenant_id")
	for _, age := range []time.Duration{49 * time.Hour, 47 * time.Hour} {
		perfdbtest.Exec(t, pool, `INSERT INTO perf_endpoint_minutely (tenant_id, bucket, endpoint_id, service_id, requests, errors, status_4xx, status_5xx,
			sum_us, max_us, min_us, req_bytes_sum, req_bytes_n, resp_bytes_sum, resp_bytes_n, lat_idx, lat_cnt, err_idx, err_cnt)
			VALUES ($1, $2, 1, 1, 1, 0, 0, 0, 5, 5, 5, 0, 0, 0, 0, '{82}', '{1}', '{}', '{}')`, tid, now.Add(-age))
	}
	for _, age := range []time.Duration{49 * time.Hour, 47 * time.Hour} {
		perfdbtest.Exec(t, pool, `INSERT INTO perf_service_minutely VALUES ($1, $2, 1, 1, 0, 0, 0, 5, 5, 5, '{82}', '{1}', '{}', '{}',
			0, 0, 0, 0, 0, NULL, '{}', '{}')`, tid, now.Add(-age))
	}
	perfdbtest.Exec(t, pool, "SELECT perf_drop_expired_rollups('2160 hours', '9600 hours', $1, '48 hours')", now)
	for _, tbl := range []string{"perf_endpoint_minutely", "perf_service_minutely"} {
		if n := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM "+tbl); n != 1 {
			t.Errorf("%s: %d minute rows left, want 1 (the one of 47h ago)", tbl, n)
		}
	}
}

// The refresh groups the raw rows of an hour both by minute and by hour in one pass: the
// minute rows of every endpoint and query group, merged, must be exactly its hour row
// (counts, sums, min, max and histogram), or a range would answer differently depending on
// where its edges fall. DB spans without an endpoint are attributed to their request's.
func TestMinuteRowsMergeToTheirHour(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	h := time.Now().UTC().Truncate(time.Hour).Add(-3 * time.Hour)
	perfdbtest.Exec(t, pool, "SELECT perf_create_partitions($1::date, $2::date)", h.Add(-24*time.Hour).Format(time.DateOnly), h.Add(24*time.Hour).Format(time.DateOnly))
	tid := perfdbtest.Scalar[int32](t, pool, "INSERT INTO perf_tenants(name) VALUES ('acme') RETURNING tenant_id")
	svc := perfdbtest.Scalar[int32](t, pool, "INSERT INTO perf_services(tenant_id, name) VALUES ($1, 'api') RETURNING service_id", tid)
	var eps []int32
	for _, r := range []string{"/a", "/b", "/c"} {
		eps = append(eps, perfdbtest.Scalar[int32](t, pool, "INSERT INTO perf_endpoints(tenant_id, service_id, span_kind, method, route) VALUES ($1, $2, 'server', 'GET', $3) RETURNING endpoint_id", tid, svc, r))
	}
	// 3000 requests over the hour (durations spread over many buckets, some errors, 4xx/5xx,
	// sizes sometimes unreported), each with one DB span, half of them without endpoint
	perfdbtest.Exec(t, pool, `INSERT INTO api_performance_log
		SELECT $1::timestamptz + (g * 1.2) * interval '1 second', g, md5(g::text)::uuid, $2, ($3::int[])[1 + g % 3],
		       50 + (g * 7919) % 200000, CASE WHEN g % 5 = 0 THEN -1 ELSE g % 900 END, CASE WHEN g % 7 = 0 THEN -1 ELSE g % 500 END,
		       CASE WHEN g % 11 = 0 THEN 404 WHEN g % 13 = 0 THEN 503 ELSE 200 END, $4, g % 13 = 0
		FROM generate_series(0, 2999) g`, h, svc, eps, tid)
	perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
		SELECT ts + interval '1 microsecond', 1 + span_id % 4, span_id + 100000, span_id, trace_id, service_id,
		       CASE WHEN span_id % 2 = 0 THEN endpoint_id ELSE 0 END, 1, greatest(1, duration_us / 3),
		       CASE WHEN span_id % 3 = 0 THEN -1 ELSE span_id % 50 END, tenant_id, span_id % 17 = 0
		FROM api_performance_log WHERE tenant_id = $1`, tid)
	perfdbtest.Exec(t, pool, "SELECT perf_refresh_hour($1, $2)", tid, h)

	if n := perfdbtest.Scalar[int64](t, pool, "SELECT count(DISTINCT bucket) FROM perf_endpoint_minutely WHERE tenant_id = $1", tid); n != 60 {
		t.Fatalf("endpoint minute rows span %d minutes, want 60", n)
	}
	mismatch := func(name, sql string) {
		t.Helper()
		if n := perfdbtest.Scalar[int64](t, pool, sql, tid, h); n != 0 {
			t.Errorf("%s: %d rows differ between the merged minute rows and the hour rows", name, n)
		}
	}
	mismatch("endpoints", `
		WITH m AS (SELECT * FROM perf_endpoint_minutely WHERE tenant_id = $1 AND bucket >= $2 AND bucket < $2 + interval '1 hour'),
		s AS (SELECT endpoint_id, max(service_id) service_id, sum(requests)::bigint requests, sum(errors)::bigint errors,
		             sum(status_4xx)::bigint s4, sum(status_5xx)::bigint s5, sum(sum_us)::bigint sum_us, max(max_us) max_us, min(min_us) min_us,
		             sum(req_bytes_sum)::bigint rqs, sum(req_bytes_n)::bigint rqn, sum(resp_bytes_sum)::bigint rss, sum(resp_bytes_n)::bigint rsn
		        FROM m GROUP BY endpoint_id),
		l AS (SELECT endpoint_id, array_agg(i ORDER BY i) idx, array_agg(c ORDER BY i) cnt
		        FROM (SELECT endpoint_id, u.i, sum(u.c)::bigint c FROM m, unnest(lat_idx, lat_cnt) u(i, c) GROUP BY 1, 2) x GROUP BY 1),
		e AS (SELECT endpoint_id, array_agg(i ORDER BY i) idx, array_agg(c ORDER BY i) cnt
		        FROM (SELECT endpoint_id, u.i, sum(u.c)::bigint c FROM m, unnest(err_idx, err_cnt) u(i, c) GROUP BY 1, 2) x GROUP BY 1),
		merged AS (SELECT s.*, l.idx, l.cnt, coalesce(e.idx, '{}') eidx, coalesce(e.cnt, '{}') ecnt
		             FROM s JOIN l USING (endpoint_id) LEFT JOIN e USING (endpoint_id)),
		hour AS (SELECT endpoint_id, service_id, requests, errors, status_4xx, status_5xx, sum_us, max_us, min_us,
		                req_bytes_sum, req_bytes_n, resp_bytes_sum, resp_bytes_n, lat_idx, lat_cnt, err_idx, err_cnt
		           FROM perf_endpoint_hourly WHERE tenant_id = $1 AND bucket = $2)
		SELECT count(*) FROM ((SELECT * FROM merged EXCEPT ALL SELECT * FROM hour) UNION ALL (SELECT * FROM hour EXCEPT ALL SELECT * FROM merged)) d`)
	mismatch("queries", `
		WITH m AS (SELECT * FROM perf_query_minutely WHERE tenant_id = $1 AND bucket >= $2 AND bucket < $2 + interval '1 hour'),
		s AS (SELECT fingerprint, endpoint_id, service_id, sum(calls)::bigint calls, sum(errors)::bigint errors, sum(slow_calls)::bigint slow,
		             sum(sum_us)::bigint sum_us, max(max_us) max_us, min(min_us) min_us, sum(rows_sum)::bigint rs, sum(rows_n)::bigint rn
		        FROM m GROUP BY 1, 2, 3),
		l AS (SELECT fingerprint, endpoint_id, service_id, array_agg(i ORDER BY i) idx, array_agg(c ORDER BY i) cnt
		        FROM (SELECT fingerprint, endpoint_id, service_id, u.i, sum(u.c)::bigint c FROM m, unnest(lat_idx, lat_cnt) u(i, c) GROUP BY 1, 2, 3, 4) x
		       GROUP BY 1, 2, 3),
		merged AS (SELECT s.*, l.idx, l.cnt FROM s JOIN l USING (fingerprint, endpoint_id, service_id)),
		hour AS (SELECT fingerprint, endpoint_id, service_id, calls, errors, slow_calls, sum_us, max_us, min_us, rows_sum, rows_n, lat_idx, lat_cnt
		           FROM perf_query_hourly WHERE tenant_id = $1 AND bucket = $2)
		SELECT count(*) FROM ((SELECT * FROM merged EXCEPT ALL SELECT * FROM hour) UNION ALL (SELECT * FROM hour EXCEPT ALL SELECT * FROM merged)) d`)
	// the per-service minute rows (what Summaries reads of a range's edges), merged over the
	// hour, must be the service's endpoint and query hour rows summed: an edge read from them
	// answers as the hour rows would
	if n := perfdbtest.Scalar[int64](t, pool, "SELECT count(DISTINCT bucket) FROM perf_service_minutely WHERE tenant_id = $1", tid); n != 60 {
		t.Fatalf("service minute rows span %d minutes, want 60", n)
	}
	mismatch("services", `
		WITH m AS (SELECT * FROM perf_service_minutely WHERE tenant_id = $1 AND bucket >= $2 AND bucket < $2 + interval '1 hour'),
		merged AS (
		  SELECT service_id, sum(requests)::bigint, sum(errors)::bigint, sum(status_4xx)::bigint, sum(status_5xx)::bigint,
		         sum(sum_us)::bigint, max(max_us), min(min_us),
		         sum(q_calls)::bigint, sum(q_errors)::bigint, sum(q_slow)::bigint, sum(q_sum_us)::bigint, max(q_max_us), min(q_min_us),
		         (SELECT x.idx FROM perf_hist_sum(perf_array_cat(lat_idx), perf_array_cat(lat_cnt)) x),
		         (SELECT x.cnt FROM perf_hist_sum(perf_array_cat(lat_idx), perf_array_cat(lat_cnt)) x),
		         (SELECT coalesce(x.idx, '{}') FROM perf_hist_sum(perf_array_cat(err_idx), perf_array_cat(err_cnt)) x),
		         (SELECT coalesce(x.cnt, '{}') FROM perf_hist_sum(perf_array_cat(err_idx), perf_array_cat(err_cnt)) x),
		         (SELECT x.idx FROM perf_hist_sum(perf_array_cat(q_idx), perf_array_cat(q_cnt)) x),
		         (SELECT x.cnt FROM perf_hist_sum(perf_array_cat(q_idx), perf_array_cat(q_cnt)) x)
		  FROM m GROUP BY service_id),
		e AS (SELECT * FROM perf_endpoint_hourly WHERE tenant_id = $1 AND bucket = $2),
		q AS (SELECT * FROM perf_query_hourly WHERE tenant_id = $1 AND bucket = $2),
		es AS (SELECT service_id, sum(requests)::bigint r, sum(errors)::bigint e, sum(status_4xx)::bigint s4, sum(status_5xx)::bigint s5,
		              sum(sum_us)::bigint su, max(max_us) mx, min(min_us) mn,
		              perf_array_cat(lat_idx) li, perf_array_cat(lat_cnt) lc, perf_array_cat(err_idx) ei, perf_array_cat(err_cnt) ec
		         FROM e GROUP BY 1),
		qs AS (SELECT service_id, sum(calls)::bigint c, sum(errors)::bigint e, sum(slow_calls)::bigint s, sum(sum_us)::bigint su,
		              max(max_us) mx, min(min_us) mn, perf_array_cat(lat_idx) li, perf_array_cat(lat_cnt) lc
		         FROM q GROUP BY 1),
		hour AS (
		  SELECT es.service_id, es.r, es.e, es.s4, es.s5, es.su, es.mx, es.mn, qs.c, qs.e, qs.s, qs.su, qs.mx, qs.mn,
		         (SELECT x.idx FROM perf_hist_sum(es.li, es.lc) x), (SELECT x.cnt FROM perf_hist_sum(es.li, es.lc) x),
		         (SELECT coalesce(x.idx, '{}') FROM perf_hist_sum(es.ei, es.ec) x), (SELECT coalesce(x.cnt, '{}') FROM perf_hist_sum(es.ei, es.ec) x),
		         (SELECT x.idx FROM perf_hist_sum(qs.li, qs.lc) x), (SELECT x.cnt FROM perf_hist_sum(qs.li, qs.lc) x)
		  FROM es JOIN qs USING (service_id))
		SELECT count(*) FROM ((SELECT * FROM merged EXCEPT ALL SELECT * FROM hour) UNION ALL (SELECT * FROM hour EXCEPT ALL SELECT * FROM merged)) d`)
	// and minute by minute, its totals are those of the endpoint and query minute rows
	mismatch("service minutes", `
		WITH s AS (SELECT bucket, sum(requests)::bigint r, sum(errors)::bigint e, sum(sum_us)::bigint su, max(max_us) mx,
		                  sum(q_calls)::bigint c, sum(q_slow)::bigint sl, sum(q_sum_us)::bigint qsu
		             FROM perf_service_minutely WHERE tenant_id = $1 AND bucket >= $2 AND bucket < $2 + interval '1 hour' GROUP BY 1),
		m AS (SELECT e.bucket, e.r, e.e, e.su, e.mx, q.c, q.sl, q.qsu
		        FROM (SELECT bucket, sum(requests)::bigint r, sum(errors)::bigint e, sum(sum_us)::bigint su, max(max_us) mx
		                FROM perf_endpoint_minutely WHERE tenant_id = $1 AND bucket >= $2 AND bucket < $2 + interval '1 hour' GROUP BY 1) e
		        JOIN (SELECT bucket, sum(calls)::bigint c, sum(slow_calls)::bigint sl, sum(sum_us)::bigint qsu
		                FROM perf_query_minutely WHERE tenant_id = $1 AND bucket >= $2 AND bucket < $2 + interval '1 hour' GROUP BY 1) q USING (bucket))
		SELECT count(*) FROM ((SELECT * FROM s EXCEPT ALL SELECT * FROM m) UNION ALL (SELECT * FROM m EXCEPT ALL SELECT * FROM s)) d`)
	// endpointMetrics reads the edge minute rows' packed histogram
	if n := perfdbtest.Scalar[int64](t, pool, `SELECT count(*) FROM perf_endpoint_minutely
		WHERE tenant_id = $1 AND (lat_pack IS NULL OR lat_pack <> perf_hist_pack(lat_idx, lat_cnt))`, tid); n != 0 {
		t.Errorf("%d endpoint minute rows without their packed histogram", n)
	}
	// the hour row is counted from the raw rows: its totals are those of the raw rows
	if n := perfdbtest.Scalar[int64](t, pool, "SELECT sum(requests)::bigint FROM perf_endpoint_hourly WHERE tenant_id = $1 AND bucket = $2", tid, h); n != 3000 {
		t.Errorf("hour requests %d, want 3000", n)
	}
	if n := perfdbtest.Scalar[int64](t, pool, "SELECT sum(calls)::bigint FROM perf_query_hourly WHERE tenant_id = $1 AND bucket = $2 AND endpoint_id <> 0", tid, h); n != 3000 {
		t.Errorf("attributed query calls %d, want 3000", n)
	}

	// with the minute retention given, an hour wholly older gets the same hour rows and no
	// minute rows; one with minutes within it gets all of its minutes
	hourRows := `SELECT (SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM perf_endpoint_hourly x WHERE tenant_id = $1)
		|| (SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM perf_query_hourly x WHERE tenant_id = $1)`
	minutes := `SELECT (SELECT count(DISTINCT bucket) FROM perf_endpoint_minutely WHERE tenant_id = $1)
		+ (SELECT count(DISTINCT bucket) FROM perf_query_minutely WHERE tenant_id = $1)
		+ (SELECT count(DISTINCT bucket) FROM perf_service_minutely WHERE tenant_id = $1)`
	want := perfdbtest.Scalar[string](t, pool, hourRows, tid)
	perfdbtest.Exec(t, pool, "SELECT perf_refresh_hour($1, $2, '2 hours')", tid, h) // h ended 2 hours before this hour
	if n := perfdbtest.Scalar[int64](t, pool, minutes, tid); n != 0 {
		t.Errorf("an hour past the minute retention has %d minute buckets, want none", n)
	}
	if got := perfdbtest.Scalar[string](t, pool, hourRows, tid); got != want {
		t.Error("the hour rows changed when its minute rows were not built")
	}
	perfdbtest.Exec(t, pool, "SELECT perf_refresh_hour($1, $2, '3 hours 30 minutes')", tid, h)
	if n := perfdbtest.Scalar[int64](t, pool, minutes, tid); n != 180 {
		t.Errorf("an hour within the minute retention has %d endpoint + query + service minute buckets, want 180", n)
	}

	// the refresh writes only the hour and minute rows that changed: none when
	// nothing did, and rows changed, added or deleted since are put back as counted
	versions := `SELECT (SELECT string_agg(xmin::text, ',' ORDER BY endpoint_id) FROM perf_endpoint_hourly WHERE tenant_id = $1)
		|| '/' || (SELECT string_agg(xmin::text, ',' ORDER BY fingerprint, endpoint_id, service_id) FROM perf_query_hourly WHERE tenant_id = $1)
		|| '/' || (SELECT string_agg(xmin::text, ',' ORDER BY bucket, endpoint_id) FROM perf_endpoint_minutely WHERE tenant_id = $1)
		|| '/' || (SELECT string_agg(xmin::text, ',' ORDER BY bucket, fingerprint, endpoint_id, service_id) FROM perf_query_minutely WHERE tenant_id = $1)
		|| '/' || (SELECT string_agg(xmin::text, ',' ORDER BY bucket, service_id) FROM perf_service_minutely WHERE tenant_id = $1)`
	minuteRows := `SELECT (SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM perf_endpoint_minutely x WHERE tenant_id = $1)
		|| (SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM perf_query_minutely x WHERE tenant_id = $1)
		|| (SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM perf_service_minutely x WHERE tenant_id = $1)`
	wantMinutes := perfdbtest.Scalar[string](t, pool, minuteRows, tid)
	before := perfdbtest.Scalar[string](t, pool, versions, tid)
	perfdbtest.Exec(t, pool, "SELECT perf_refresh_hour($1, $2)", tid, h)
	if got := perfdbtest.Scalar[string](t, pool, versions, tid); got != before {
		t.Error("a refresh of an unchanged hour rewrote hour or minute rows")
	}
	perfdbtest.Exec(t, pool, `UPDATE perf_endpoint_minutely SET requests = requests + 1, lat_idx = '{1}', lat_cnt = '{9}'
		WHERE tenant_id = $1 AND bucket = $2::timestamptz + interval '7 minutes'`, tid, h)
	perfdbtest.Exec(t, pool, "DELETE FROM perf_endpoint_minutely WHERE tenant_id = $1 AND bucket = $2::timestamptz + interval '8 minutes' AND endpoint_id = $3", tid, h, eps[1])
	perfdbtest.Exec(t, pool, `INSERT INTO perf_endpoint_minutely (tenant_id, bucket, endpoint_id, service_id, requests, errors, status_4xx, status_5xx,
		sum_us, max_us, min_us, req_bytes_sum, req_bytes_n, resp_bytes_sum, resp_bytes_n, lat_idx, lat_cnt, err_idx, err_cnt)
		VALUES ($1, $2::timestamptz + interval '9 minutes', 999999, $3, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, '{1}', '{1}', '{}', '{}')`, tid, h, svc)
	perfdbtest.Exec(t, pool, `UPDATE perf_query_minutely SET calls = calls + 1 WHERE tenant_id = $1 AND bucket = $2::timestamptz + interval '7 minutes' AND fingerprint = 2`, tid, h)
	perfdbtest.Exec(t, pool, `DELETE FROM perf_query_minutely WHERE tenant_id = $1 AND bucket = $2::timestamptz + interval '8 minutes' AND fingerprint = 3`, tid, h)
	// a service minute: its request half changed, its query half changed, gone, and one not counted
	perfdbtest.Exec(t, pool, `UPDATE perf_service_minutely SET requests = requests + 1, lat_idx = '{1}', lat_cnt = '{9}'
		WHERE tenant_id = $1 AND bucket = $2::timestamptz + interval '10 minutes'`, tid, h)
	perfdbtest.Exec(t, pool, `UPDATE perf_service_minutely SET q_calls = q_calls + 1, q_max_us = 1
		WHERE tenant_id = $1 AND bucket = $2::timestamptz + interval '11 minutes'`, tid, h)
	perfdbtest.Exec(t, pool, `DELETE FROM perf_service_minutely WHERE tenant_id = $1 AND bucket = $2::timestamptz + interval '12 minutes'`, tid, h)
	perfdbtest.Exec(t, pool, `INSERT INTO perf_service_minutely SELECT tenant_id, bucket, service_id + 1000, requests, errors, status_4xx, status_5xx,
		sum_us, max_us, min_us, lat_idx, lat_cnt, err_idx, err_cnt, q_calls, q_errors, q_slow, q_sum_us, q_max_us, q_min_us, q_idx, q_cnt
		FROM perf_service_minutely WHERE tenant_id = $1 AND bucket = $2::timestamptz + interval '13 minutes'`, tid, h)
	perfdbtest.Exec(t, pool, `UPDATE perf_query_hourly SET calls = calls + 1, lat_idx = '{1}', lat_cnt = '{9}'
		WHERE tenant_id = $1 AND fingerprint = 1 AND endpoint_id = $2`, tid, eps[0])
	perfdbtest.Exec(t, pool, `INSERT INTO perf_query_hourly (tenant_id, bucket, fingerprint, endpoint_id, service_id, calls, errors, slow_calls,
		sum_us, max_us, min_us, rows_sum, rows_n, lat_idx, lat_cnt) VALUES ($1, $2, 99, 0, $3, 1, 0, 0, 1, 1, 1, 0, 0, '{1}', '{1}')`, tid, h, svc)
	perfdbtest.Exec(t, pool, "DELETE FROM perf_endpoint_hourly WHERE tenant_id = $1 AND endpoint_id = $2", tid, eps[1])
	perfdbtest.Exec(t, pool, "UPDATE perf_endpoint_hourly SET lat_idx = '{1}', lat_cnt = '{3}' WHERE tenant_id = $1 AND endpoint_id = $2", tid, eps[2])
	perfdbtest.Exec(t, pool, "SELECT perf_refresh_hour($1, $2)", tid, h)
	if got := perfdbtest.Scalar[string](t, pool, hourRows, tid); got != want {
		t.Error("the hour rows changed behind the refresh's back were not put back as counted")
	}
	if got := perfdbtest.Scalar[string](t, pool, minuteRows, tid); got != wantMinutes {
		t.Error("the minute rows changed behind the refresh's back were not put back as counted")
	}

	// a minute whose requests are gone but whose DB spans stay: its service row keeps the query
	// half, and what the refresh leaves equals what it writes into empty minute rollups
	perfdbtest.Exec(t, pool, "DELETE FROM api_performance_log WHERE tenant_id = $1 AND ts >= $2::timestamptz + interval '20 minutes' AND ts < $2::timestamptz + interval '21 minutes'", tid, h)
	perfdbtest.Exec(t, pool, "SELECT perf_refresh_hour($1, $2)", tid, h)
	if n := perfdbtest.Scalar[int64](t, pool, `SELECT count(*) FROM perf_service_minutely WHERE tenant_id = $1
		AND bucket = $2::timestamptz + interval '20 minutes' AND requests = 0 AND q_calls > 0`, tid, h); n != 1 {
		t.Errorf("%d service rows with only the query half in the minute without requests, want 1", n)
	}
	kept := perfdbtest.Scalar[string](t, pool, minuteRows, tid)
	for _, tbl := range []string{"perf_endpoint_minutely", "perf_query_minutely", "perf_service_minutely"} {
		perfdbtest.Exec(t, pool, "DELETE FROM "+tbl+" WHERE tenant_id = $1", tid)
	}
	perfdbtest.Exec(t, pool, "SELECT perf_refresh_hour($1, $2)", tid, h)
	if got := perfdbtest.Scalar[string](t, pool, minuteRows, tid); got != kept {
		t.Error("the minute rows a refresh left differ from those it writes into empty minute rollups")
	}
}

// A single request of 1004 µs lies in a bucket whose value is 1013.3 µs: the Go summary
// clamps its quantiles to the largest duration measured, and perf_summary_range the same.
func TestSummaryQuantilesClampedGoEqualsSQL(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	ctx := context.Background()
	h := time.Now().UTC().Truncate(time.Hour).Add(-3 * time.Hour)
	perfdbtest.Exec(t, pool, "SELECT perf_create_partitions($1::date, $2::date)", h.Add(-24*time.Hour).Format(time.DateOnly), h.Add(24*time.Hour).Format(time.DateOnly))
	tid := perfdbtest.Scalar[int32](t, pool, "INSERT INTO perf_tenants(name) VALUES ('acme') RETURNING tenant_id")
	svc := perfdbtest.Scalar[int32](t, pool, "INSERT INTO perf_services(tenant_id, name) VALUES ($1, 'api') RETURNING service_id", tid)
	ep := perfdbtest.Scalar[int32](t, pool, "INSERT INTO perf_endpoints(tenant_id, service_id, span_kind, method, route) VALUES ($1, $2, 'server', 'GET', '/x') RETURNING endpoint_id", tid, svc)
	perfdbtest.Exec(t, pool, `INSERT INTO api_performance_log VALUES ($1, 1, gen_random_uuid(), $2, $3, 1004, -1, -1, 200, $4, false)`, h.Add(10*time.Minute), svc, ep, tid)
	perfdbtest.Exec(t, pool, "SELECT perf_refresh_hour($1, $2)", tid, h)
	w := Window{From: h, To: h.Add(time.Hour)}
	var s []Summary
	if err := (&Store{Pool: pool}).Read(ctx, "acme", func(tx pgx.Tx, tid int32) (err error) {
		s, err = Summaries(ctx, tx, tid, 500, h.Add(2*time.Hour), nil, w)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var sql []float64
	if err := pool.QueryRow(ctx, `SELECT ARRAY[p50_response_time_ms, p95_response_time_ms, p99_response_time_ms] FROM perf_summary_range($1, $2, $3)`,
		tid, w.From, w.To).Scan(&sql); err != nil {
		t.Fatal(err)
	}
	for i, got := range []*float64{s[0].P50, s[0].P95, s[0].P99} {
		if got == nil || *got != 1.004 || sql[i] != 1.004 {
			g := math.NaN()
			if got != nil {
				g = *got
			}
			t.Errorf("quantile %d: Go %v, SQL %v ms, want 1.004 ms (the only duration)", i, g, sql[i])
		}
	}
}
