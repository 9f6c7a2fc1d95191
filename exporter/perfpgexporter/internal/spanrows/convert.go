// Package spanrows turns OTLP spans into performance-log rows: server and consumer spans
// into API rows, DB client spans with a statement into query rows. Repeated text (tenant,
// service, endpoint, database, statement) goes into batch-local dictionaries that rows
// point into; the writer resolves each distinct entry to a database id once per batch.
package spanrows

import (
	"math"
	"strings"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-perf/otelcol-perf/internal/semconv"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlname"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm/likeclass"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/connstr"
	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/localdict"
	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/pgtext"
	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/tenantstamp"
)

// DropReason says why a span was not stored.
type DropReason int

const (
	DropExpired DropReason = iota // older than retention (timestamps of 0 land here)
	DropFuture                    // further ahead than the allowed clock skew
	// DropStatementNotString: a DB span whose statement is an array, map, bytes, number...
	// Stringified (JSON, base64) its literals would survive normalization, so it is no query.
	DropStatementNotString
	numDropReasons
)

func (r DropReason) String() string {
	switch r {
	case DropExpired:
		return "expired"
	case DropFuture:
		return "future"
	case DropStatementNotString:
		return "statement_not_string"
	}
	return "unknown"
}

// AllDropReasons lists the reasons, for telemetry.
var AllDropReasons = []DropReason{DropExpired, DropFuture, DropStatementNotString}

// NoEndpoint marks a query row whose request was not in the batch.
const NoEndpoint int32 = -1

// Options of a Converter.
type Options struct {
	TenantAttribute string // resource attribute naming the tenant; "" disables it
	DefaultTenant   string
	Retention       time.Duration
	MaxFutureSkew   time.Duration
	MaxStatementLen int
	// FingerprintAttribute is the span attribute queryhash writes the fingerprint to
	// (its fingerprint_attribute); "" means semconv.DBQueryFingerprint.
	FingerprintAttribute string
}

type ServiceKey struct {
	Tenant int32
	Name   string
}

type EndpointKey struct {
	Service int32
	Kind    string // "server" | "consumer"
	Method  string
	Route   string
}

type DatabaseKey struct {
	Tenant    int32
	System    string
	Namespace string
}

// Statement is one fingerprint seen in the batch, with its sanitized text.
type Statement struct {
	Tenant      int32
	Fingerprint int64
	DBSystem    string
	Operation   string
	Collection  string
	Summary     string
	Normalized  string
}

type APIRow struct {
	TS           time.Time
	SpanID       int64
	TraceID      [16]byte
	Service      int32
	Endpoint     int32
	DurationUS   int32
	RequestSize  int32
	ResponseSize int32
	StatusCode   int16
	Tenant       int32
	IsError      bool
}

type QueryRow struct {
	TS           time.Time
	Fingerprint  int64
	SpanID       int64
	ParentSpanID int64
	TraceID      [16]byte
	Service      int32
	Endpoint     int32 // NoEndpoint when the request span was not in the batch
	Database     int32
	DurationUS   int32
	RowsReturned int32
	Tenant       int32
	IsError      bool
	// LikePattern: the class of the statement's LIKE patterns (db.query.like_pattern),
	// likeclass.None when absent or not a class name.
	LikePattern likeclass.Class
}

// Batch is the converted form of one ptrace.Traces.
type Batch struct {
	Tenants    tenantstamp.Dict
	Services   localdict.Dict[ServiceKey]
	Endpoints  localdict.Dict[EndpointKey]
	Databases  localdict.Dict[DatabaseKey]
	Statements []Statement
	API        []APIRow
	Queries    []QueryRow
	Dropped    [numDropReasons]int
	// NotExecutions counts DB spans with a statement that were not stored because they are
	// no execution of it (see Classify), per role; RoleExecution counts executions nested
	// in another execution of the same statement (see foldNestedExecutions).
	NotExecutions [numRoles]int
	// ForeignFingerprints counts query rows whose span carried a fingerprint attribute other
	// than the one of the exporter's own normalization, which the row is stored under.
	ForeignFingerprints int

	statementIdx map[statementKey]int32
}

