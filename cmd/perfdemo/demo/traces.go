package demo

// Traces: one server span per request and its DB client spans, in the service's
// generation of the semantic conventions.

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
)

func (g *generator) between(lo, hi float64) time.Duration {
	ms := lo + (hi-lo)*g.rnd.Float64()
	return time.Duration(ms * float64(time.Millisecond))
}

func (g *generator) traceID() pcommon.TraceID {
	var id pcommon.TraceID
	for i := range id {
		id[i] = byte(g.rnd.UintN(256))
	}
	return id
}

func (g *generator) spanID() pcommon.SpanID {
	var id pcommon.SpanID
	for i := range id {
		id[i] = byte(g.rnd.UintN(256))
	}
	if id == (pcommon.SpanID{}) {
		id[7] = 1
	}
	return id
}

func setResource(r pcommon.Resource, s service) {
	a := r.Attributes()
	a.PutStr("service.name", s.name)
	a.PutStr("service.instance.id", s.instance)
	a.PutStr("service.version", "1.4.2")
	a.PutStr("host.name", s.host)
	a.PutStr("deployment.environment.name", "demo")
	a.PutStr("telemetry.sdk.language", s.lang)
}

// otherTenantShare: the second and later tenants get this share of the first one's requests.
const otherTenantShare = 0.6

// sendTraces builds n requests per tenant (spread over the services) and posts them.
func (g *generator) sendTraces(ctx context.Context, n int) {
	if n <= 0 {
		return
	}
	for ti, tenant := range g.cfg.Tenants {
		td := ptrace.NewTraces()
		scopes := map[string]ptrace.SpanSlice{}
		for _, s := range services {
			rs := td.ResourceSpans().AppendEmpty()
			setResource(rs.Resource(), s)
			ss := rs.ScopeSpans().AppendEmpty()
			ss.Scope().SetName("perfdemo")
			ss.Scope().SetVersion("1.0.0")
			scopes[s.name] = ss.Spans()
		}
		// the second and later tenants get a little less traffic, so they differ
		count := n
		if ti > 0 {
			count = int(math.Ceil(float64(n) * otherTenantShare))
		}
		for i := 0; i < count; i++ {
			e := g.chooseEndpoint()
			g.request(scopes[e.svc.name], e)
		}
		body, err := ptraceotlp.NewExportRequestFromTraces(td).MarshalProto()
		if err != nil {
			g.fail(err)
			continue
		}
		g.post(ctx, "/v1/traces", tenant, body)
	}
}

// request appends one server span and its DB children, ending about now.
func (g *generator) request(spans ptrace.SpanSlice, e *endpoint) {
	g.stats.Requests++
	calls := e.queries(g)
	type timed struct {
		call dbCall
		d    time.Duration
	}
	var dbTotal time.Duration
	ts := make([]timed, len(calls))
	for i, c := range calls {
		ts[i] = timed{c, g.between(c.minMs, c.maxMs)}
		dbTotal += ts[i].d
	}
	own := g.between(e.minMs, e.maxMs)
	total := own + dbTotal + time.Duration(len(calls))*150*time.Microsecond
	// ended within the last flush interval
	end := time.Now().Add(-time.Duration(g.rnd.Int64N(int64(g.cfg.FlushInterval))))
	start := end.Add(-total)

	status := 200
	switch {
	case e.method == "POST" && e.route == "/api/orders":
		status = 201
	}
	r := g.rnd.Float64()
	switch {
	case r < e.failRatio:
		status = []int{502, 503, 500}[g.rnd.IntN(3)]
	case r < e.failRatio+e.clientErr:
		status = []int{404, 400, 409}[g.rnd.IntN(3)]
	}

	traceID := g.traceID()
	server := spans.AppendEmpty()
	serverID := g.spanID()
	server.SetTraceID(traceID)
	server.SetSpanID(serverID)
	server.SetKind(ptrace.SpanKindServer)
	server.SetName(e.method + " " + e.route)
	server.SetStartTimestamp(pcommon.NewTimestampFromTime(start))
	server.SetEndTimestamp(pcommon.NewTimestampFromTime(end))
	a := server.Attributes()
	path := e.path(g)
	if e.svc.conv == stable {
		a.PutStr("http.request.method", e.method)
		a.PutStr("http.route", e.route)
		p, q, _ := strings.Cut(path, "?")
		a.PutStr("url.path", p)
		if q != "" {
			a.PutStr("url.query", q)
		}
		a.PutStr("url.scheme", "http")
		a.PutInt("http.response.status_code", int64(status))
		a.PutInt("http.response.body.size", int64(200+g.rnd.IntN(6000)))
		if e.method == "POST" {
			a.PutInt("http.request.body.size", int64(100+g.rnd.IntN(1500)))
		}
	} else { // old conventions, no route: the exporter templates the ids in the path
		a.PutStr("http.method", e.method)
		a.PutStr("http.target", path)
		a.PutStr("http.scheme", "http")
		a.PutInt("http.status_code", int64(status))
		a.PutInt("http.response_content_length", int64(200+g.rnd.IntN(6000)))
	}
	if status >= 500 {
		server.Status().SetCode(ptrace.StatusCodeError)
		server.Status().SetMessage(fmt.Sprintf("HTTP %d: upstream payment provider timed out", status))
	}

	at := start.Add(own / 2)
	for _, c := range ts {
		at = at.Add(150 * time.Microsecond)
		g.stats.DBSpans++
		s := spans.AppendEmpty()
		s.SetTraceID(traceID)
		s.SetSpanID(g.spanID())
		s.SetParentSpanID(serverID)
		s.SetKind(ptrace.SpanKindClient)
		op, _, _ := strings.Cut(c.call.sql, " ")
		s.SetName(op + " " + e.svc.dbName)
		s.SetStartTimestamp(pcommon.NewTimestampFromTime(at))
		s.SetEndTimestamp(pcommon.NewTimestampFromTime(at.Add(c.d)))
		at = at.Add(c.d)
		da := s.Attributes()
		if e.svc.conv == stable {
			da.PutStr("db.system.name", e.svc.dbSystem)
			da.PutStr("db.query.text", c.call.sql)
			da.PutStr("db.namespace", e.svc.dbName)
			if c.call.rows > 0 {
				da.PutInt("db.response.returned_rows", int64(c.call.rows))
			}
		} else {
			da.PutStr("db.system", e.svc.dbSystem)
			da.PutStr("db.statement", c.call.sql)
			da.PutStr("db.name", e.svc.dbName)
		}
		da.PutStr("server.address", e.svc.dbSystem+".internal")
		if c.call.errorRatio > 0 && g.rnd.Float64() < c.call.errorRatio {
			s.Status().SetCode(ptrace.StatusCodeError)
			s.Status().SetMessage("deadlock detected")
			da.PutStr("error.type", "40P01")
		}
	}
}
