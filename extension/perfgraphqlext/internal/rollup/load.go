package rollup

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

// The statement load of a window, ranked the way pg_stat_statements is read: by total time,
// calls, mean, p95 or rows per call, with each statement's share of all database time. Both
// the GraphQL topQueries list and the optimizer's dominant-statement detector read it here,
// so a share, a mean or a calls-per-request figure is computed once.

// Orders of a load list (the GraphQL enum QueryOrder).
const (
	OrderTotalTime   = "TOTAL_TIME"
	OrderCalls       = "CALLS"
	OrderMeanTime    = "MEAN_TIME"
	OrderP95Time     = "P95_TIME"
	OrderRowsPerCall = "ROWS_PER_CALL"
)

// EndpointLoad is the part of a statement's load issued under one endpoint (EndpointID 0:
// not attributed to a request) by one service.
type EndpointLoad struct {
	EndpointID, ServiceID int32
	Calls, SumUs          int64
	// Requests of the endpoint in the window and their summed duration (0 for EndpointID 0).
	Requests, RequestUs int64
}

// CallsPerRequest is calls / requests of the endpoint; nil when unattributed or without requests.
func (e EndpointLoad) CallsPerRequest() *float64 {
	if e.EndpointID == 0 || e.Requests <= 0 {
		return nil
	}
	return ratio(float64(e.Calls), e.Requests)
}

// QueryLoad is the load of one fingerprint in a window.
type QueryLoad struct {
	Fingerprint                                 int64
	Calls, Errors, SumUs, MaxUs, RowsSum, RowsN int64
	// P95Us from the merged histograms, never above MaxUs; nil until FillP95 (or without samples).
	P95Us *float64
	// Endpoints under which it ran, most time first.
	Endpoints []EndpointLoad
}

// MeanUs is the average execution time.
func (q *QueryLoad) MeanUs() float64 {
	if q.Calls == 0 {
		return 0
	}
	return float64(q.SumUs) / float64(q.Calls)
}

// RowsPerCall averages the rows over the calls that reported rows; nil when none did.
func (q *QueryLoad) RowsPerCall() *float64 {
	if q.RowsN <= 0 {
		return nil
	}
	return ratio(float64(q.RowsSum), q.RowsN)
}

// CallsPerRequest is the attributed calls divided by the requests of the endpoints they ran
// under; nil when no call was attributed to an endpoint with requests.
func (q *QueryLoad) CallsPerRequest() *float64 {
	return q.attributed(func(e EndpointLoad) (int64, int64) { return e.Calls, e.Requests })
}

// RequestTimeShare is the time of the attributed calls / the summed duration of the requests
// of the endpoints they ran under: how much of those requests' time the statement takes
// (it may exceed 1 when a request runs statements concurrently); nil when none was attributed.
func (q *QueryLoad) RequestTimeShare() *float64 {
	return q.attributed(func(e EndpointLoad) (int64, int64) { return e.SumUs, e.RequestUs })
}

// attributed sums part's numerator and denominator over the endpoints the calls were
// attributed to that have a denominator, and divides; nil when there is none.
func (q *QueryLoad) attributed(part func(EndpointLoad) (num, den int64)) *float64 {
	var num, den int64
	for _, e := range q.Endpoints {
		if n, d := part(e); e.EndpointID != 0 && d > 0 {
			num += n
			den += d
		}
	}
	return ratio(float64(num), den)
}

// Loads is the statement load of a window.
type Loads struct {
	// TotalUs is all database time of the scope the shares are of: the tenant, or the service
	// when the read was filtered on one (endpoint filters do not narrow it).
	TotalUs int64
	Queries []*QueryLoad
}

// Share is q's share of TotalUs (0..1; 0 when there was no database time).
func (l *Loads) Share(q *QueryLoad) float64 {
	if l.TotalUs <= 0 {
		return 0
	}
	return float64(q.SumUs) / float64(l.TotalUs)
}

