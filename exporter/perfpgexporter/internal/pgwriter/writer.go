// Package pgwriter writes converted performance-log batches into PostgreSQL.
//
// The common case is a plain COPY into the partitioned tables inside one transaction,
// which is as fast as PostgreSQL ingests. Exactly-once comes from the primary keys
// (tenant_id, ts, span_id): a batch that is replayed (a retry after a timeout whose first
// attempt did commit, a persistent queue replaying after a crash) fails its COPY with a
// unique violation, and only then is the batch written the slow idempotent way, through a
// staging table and INSERT ... ON CONFLICT DO NOTHING. Measured against a plain COPY into
// the same partitioned table, that path gives 0.53-0.57 of the rows per second, so it is
// kept off the common path.
package pgwriter

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/spanrows"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

// The statements, one file each under sql/.
var (
	//go:embed sql/select_tenants.sql
	sqlSelectTenants string
	//go:embed sql/insert_tenants.sql
	sqlInsertTenants string
	//go:embed sql/insert_tenants_capped.sql
	sqlInsertTenantsCapped string
	//go:embed sql/select_services.sql
	sqlSelectServices string
	//go:embed sql/insert_services.sql
	sqlInsertServices string
	//go:embed sql/select_endpoints.sql
	sqlSelectEndpoints string
	//go:embed sql/insert_endpoints.sql
	sqlInsertEndpoints string
	//go:embed sql/select_databases.sql
	sqlSelectDatabases string
	//go:embed sql/insert_databases.sql
	sqlInsertDatabases string
	//go:embed sql/upsert_fingerprints.sql
	sqlUpsertFingerprints string
	//go:embed sql/mark_dirty_hours.sql
	sqlMarkDirtyHours string
	//go:embed sql/create_staging.sql
	sqlCreateStaging string
	//go:embed sql/merge_staging_api.sql
	sqlMergeStagingAPI string
	//go:embed sql/merge_staging_query.sql
	sqlMergeStagingQuery string
)

// The session-local staging tables of the idempotent path (sql/create_staging.sql).
const (
	stagingAPITable   = "perf_staging_api"
	stagingQueryTable = "perf_staging_query"
)

// OtherRoute is the endpoint that new routes of a service fold into past the cap.
const OtherRoute = "{other}"

var (
	apiColumns = []string{"ts", "span_id", "trace_id", "service_id", "endpoint_id", "duration_us",
		"request_size", "response_size", "status_code", "tenant_id", "is_error"}
	queryColumns = []string{"ts", "fingerprint", "span_id", "parent_span_id", "trace_id", "service_id",
		"endpoint_id", "db_id", "duration_us", "rows_returned", "tenant_id", "is_error", "like_pattern"}
)

// Options of a Writer.
type Options struct {
	MaxEndpointsPerService int
	// MaxTenants: new tenants named only by a client (header, resource attribute) are
	// created while fewer tenants exist; past it their rows go to DefaultTenant.
	MaxTenants    int
	DefaultTenant string
	// TokenTenants are bound to credentials by an authenticator: never capped, even when
	// the batch says a client named them.
	TokenTenants map[string]bool
	// FingerprintTouchInterval: how often last_seen of a known fingerprint is moved forward.
	FingerprintTouchInterval time.Duration
}

// Writer writes batches. It is safe for concurrent use; its dictionary caches are shared.
type Writer struct {
	pool *pgxpool.Pool
	opts Options

	mu           sync.Mutex
	tenants      map[string]int32
	overCap      map[string]bool // client-named tenants refused under MaxTenants
	services     map[serviceKey]*serviceEntry
	servicesByID map[int32]*serviceEntry // service ids are unique across tenants (identity)
	endpoints    map[endpointKey]int32
	databases    map[databaseKey]int32
	instances    map[instanceKey]int32
	fingerprints map[fingerprintKey]time.Time // last time last_seen was written
	// fingerprintsInFlight: being written by a concurrent push of this process
	fingerprintsInFlight map[fingerprintKey]bool
	days                 map[int64]bool // UTC days (unix days) whose partitions exist
}

type serviceKey struct {
	tenant int32
	name   string
}

type serviceEntry struct {
	id        int32
	endpoints int // endpoints known in the database for the service (for the cap)
}

type endpointKey struct {
	tenant  int32
	service int32
	kind    string
	method  string
	route   string
}

type databaseKey struct {
	tenant    int32
	system    string
	namespace string
}

type fingerprintKey struct {
	tenant      int32
	fingerprint int64
}

