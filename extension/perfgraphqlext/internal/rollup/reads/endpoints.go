package reads

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

// Endpoint is one endpoint of a tenant.
type Endpoint struct {
	ID                           int32
	Method, Route, Kind, Service string
}

// SelectEndpoints returns the tenant's endpoints matching the filters (nil: any).
func SelectEndpoints(ctx context.Context, tx pgx.Tx, tid int32, endpoint, service *string) ([]Endpoint, error) {
	rows, err := tx.Query(ctx, selectEndpointsSQL, tid, endpoint, service)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Endpoint, error) {
		var e Endpoint
		err := row.Scan(&e.ID, &e.Method, &e.Route, &e.Kind, &e.Service)
		return e, err
	})
}

// EndpointAgg is the endpoint rollups of one window and key summed: requests, errors, 4xx
// and 5xx statuses, total and max latency (µs), request and response sizes (sum and count),
// and the p50/p95/p99 (µs) of the merged histogram (nil when it has no sample).
type EndpointAgg struct {
	Requests, Errors, S4, S5, SumUs, MaxUs, ReqSum, ReqN, RespSum, RespN int64
	minUs                                                                rollup.MinUs
	Q                                                                    []*float64
}

// EndpointAggs aggregates the endpoint rollups of each window of ws per key (groupAll: one
// key 0 for all), in one statement. Rows are summed and their histograms merged in Go (rollup.Hist),
// from the packed histogram (migrations 00004 and 00006) unless it is absent (a count beyond
// int4): the arrays are then read. (Summing in SQL with string_agg of the packed histograms
// sent fewer rows but took 20x longer in PostgreSQL: it detoasts the arrays it carries.)
func EndpointAggs(ctx context.Context, tx pgx.Tx, tid int32, ws []rollup.Window, ids []int32, groupAll bool) ([]map[int32]*EndpointAgg, error) {
	ss, err := rollup.Splits(ctx, tx, tid, ws...)
	if err != nil {
		return nil, err
	}
	// a long id list (every endpoint of the tenant) is filtered here rather than probed in SQL
	where, extra := "endpoint_id = ANY($2)", []any{ids}
	want := map[int32]bool{}
	if len(ids) > 32 {
		where, extra = "", nil
		for _, id := range ids {
			want[id] = true
		}
	}
	const cols = `endpoint_id, requests, errors, status_4xx, status_5xx, sum_us, max_us, req_bytes_sum, req_bytes_n,
		resp_bytes_sum, resp_bytes_n, CASE WHEN lat_pack IS NULL THEN lat_idx END, CASE WHEN lat_pack IS NULL THEN lat_cnt END, lat_pack, min_us`
	sql, args := rollup.RangeUnion(cols, perfdb.EndpointDailyTable, perfdb.EndpointHourlyTable, "bucket", where, tid, extra, ss)
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type key struct{ win, k int32 }
	out := make([]map[int32]*EndpointAgg, len(ws))
	for i := range out {
		out[i] = map[int32]*EndpointAgg{}
	}
	hists := map[key]*rollup.Hist{}
	for rows.Next() {
		var win, k int32
		var v EndpointAgg
		var iv [12]int64
		var minUs *int64
		fast := rollup.RawInts(rows, iv[:])
		if fast {
			minUs, fast = rollup.RawNullInt(rows, 15)
		}
		if fast {
			win, k = int32(iv[0]), int32(iv[1])
			v.Requests, v.Errors, v.S4, v.S5, v.SumUs, v.MaxUs = iv[2], iv[3], iv[4], iv[5], iv[6], iv[7]
			v.ReqSum, v.ReqN, v.RespSum, v.RespN = iv[8], iv[9], iv[10], iv[11]
		} else if err := rows.Scan(&win, &k, &v.Requests, &v.Errors, &v.S4, &v.S5, &v.SumUs, &v.MaxUs, &v.ReqSum, &v.ReqN, &v.RespSum, &v.RespN, nil, nil, nil, &minUs); err != nil {
			return nil, err
		}
		if len(want) > 0 && !want[k] {
			continue
		}
		if groupAll {
			k = 0
		}
		a := out[win][k]
		if a == nil {
			a = &EndpointAgg{}
			out[win][k] = a
			hists[key{win, k}] = &rollup.Hist{}
		}
		a.Requests += v.Requests
		a.Errors += v.Errors
		a.S4 += v.S4
		a.S5 += v.S5
		a.SumUs += v.SumUs
		a.MaxUs = max(a.MaxUs, v.MaxUs)
		a.minUs.Add(minUs)
		a.ReqSum += v.ReqSum
		a.ReqN += v.ReqN
		a.RespSum += v.RespSum
		a.RespN += v.RespN
		if err := hists[key{win, k}].AddPackedOrColumns(rows, 14, 12, 13); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for win, m := range out {
		for k, a := range m {
			if h := hists[key{int32(win), k}]; h.Count() > 0 {
				mx := float64(a.MaxUs) // no quantile outside the group's [min, max]
				a.Q = h.QuantilesWithin(a.minUs.Bound(), &mx, 0.5, 0.95, 0.99)
			}
		}
	}
	for _, h := range hists {
		h.Release()
	}
	return out, nil
}