// ReadLoads sums the fingerprint rollups of w per fingerprint: of one service (svc) or all,
// and only the rows of the given endpoints when endpointIDs is not nil. Every fingerprint of
// the scope is returned, unordered, without P95Us and without endpoint requests (FillP95,
// FillRequests).
func ReadLoads(ctx context.Context, tx pgx.Tx, tid int32, w Window, svc *int32, endpointIDs []int32) (*Loads, error) {
	ss, err := Splits(ctx, tx, tid, w)
	if err != nil {
		return nil, err
	}
	where, extra := loadFilter(svc, nil)
	sql, args := RangeUnion("fingerprint, endpoint_id, service_id, calls, errors, sum_us, max_us, rows_sum, rows_n",
		perfdb.QueryDailyTable, perfdb.QueryHourlyTable, "bucket", where, tid, extra, ss)
	rows, err := tx.Query(ctx, `SELECT fingerprint, endpoint_id, service_id, sum(calls)::bigint, sum(errors)::bigint, sum(sum_us)::bigint,
		max(max_us), sum(rows_sum)::bigint, sum(rows_n)::bigint FROM (`+sql+`) r GROUP BY 1, 2, 3`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	want := endpointSet(endpointIDs)
	out := &Loads{}
	byFp := map[int64]*QueryLoad{}
	for rows.Next() {
		var v [9]int64
		if !RawInts(rows, v[:]) {
			if err := rows.Scan(&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8]); err != nil {
				return nil, err
			}
		}
		out.TotalUs += v[5]
		ep := int32(v[1])
		if want != nil && !want[ep] {
			continue
		}
		q := byFp[v[0]]
		if q == nil {
			q = &QueryLoad{Fingerprint: v[0]}
			byFp[v[0]] = q
			out.Queries = append(out.Queries, q)
		}
		q.Calls += v[3]
		q.Errors += v[4]
		q.SumUs += v[5]
		q.MaxUs = max(q.MaxUs, v[6])
		q.RowsSum += v[7]
		q.RowsN += v[8]
		q.Endpoints = append(q.Endpoints, EndpointLoad{EndpointID: ep, ServiceID: int32(v[2]), Calls: v[3], SumUs: v[5]})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, q := range out.Queries {
		sort.Slice(q.Endpoints, func(i, j int) bool {
			a, b := q.Endpoints[i], q.Endpoints[j]
			if a.SumUs != b.SumUs {
				return a.SumUs > b.SumUs
			}
			if a.EndpointID != b.EndpointID {
				return a.EndpointID < b.EndpointID
			}
			return a.ServiceID < b.ServiceID
		})
	}
	return out, nil
}

// endpointSet is the set of ids, nil (every endpoint) when ids is nil.
func endpointSet(ids []int32) map[int32]bool {
	if ids == nil {
		return nil
	}
	set := make(map[int32]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set
}

func loadFilter(svc *int32, fps []int64) (string, []any) {
	var conds []string
	var extra []any
	if svc != nil {
		extra = append(extra, *svc)
		conds = append(conds, fmt.Sprintf("service_id = $%d", len(extra)+1))
	}
	if fps != nil {
		extra = append(extra, fps)
		conds = append(conds, fmt.Sprintf("fingerprint = ANY($%d)", len(extra)+1))
	}
	return strings.Join(conds, " AND "), extra
}

// FillP95 merges the histograms of qs (the rows of the same scope ReadLoads read: svc, and
// endpointIDs when not nil) and sets their P95Us, capped at MaxUs: a bucket's value may lie
// up to 1% above the largest duration it holds.
func FillP95(ctx context.Context, tx pgx.Tx, tid int32, w Window, svc *int32, endpointIDs []int32, qs []*QueryLoad) error {
	if len(qs) == 0 {
		return nil
	}
	ss, err := Splits(ctx, tx, tid, w)
	if err != nil {
		return err
	}
	byFp := make(map[int64]*QueryLoad, len(qs))
	fps := make([]int64, 0, len(qs))
	for _, q := range qs {
		byFp[q.Fingerprint] = q
		fps = append(fps, q.Fingerprint)
	}
	where, extra := loadFilter(svc, fps)
	sql, args := RangeUnion("fingerprint, endpoint_id, lat_idx, lat_cnt", perfdb.QueryDailyTable, perfdb.QueryHourlyTable, "bucket", where, tid, extra, ss)
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	want := endpointSet(endpointIDs)
	hists := make(map[int64]*Hist, len(qs))
	defer func() {
		for _, h := range hists {
			h.Release()
		}
	}()
	for rows.Next() {
		var win, ep int32
		var fp int64
		if err := rows.Scan(&win, &fp, &ep, nil, nil); err != nil {
			return err
		}
		if want != nil && !want[ep] {
			continue
		}
		h := hists[fp]
		if h == nil {
			h = &Hist{}
			hists[fp] = h
		}
		if err := h.AddColumns(rows, 3, 4); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for fp, h := range hists {
		q := byFp[fp]
		if p := h.Quantiles(0.95)[0]; p != nil {
			v := min(*p, float64(q.MaxUs))
			q.P95Us = &v
		}
	}
	return nil
}

// FillRequests sets the Requests and RequestUs of every attributed endpoint of qs from the endpoint rollups of w.
func FillRequests(ctx context.Context, tx pgx.Tx, tid int32, w Window, qs []*QueryLoad) error {
	seen := map[int32]bool{}
	var ids []int32
	for _, q := range qs {
		for _, e := range q.Endpoints {
			if e.EndpointID != 0 && !seen[e.EndpointID] {
				seen[e.EndpointID] = true
				ids = append(ids, e.EndpointID)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	ss, err := Splits(ctx, tx, tid, w)
	if err != nil {
		return err
	}
	sql, args := RangeUnion("endpoint_id, requests, sum_us", perfdb.EndpointDailyTable, perfdb.EndpointHourlyTable, "bucket",
		"endpoint_id = ANY($2)", tid, []any{ids}, ss)
	rows, err := tx.Query(ctx, `SELECT endpoint_id, sum(requests)::bigint, sum(sum_us)::bigint FROM (`+sql+`) r GROUP BY 1`, args...)
	if err != nil {
		return err
	}
	reqs := map[int32][2]int64{}
	for rows.Next() {
		var id int32
		var n, us int64
		if err := rows.Scan(&id, &n, &us); err != nil {
			rows.Close()
			return err
		}
		reqs[id] = [2]int64{n, us}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, q := range qs {
		for i := range q.Endpoints {
			r := reqs[q.Endpoints[i].EndpointID]
			q.Endpoints[i].Requests, q.Endpoints[i].RequestUs = r[0], r[1]
		}
	}
	return nil
}

// Rank orders qs by order (descending; ties by total time, then fingerprint) and returns the
// first limit. Statements without rows reported rank last for ROWS_PER_CALL; P95_TIME needs
// P95Us filled (TopLoads).
func Rank(qs []*QueryLoad, order string, limit int) []*QueryLoad {
	key := func(q *QueryLoad) (float64, bool) {
		switch order {
		case OrderCalls:
			return float64(q.Calls), true
		case OrderMeanTime:
			return q.MeanUs(), true
		case OrderP95Time:
			if q.P95Us == nil {
				return 0, false
			}
			return *q.P95Us, true
		case OrderRowsPerCall:
			if r := q.RowsPerCall(); r != nil {
				return *r, true
			}
			return 0, false
		}
		return float64(q.SumUs), true
	}
	sort.SliceStable(qs, func(i, j int) bool {
		a, b := qs[i], qs[j]
		ka, oka := key(a)
		kb, okb := key(b)
		if oka != okb {
			return oka
		}
		if ka != kb {
			return ka > kb
		}
		if a.SumUs != b.SumUs {
			return a.SumUs > b.SumUs
		}
		return a.Fingerprint < b.Fingerprint
	})
	if limit >= 0 && len(qs) > limit {
		qs = qs[:limit]
	}
	return qs
}

// TopLoads reads the load of w (ReadLoads), ranks it by order and returns the first limit with
// their P95Us and endpoint requests filled. For P95_TIME the histograms are merged in batches
// by descending max: a statement whose max is below the limit-th best p95 so far cannot
// enter the list (its p95 is at most its max), so the rest is not read.
func TopLoads(ctx context.Context, tx pgx.Tx, tid int32, w Window, svc *int32, endpointIDs []int32, order string, limit int) (*Loads, error) {
	l, err := ReadLoads(ctx, tx, tid, w, svc, endpointIDs)
	if err != nil {
		return nil, err
	}
	if order == OrderP95Time {
		all := l.Queries
		sort.Slice(all, func(i, j int) bool {
			if all[i].MaxUs != all[j].MaxUs {
				return all[i].MaxUs > all[j].MaxUs
			}
			return all[i].Fingerprint < all[j].Fingerprint
		})
		var done []*QueryLoad
		batch := max(2*limit, 50)
		for len(all) > 0 {
			if len(done) >= limit {
				best := Rank(append([]*QueryLoad(nil), done...), OrderP95Time, limit)
				if kth := best[len(best)-1].P95Us; kth != nil && float64(all[0].MaxUs) < *kth {
					break
				}
			}
			n := min(batch, len(all))
			if err := FillP95(ctx, tx, tid, w, svc, endpointIDs, all[:n]); err != nil {
				return nil, err
			}
			done, all = append(done, all[:n]...), all[n:]
		}
		l.Queries = Rank(done, order, limit)
	} else {
		l.Queries = Rank(l.Queries, order, limit)
		if err := FillP95(ctx, tx, tid, w, svc, endpointIDs, l.Queries); err != nil {
			return nil, err
		}
	}
	return l, FillRequests(ctx, tx, tid, w, l.Queries)
}