// New returns a writer over pool.
func New(pool *pgxpool.Pool, opts Options) *Writer {
	if opts.FingerprintTouchInterval <= 0 {
		opts.FingerprintTouchInterval = time.Hour
	}
	return &Writer{
		pool:                 pool,
		opts:                 opts,
		tenants:              map[string]int32{},
		overCap:              map[string]bool{},
		services:             map[serviceKey]*serviceEntry{},
		servicesByID:         map[int32]*serviceEntry{},
		endpoints:            map[endpointKey]int32{},
		databases:            map[databaseKey]int32{},
		instances:            map[instanceKey]int32{},
		fingerprints:         map[fingerprintKey]time.Time{},
		fingerprintsInFlight: map[fingerprintKey]bool{},
		days:                 map[int64]bool{},
	}
}

// TraceResult says what a WriteTraces call stored.
type TraceResult struct {
	APIRows   int64
	QueryRows int64
	// Replayed is true when the batch hit rows already stored and took the idempotent path;
	// the row counts then say how many were new.
	Replayed bool
	// Redirected rows went to the default tenant: their tenant was new, named only by the
	// client, and tenant.max_tenants was reached.
	Redirected int
}

// ids is the batch-local to database id mapping of one batch.
type ids struct {
	tenants    []int32
	redirected []bool // per batch-local tenant: its rows go to the default tenant
	services   []int32
	endpoints  []int32
	databases  []int32
}

// WriteTraces stores b. A returned error means nothing of the rows was committed; the
// caller may retry the whole batch and will not get duplicates.
func (w *Writer) WriteTraces(ctx context.Context, b *spanrows.Batch, now time.Time) (TraceResult, error) {
	if len(b.API) == 0 && len(b.Queries) == 0 {
		return TraceResult{}, nil
	}
	m, err := w.resolve(ctx, b, now)
	if err != nil {
		return TraceResult{}, err
	}
	if err := w.ensurePartitions(ctx, b); err != nil {
		return TraceResult{}, err
	}
	res, err := w.storeTraces(ctx, b, m)
	if err != nil {
		return TraceResult{}, err
	}
	res.Redirected = redirectedRows(m.redirected, b.API, b.Queries)
	return res, nil
}

func (w *Writer) storeTraces(ctx context.Context, b *spanrows.Batch, m *ids) (TraceResult, error) {
	res, err := w.copyTraces(ctx, b, m)
	switch {
	case isSQLState(err, "23505"): // unique_violation: part of the batch is stored already
		return w.mergeTraces(ctx, b, m)
	case isSQLState(err, "23514"): // no partition for a row: dropped under us; recreate once
		w.forgetPartitions()
		if err := w.ensurePartitions(ctx, b); err != nil {
			return TraceResult{}, err
		}
		res, err = w.copyTraces(ctx, b, m)
		if isSQLState(err, "23505") {
			return w.mergeTraces(ctx, b, m)
		}
	}
	return res, err
}

// redirectedRows counts the rows whose batch-local tenant was redirected to the default.
func redirectedRows(redirected []bool, api []spanrows.APIRow, queries []spanrows.QueryRow) int {
	if !slices.Contains(redirected, true) {
		return 0
	}
	n := 0
	for i := range api {
		if redirected[api[i].Tenant] {
			n++
		}
	}
	for i := range queries {
		if redirected[queries[i].Tenant] {
			n++
		}
	}
	return n
}

func (w *Writer) copyTraces(ctx context.Context, b *spanrows.Batch, m *ids) (TraceResult, error) {
	var res TraceResult
	err := pgx.BeginFunc(ctx, w.pool, func(tx pgx.Tx) error {
		var err error
		if len(b.API) > 0 {
			if res.APIRows, err = copyAPI(ctx, tx, perfdb.APILogTable, b, m); err != nil {
				return err
			}
		}
		if len(b.Queries) > 0 {
			if res.QueryRows, err = copyQueries(ctx, tx, perfdb.QueryLogTable, b, m); err != nil {
				return err
			}
		}
		return markDirtyHours(ctx, tx, b, m)
	})
	return res, err
}