type statementKey struct {
	tenant      int32
	fingerprint int64
}

// Converter converts spans. It reuses normalizers and is not safe for concurrent use.
type Converter struct {
	opts        Options
	normalizers map[sqlnorm.Dialect]*sqlnorm.Normalizer

	// texts maps each statement text of the batch being converted to its normalization
	// in results (Tenant unset); both are emptied at the start of each Convert.
	texts   map[textKey]int32
	results []Statement
}

type textKey struct {
	system string
	text   string
}

func NewConverter(opts Options) *Converter {
	if opts.FingerprintAttribute == "" {
		opts.FingerprintAttribute = semconv.DBQueryFingerprint
	}
	return &Converter{opts: opts, normalizers: map[sqlnorm.Dialect]*sqlnorm.Normalizer{}, texts: map[textKey]int32{}}
}

// Convert turns td into rows. The tenant of a resource is the one stamped from client
// metadata (tenantstamp.Attribute), else the configured resource attribute, else the default.
func (c *Converter) Convert(td ptrace.Traces, now time.Time) *Batch {
	b := &Batch{statementIdx: map[statementKey]int32{}}
	clear(c.texts) // its keys point into the previous batch's spans
	clear(c.results)
	c.results = c.results[:0]
	oldest := now.Add(-c.opts.Retention)
	newest := now.Add(c.opts.MaxFutureSkew)
	if n := td.SpanCount(); n > 0 { // most spans of a batch become rows: size for them once
		b.API = make([]APIRow, 0, n/4+1)
		b.Queries = make([]QueryRow, 0, n)
	}
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		rs := rss.At(i)
		res := rs.Resource().Attributes()
		tenant := b.Tenants.Intern(tenantstamp.Resolve(res, c.opts.TenantAttribute, c.opts.DefaultTenant))
		serviceName := "unknown_service"
		if v, ok := res.Get(semconv.ServiceName); ok && v.Str() != "" {
			serviceName = v.Str()
		}
		service := b.Services.Intern(ServiceKey{Tenant: tenant, Name: pgtext.Clean(serviceName, 256)})

		sss := rs.ScopeSpans()
		for j := 0; j < sss.Len(); j++ {
			scope := sss.At(j).Scope().Name()
			spans := sss.At(j).Spans()
			for k := 0; k < spans.Len(); k++ {
				span := spans.At(k)
				start := span.StartTimestamp().AsTime()
				attrs := span.Attributes()
				switch kind := span.Kind(); {
				case kind == ptrace.SpanKindServer || kind == ptrace.SpanKindConsumer:
					if !c.inWindow(b, start, oldest, newest) {
						continue
					}
					b.API = append(b.API, c.apiRow(b, span, attrs, tenant, service, start))
				case kind != ptrace.SpanKindProducer && hasAny(attrs, semconv.DBSystem):
					stmt, ok := getStr(attrs, semconv.DBStatement)
					if !ok && hasAny(attrs, semconv.DBStatement) {
						b.Dropped[DropStatementNotString]++
						continue
					}
					if stmt == "" {
						continue // connection-acquire and similar spans: not queries
					}
					if role := Classify(scope, span.Name(), attrs); role != RoleExecution {
						b.NotExecutions[role]++
						continue
					}
					if !c.inWindow(b, start, oldest, newest) {
						continue
					}
					b.Queries = append(b.Queries, c.queryRow(b, span, attrs, stmt, tenant, service, start))
				}
			}
		}
	}
	b.foldNestedExecutions()
	b.attributeEndpoints()
	return b
}

