package rollup

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// TopLoads by P95_TIME reads the histograms in batches by descending max and stops when no
// remaining statement can enter the list: its answer equals the ranking over every
// statement's p95. The statements are built so that max and p95 order them differently.
func TestTopLoadsP95EqualsFullRanking(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	tid := perfdbtest.Scalar[int32](t, pool, "INSERT INTO perf_tenants(name) VALUES ('acme') RETURNING tenant_id")
	h := time.Now().UTC().Truncate(time.Hour).Add(-3 * time.Hour)
	// fingerprint i: 99 executions of ((i*37) % 300 + 1) ms and one outlier of (300 - i) * 20 ms
	perfdbtest.Exec(t, pool, `INSERT INTO perf_query_hourly (tenant_id, bucket, fingerprint, endpoint_id, service_id, calls, errors, slow_calls,
		sum_us, max_us, rows_sum, rows_n, lat_idx, lat_cnt)
		SELECT $1, $2, 1000 + i, 0, 1, 100, 0, 0, 99 * b + o, greatest(b, o), 0, 0,
		       ARRAY[perf_hist_bucket(b), perf_hist_bucket(o)], ARRAY[99, 1]::bigint[]
		FROM generate_series(0, 299) i, LATERAL (SELECT ((i * 37) % 300 + 1) * 1000::bigint AS b, (300 - i) * 20000::bigint AS o) d`, tid, h)
	w := Window{From: h, To: h.Add(time.Hour)}
	read := func(fn func(tx pgx.Tx) error) {
		t.Helper()
		tx, err := pool.Begin(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = tx.Rollback(context.Background()) }()
		if err := fn(tx); err != nil {
			t.Fatal(err)
		}
	}
	var want []*QueryLoad
	read(func(tx pgx.Tx) error {
		l, err := ReadLoads(context.Background(), tx, tid, w, nil, nil)
		if err != nil {
			return err
		}
		if err := FillP95(context.Background(), tx, tid, w, nil, nil, l.Queries); err != nil {
			return err
		}
		want = Rank(l.Queries, OrderP95Time, 7)
		return nil
	})
	var got []*QueryLoad
	read(func(tx pgx.Tx) error {
		l, err := TopLoads(context.Background(), tx, tid, w, nil, nil, OrderP95Time, 7)
		got = l.Queries
		return err
	})
	if len(got) != len(want) {
		t.Fatalf("got %d, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Fingerprint != want[i].Fingerprint || *got[i].P95Us != *want[i].P95Us || *got[i].P95Us > float64(got[i].MaxUs) {
			t.Errorf("%d: fingerprint %d p95 %v, want %d p95 %v", i, got[i].Fingerprint, *got[i].P95Us, want[i].Fingerprint, *want[i].P95Us)
		}
	}
	// the largest max does not make the largest p95 here
	if want[0].MaxUs == 6000000 {
		t.Errorf("the fixture does not separate max from p95: %d", want[0].Fingerprint)
	}
}

// ReadLoadsOver returns, of the fingerprints ReadLoads reads, exactly those with at least the
// given time, each with the same sums and endpoints, and the same total of all database time
// (also when none reaches it).
func TestReadLoadsOverEqualsReadLoads(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	tid := perfdbtest.Scalar[int32](t, pool, "INSERT INTO perf_tenants(name) VALUES ('acme') RETURNING tenant_id")
	h := time.Now().UTC().Truncate(time.Hour).Add(-4 * time.Hour)
	// fingerprint 1000+i under endpoints 0..i%4 of service 1 + i%2, in two hours: sums from
	// 2 * 1 * 1ms to 2 * 4 * 60ms
	perfdbtest.Exec(t, pool, `INSERT INTO perf_query_hourly (tenant_id, bucket, fingerprint, endpoint_id, service_id, calls, errors, slow_calls,
		sum_us, max_us, rows_sum, rows_n, lat_idx, lat_cnt)
		SELECT $1, $2::timestamptz + k * interval '1 hour', 1000 + i, e, 1 + i % 2, 1 + e, i % 3, 0, (1 + i) * 1000 * (1 + e), 1000 + i * 10 + k, i, 1,
		       ARRAY[perf_hist_bucket(1000)], ARRAY[1 + e]::bigint[]
		FROM generate_series(0, 59) i, generate_series(0, 3) e, generate_series(0, 1) k WHERE e <= i % 4`, tid, h)
	w := Window{From: h, To: h.Add(2 * time.Hour)}
	tx, err := pool.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(context.Background()) }()
	all, err := ReadLoads(context.Background(), tx, tid, w, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Queries) != 60 || all.TotalUs == 0 {
		t.Fatalf("fixture: %d statements, %d µs", len(all.Queries), all.TotalUs)
	}
	for _, min := range []int64{0, 50000, 120000, 1 << 40} {
		over, err := ReadLoadsOver(context.Background(), tx, tid, w, min)
		if err != nil {
			t.Fatal(err)
		}
		if over.TotalUs != all.TotalUs {
			t.Errorf("min %d: total %d µs, want %d", min, over.TotalUs, all.TotalUs)
		}
		got := map[int64]*QueryLoad{}
		for _, q := range over.Queries {
			got[q.Fingerprint] = q
		}
		n := 0
		for _, q := range all.Queries {
			if q.SumUs < min {
				if got[q.Fingerprint] != nil {
					t.Errorf("min %d: fingerprint %d of %d µs returned", min, q.Fingerprint, q.SumUs)
				}
				continue
			}
			n++
			if !reflect.DeepEqual(got[q.Fingerprint], q) {
				t.Errorf("min %d: fingerprint %d: %+v, want %+v", min, q.Fingerprint, got[q.Fingerprint], q)
			}
		}
		if len(over.Queries) != n {
			t.Errorf("min %d: %d statements, want %d", min, len(over.Queries), n)
		}
		if min == 50000 && (n == 0 || n == 60) {
			t.Errorf("the fixture does not split at %d µs: %d of 60", min, n)
		}
	}
}