// mergeTraces is the idempotent path: COPY into session-local staging tables, then insert
// what is not stored yet.
func (w *Writer) mergeTraces(ctx context.Context, b *spanrows.Batch, m *ids) (TraceResult, error) {
	res := TraceResult{Replayed: true}
	err := pgx.BeginFunc(ctx, w.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, sqlCreateStaging); err != nil {
			return err
		}
		if len(b.API) > 0 {
			if _, err := copyAPI(ctx, tx, stagingAPITable, b, m); err != nil {
				return err
			}
			tag, err := tx.Exec(ctx, sqlMergeStagingAPI)
			if err != nil {
				return err
			}
			res.APIRows = tag.RowsAffected()
		}
		if len(b.Queries) > 0 {
			if _, err := copyQueries(ctx, tx, stagingQueryTable, b, m); err != nil {
				return err
			}
			tag, err := tx.Exec(ctx, sqlMergeStagingQuery)
			if err != nil {
				return err
			}
			res.QueryRows = tag.RowsAffected()
		}
		if res.APIRows+res.QueryRows == 0 {
			return nil // a pure replay: nothing new, no hour to re-aggregate
		}
		return markDirtyHours(ctx, tx, b, m)
	})
	if err != nil {
		return TraceResult{}, err
	}
	return res, nil
}

func markDirtyHours(ctx context.Context, tx pgx.Tx, b *spanrows.Batch, m *ids) error {
	d := dirtyHours{}
	for i := range b.API {
		d.add(m.tenants[b.API[i].Tenant], b.API[i].TS)
		// a request may claim DB spans that start up to the attribution slack before it,
		// i.e. in the previous hour, whose rollups must then attribute them again (a request
		// that runs into the next hour is covered by the refresh of the hour after a dirty one)
		d.add(m.tenants[b.API[i].Tenant], b.API[i].TS.Add(-spanrows.AttributionSlack))
	}
	for i := range b.Queries {
		d.add(m.tenants[b.Queries[i].Tenant], b.Queries[i].TS)
	}
	return d.mark(ctx, tx)
}

// dirtyHours is the set of (tenant id, UTC hour) that a batch wrote into, which the rollup
// refresh re-aggregates.
type dirtyHours map[dirtyHour]bool

type dirtyHour struct {
	tenant int32
	hour   int64 // Unix hour
}

func (d dirtyHours) add(tenant int32, ts time.Time) { d[dirtyHour{tenant, ts.Unix() / 3600}] = true }

func (d dirtyHours) mark(ctx context.Context, tx pgx.Tx) error {
	tenants := make([]int32, 0, len(d))
	hours := make([]time.Time, 0, len(d))
	for k := range d {
		tenants = append(tenants, k.tenant)
		hours = append(hours, time.Unix(k.hour*3600, 0).UTC())
	}
	_, err := tx.Exec(ctx, sqlMarkDirtyHours, tenants, hours)
	return err
}

// ensurePartitions creates the daily partitions of the days in b that this writer has not
// seen yet (the perfgraphql scheduler also premakes them ahead).
func (w *Writer) ensurePartitions(ctx context.Context, b *spanrows.Batch) error {
	needed := map[int64]bool{}
	w.mu.Lock()
	for i := range b.API {
		if d := unixDay(b.API[i].TS); !w.days[d] {
			needed[d] = true
		}
	}
	for i := range b.Queries {
		if d := unixDay(b.Queries[i].TS); !w.days[d] {
			needed[d] = true
		}
	}
	w.mu.Unlock()
	return w.createDays(ctx, needed)
}

func (w *Writer) createDays(ctx context.Context, needed map[int64]bool) error {
	for d := range needed {
		day := time.Unix(d*86400, 0).UTC()
		if _, err := perfdb.CreatePartitions(ctx, w.pool, day, day); err != nil {
			return err
		}
		w.mu.Lock()
		w.days[d] = true
		w.mu.Unlock()
	}
	return nil
}

func (w *Writer) forgetPartitions() {
	w.mu.Lock()
	w.days = map[int64]bool{}
	w.mu.Unlock()
}

func unixDay(t time.Time) int64 {
	s := t.Unix()
	if s < 0 {
		return (s - 86399) / 86400
	}
	return s / 86400
}

func isSQLState(err error, code string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == code
}

// IsPermanent tells whether err can never succeed on retry (bad data rather than an
// unavailable database).
func IsPermanent(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	// class 22: data exception (value out of range, invalid text); 23502 not-null;
	// 54000 program_limit_exceeded (row too big)
	return strings.HasPrefix(pgErr.Code, "22") || pgErr.Code == "23502" || pgErr.Code == "54000"
}

// tenantError is a failure to look up or create the batch's tenants.
type tenantError struct{ error }

func (e tenantError) Unwrap() error { return e.error }

// IsTenantError tells whether err came from looking up or creating the batch's tenants
// (then every row of a one-tenant batch fails alike).
func IsTenantError(err error) bool {
	var te tenantError
	return errors.As(err, &te)
}

func errorf(format string, args ...any) error { return fmt.Errorf("pgwriter: "+format, args...) }