// foldNestedExecutions removes each query row whose parent span is a query row of the same
// tenant, service, trace and fingerprint: one execution traced by two layers (SQLAlchemy
// over an instrumented psycopg, an ORM over an instrumented driver) is one call. The
// outermost row stays, taking the returned-rows count and the error of the rows folded
// into it; it spans them in time. Only spans of one batch are folded: when parent and child
// arrive in different batches (the SDK exports a span when it ends, so a child can leave
// in the batch before its parent), both are stored and the call is counted twice.
func (b *Batch) foldNestedExecutions() {
	if len(b.Queries) < 2 {
		return
	}
	type spanKey struct {
		tenant, service int32
		trace           [16]byte
		span            int64
	}
	idx := make(map[spanKey]int32, len(b.Queries))
	for i := range b.Queries {
		q := &b.Queries[i]
		idx[spanKey{q.Tenant, q.Service, q.TraceID, q.SpanID}] = int32(i)
	}
	var folded []bool
	for i := range b.Queries {
		q := &b.Queries[i]
		root := i
		for steps := 0; steps < len(b.Queries); steps++ { // bounded: ids can form a cycle
			r := &b.Queries[root]
			if r.ParentSpanID == 0 {
				break
			}
			p, ok := idx[spanKey{q.Tenant, q.Service, q.TraceID, r.ParentSpanID}]
			if !ok || int(p) == root || b.Queries[p].Fingerprint != q.Fingerprint {
				break
			}
			if int(p) == i { // a cycle of parent ids: no row of it is folded
				root = i
				break
			}
			root = int(p)
		}
		if root == i {
			continue
		}
		if folded == nil {
			folded = make([]bool, len(b.Queries))
		}
		folded[i] = true
		r := &b.Queries[root]
		if r.RowsReturned < 0 {
			r.RowsReturned = q.RowsReturned
		}
		r.IsError = r.IsError || q.IsError
	}
	if folded == nil {
		return
	}
	kept := b.Queries[:0]
	for i, q := range b.Queries {
		if folded[i] {
			b.NotExecutions[RoleExecution]++
			continue
		}
		kept = append(kept, q)
	}
	b.Queries = kept
}

func (c *Converter) inWindow(b *Batch, ts, oldest, newest time.Time) bool {
	switch {
	case ts.Before(oldest):
		b.Dropped[DropExpired]++
		return false
	case ts.After(newest):
		b.Dropped[DropFuture]++
		return false
	}
	return true
}

func (c *Converter) apiRow(b *Batch, span ptrace.Span, attrs pcommon.Map, tenant, service int32, start time.Time) APIRow {
	row := APIRow{
		TS:           start,
		SpanID:       spanID(span.SpanID()),
		TraceID:      span.TraceID(),
		Service:      service,
		DurationUS:   durationUS(span),
		RequestSize:  getSize(attrs, semconv.HTTPRequestSize),
		ResponseSize: getSize(attrs, semconv.HTTPResponseSize),
		Tenant:       tenant,
	}
	status := getInt(attrs, semconv.HTTPStatusCode)
	if status > 0 && status < 1000 {
		row.StatusCode = int16(status)
	}
	row.IsError = span.Status().Code() == ptrace.StatusCodeError || row.StatusCode >= 500

	key := EndpointKey{Service: service, Kind: "server"}
	if span.Kind() == ptrace.SpanKindConsumer {
		key.Kind = "consumer"
	}
	if m, ok := getStr(attrs, semconv.HTTPMethod); ok {
		key.Method = httpMethod(m)
	}
	key.Route = c.routeOf(span, attrs)
	row.Endpoint = b.Endpoints.Intern(key)
	return row
}

// httpMethods are the methods stored as sent; any other is _OTHER, as the semantic
// conventions say, so that the column holds no free text.
var httpMethods = map[string]string{}

func init() {
	for _, m := range []string{"CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE", "QUERY"} {
		httpMethods[m] = m
		httpMethods[strings.ToLower(m)] = m
	}
}

func httpMethod(m string) string {
	if known, ok := httpMethods[m]; ok {
		return known
	}
	if known, ok := httpMethods[strings.ToUpper(m)]; ok {
		return known
	}
	return "_OTHER"
}

