package rollup

import (
	"context"
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