// routeOf picks the endpoint name: http.route, else the templated path, else the RPC
// method, else the messaging destination, else the span name. Every one of them comes
// from the client, so each is templated: a route can hold an e-mail address as well as a
// path can. A span name that is SQL is normalized like a statement.
func (c *Converter) routeOf(span ptrace.Span, attrs pcommon.Map) string {
	if r, ok := getStr(attrs, semconv.HTTPRoute); ok && r != "" {
		return TemplatePath(r)
	}
	if p, ok := getStr(attrs, semconv.HTTPPath); ok && p != "" {
		return TemplatePath(p)
	}
	if u, ok := getStr(attrs, semconv.HTTPURL); ok && u != "" {
		return TemplatePath(pathOfURL(u))
	}
	if svc, ok := getStr(attrs, semconv.RPCService); ok && svc != "" {
		m, _ := getStr(attrs, semconv.RPCMethod)
		return TemplatePath("/" + svc + "/" + m)
	}
	if d, ok := getStr(attrs, semconv.MessagingDest); ok && d != "" {
		return TemplatePath(d)
	}
	if name := span.Name(); name != "" {
		system, _ := getStr(attrs, semconv.DBSystem)
		sql, ok := sqlname.Find(name)
		if hasAny(attrs, semconv.DBSystem) {
			sql, ok = name, true // a DB span's name is its statement or derived from it
		}
		if ok {
			res := c.normalizer(system).Normalize(sql)
			if res.Summary != "" {
				return TemplateName(res.Summary) // identifiers only; quoted ones may be anything
			}
			return truncateRoute(res.Normalized)
		}
		return TemplateName(name)
	}
	return "/"
}

// pathOfURL returns the path of an absolute URL without allocating a url.URL.
func pathOfURL(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.IndexByte(u, '/'); j >= 0 {
			return u[j:]
		}
		return "/"
	}
	return u
}

func (c *Converter) queryRow(b *Batch, span ptrace.Span, attrs pcommon.Map, stmt string, tenant, service int32, start time.Time) QueryRow {
	system, _ := getStr(attrs, semconv.DBSystem)
	system = dbSystem(system)
	namespace, _ := getStr(attrs, semconv.DBNamespaces)
	namespace = connstr.Redact(namespace)
	row := QueryRow{
		TS:           start,
		SpanID:       spanID(span.SpanID()),
		ParentSpanID: spanID(span.ParentSpanID()),
		TraceID:      span.TraceID(),
		Service:      service,
		Endpoint:     NoEndpoint,
		Database:     b.Databases.Intern(DatabaseKey{Tenant: tenant, System: system, Namespace: pgtext.Clean(namespace, 128)}),
		DurationUS:   durationUS(span),
		RowsReturned: -1,
		Tenant:       tenant,
		IsError:      span.Status().Code() == ptrace.StatusCodeError,
	}
	if v, ok := attrs.Get(semconv.DBReturnedRows); ok {
		if n := v.Int(); n >= 0 && n <= math.MaxInt32 {
			row.RowsReturned = int32(n)
		}
	}
	if v, ok := getStr(attrs, []string{semconv.DBQueryLikePattern}); ok {
		row.LikePattern, _ = likeclass.Parse(v)
	}
	row.Fingerprint = c.statement(b, attrs, system, stmt, tenant)
	return row
}

// statement returns the fingerprint of stmt and registers it in b. Text, summary and
// fingerprint always come from this exporter's own normalization, even when the span
// carries a fingerprint: a client can send any fingerprint attribute (and queryhash keeps
// a client's summary), and trusting one would let two statements share a fingerprint or
// one statement's text be stored under another's. Each distinct statement text is
// normalized once per batch.
func (c *Converter) statement(b *Batch, attrs pcommon.Map, system, stmt string, tenant int32) int64 {
	idx, seen := c.texts[textKey{system, stmt}]
	if !seen {
		res := c.normalizer(system).Normalize(stmt)
		idx = int32(len(c.results))
		c.results = append(c.results, Statement{
			Fingerprint: int64(res.Fingerprint),
			DBSystem:    system,
			Operation:   res.Operation,
			Collection:  res.Collection,
			Summary:     res.Summary,
			Normalized:  res.Normalized,
		})
		c.texts[textKey{system, stmt}] = idx
	}
	st := &c.results[idx]
	if fp, ok := c.fingerprintAttr(attrs); ok && fp != st.Fingerprint {
		b.ForeignFingerprints++
	}
	key := statementKey{tenant, st.Fingerprint}
	if _, dup := b.statementIdx[key]; !dup {
		b.statementIdx[key] = int32(len(b.Statements))
		b.Statements = append(b.Statements, *st)
		b.Statements[len(b.Statements)-1].Tenant = tenant
	}
	return st.Fingerprint
}

func (c *Converter) normalizer(system string) *sqlnorm.Normalizer {
	d := sqlnorm.DialectFor(system)
	n := c.normalizers[d]
	if n == nil {
		n = sqlnorm.New(d, c.opts.MaxStatementLen)
		c.normalizers[d] = n
	}
	return n
}

// fingerprintAttr reads the fingerprint attribute (as queryhash writes it) when present
// and well-formed.
func (c *Converter) fingerprintAttr(attrs pcommon.Map) (int64, bool) {
	v, ok := attrs.Get(c.opts.FingerprintAttribute)
	if !ok || v.Type() != pcommon.ValueTypeStr {
		return 0, false
	}
	fp, err := sqlnorm.ParseFingerprint(v.Str())
	return int64(fp), err == nil
}

// AttributionSlack is the rounding tolerated at both ends of a request span when a DB span is
// attributed to it: some SDKs truncate a span's start or duration to the millisecond, so a
// statement issued in the request's last millisecond starts after its recorded end. The SQL
// function perf_attribution_slack is the source of truth; TestAttributionAgreesWithSQL pins
// this copy to it.
const AttributionSlack = time.Millisecond

// attributeEndpoints gives each query row the endpoint of the request that issued it when
// that request's server/consumer span is in the same batch: same tenant, trace and
// service (the batch's service ids are per tenant), the query starts within the request
// widened by AttributionSlack at both ends; a request that contains the start exactly wins,
// then the innermost (latest-starting) request, then the lowest span id. The rule's source
// of truth is the SQL function perf_attributed_queries (migrations/functions), which
// attributes the rest at rollup time; TestAttributionAgreesWithSQL pins the two equal.
func (b *Batch) attributeEndpoints() {
	if len(b.Queries) == 0 || len(b.API) == 0 {
		return
	}
	type traceKey struct {
		trace   [16]byte
		service int32
	}
	requests := make(map[traceKey][]int32, len(b.API))
	for i := range b.API {
		a := &b.API[i]
		k := traceKey{a.TraceID, a.Service}
		requests[k] = append(requests[k], int32(i))
	}
	for i := range b.Queries {
		q := &b.Queries[i]
		var best *APIRow
		bestExact := false
		for _, ai := range requests[traceKey{q.TraceID, q.Service}] {
			a := &b.API[ai]
			end := a.TS.Add(time.Duration(a.DurationUS) * time.Microsecond)
			if q.TS.Before(a.TS.Add(-AttributionSlack)) || q.TS.After(end.Add(AttributionSlack)) {
				continue
			}
			exact := !q.TS.Before(a.TS) && !q.TS.After(end)
			switch {
			case best == nil, exact && !bestExact:
			case exact != bestExact:
				continue
			case a.TS.After(best.TS), a.TS.Equal(best.TS) && a.SpanID < best.SpanID:
			default:
				continue
			}
			best, bestExact = a, exact
		}
		if best != nil {
			q.Endpoint = best.Endpoint
		}
	}
}
