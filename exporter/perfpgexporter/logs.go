package perfpgexporter

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/tenantstamp"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
	"github.com/otelcol-perf/otelcol-perf/internal/queryplan"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

// The logs signal carries one thing: auto_explain plans from PostgreSQL's jsonlog server log
// (filelog receiver). Every other record is counted and dropped. A plan is redacted in the
// front, before the queue, so that no literal of the statement or its plan is queued (the
// persistent queue writes requests to disk); the body is replaced by these fields:
const (
	planDBName      = "dbname"      // the record's database: the target it belongs to
	planDurationMs  = "duration_ms" // auto_explain's duration of the execution
	planFingerprint = "fingerprint" // sqlnorm fingerprint of the normalized Query Text
	planJSON        = "plan"        // the redacted plan (queryplan.Redact)
)

// Drop reasons of log records (otelcol_perfpg_rows_dropped, kind "log").
const (
	dropNotJSONLog        = "not_jsonlog"        // body is not a PostgreSQL jsonlog entry
	dropNotAPlan          = "not_a_plan"         // an entry, but no auto_explain plan
	dropPlanNotJSON       = "plan_not_json"      // auto_explain.log_format is not json
	dropUnreadablePlan    = "unreadable_plan"    // JSON without a plan or Query Text
	dropUnknownDatabase   = "unknown_database"   // no target of the database (or of the claimed tenant)
	dropAmbiguousDatabase = "ambiguous_database" // several tenants' targets have the database's name and nothing says which
)

type frontLogs struct {
	exporter.Logs
	front
	telemetry *telemetry
}

// ConsumeLogs stamps the tenant, keeps the auto_explain plans (redacted) and drops the rest.
func (f *frontLogs) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	tenantstamp.Logs(ld, f.tenantOf(ctx))
	drops := map[string]int{}
	norm := sqlnorm.New(sqlnorm.PostgreSQL, 0)
	keys := f.slim.spanResKeys // the tenant attributes: the stamp and tenant.resource_attribute
	ld.ResourceLogs().RemoveIf(func(rl plog.ResourceLogs) bool {
		keepOnly(rl.Resource().Attributes(), keys)
		rl.SetSchemaUrl("")
		rl.ScopeLogs().RemoveIf(func(sl plog.ScopeLogs) bool {
			sl.LogRecords().RemoveIf(func(lr plog.LogRecord) bool {
				reason := redactPlanRecord(lr, norm)
				if reason != "" {
					drops[reason]++
				}
				return reason != ""
			})
			pcommon.NewInstrumentationScope().MoveTo(sl.Scope())
			sl.SetSchemaUrl("")
			return sl.LogRecords().Len() == 0
		})
		return rl.ScopeLogs().Len() == 0
	})
	for reason, n := range drops {
		f.telemetry.dropped(ctx, "log", reason, n)
	}
	if ld.ResourceLogs().Len() == 0 {
		return nil
	}
	return f.Logs.ConsumeLogs(ctx, ld)
}

// redactPlanRecord replaces an auto_explain record by its redacted plan, or says why it is
// dropped. The body is the jsonlog line as the filelog receiver reads it (a string), or its
// fields when the receiver's json_parser parsed it into the body.
func redactPlanRecord(lr plog.LogRecord, norm *sqlnorm.Normalizer) string {
	var rec queryplan.LogRecord
	switch body := lr.Body(); body.Type() {
	case pcommon.ValueTypeStr:
		r, err := queryplan.ParseLogRecord([]byte(body.Str()))
		if err != nil {
			return dropNotJSONLog
		}
		rec = r
	case pcommon.ValueTypeMap:
		get := func(k string) string {
			if v, ok := body.Map().Get(k); ok && v.Type() == pcommon.ValueTypeStr {
				return v.Str()
			}
			return ""
		}
		rec = queryplan.LogRecord{Timestamp: get("timestamp"), DBName: get("dbname"), Severity: get("error_severity"), Message: get("message")}
	default:
		return dropNotJSONLog
	}
	if rec.Message == "" {
		return dropNotJSONLog
	}
	if !queryplan.IsAutoExplain(rec.Message) {
		return dropNotAPlan
	}
	a, err := queryplan.ParseAutoExplain(rec.Message, norm)
	switch {
	case errors.Is(err, queryplan.ErrNotJSONFormat):
		return dropPlanNotJSON
	case err != nil:
		return dropUnreadablePlan
	}
	if t, ok := rec.Time(); ok {
		lr.SetTimestamp(pcommon.NewTimestampFromTime(t))
	} else if lr.ObservedTimestamp() != 0 {
		lr.SetTimestamp(lr.ObservedTimestamp())
	} else {
		lr.SetTimestamp(pcommon.NewTimestampFromTime(time.Now()))
	}
	lr.Attributes().Clear()
	lr.SetSeverityText("")
	lr.SetEventName("")
	m := lr.Body().SetEmptyMap()
	m.PutStr(planDBName, rec.DBName)
	m.PutDouble(planDurationMs, a.DurationMs)
	m.PutInt(planFingerprint, int64(a.Statement.Fingerprint))
	m.PutStr(planJSON, string(a.Plan.JSON))
	return ""
}

// planTenant decides the tenant of a plan of database db: the tenant of the target of that
// name. claimed (the stamped tenant of credentials, or the receiver's resource attribute) must
// be one of them; without a claim, the name must be one tenant's only.
func planTenant(targets map[string][]string, db, claimed string) (string, string) {
	tenants := targets[db]
	switch {
	case claimed != "" && slices.Contains(tenants, claimed):
		return claimed, ""
	case claimed != "" || len(tenants) == 0:
		return "", dropUnknownDatabase
	case len(tenants) > 1:
		return "", dropAmbiguousDatabase
	}
	return tenants[0], ""
}

func (e *perfExporter) pushLogs(ctx context.Context, ld plog.Logs) error {
	if _, err := e.connect(ctx); err != nil {
		return fmt.Errorf("perfpg: database unavailable: %w", err)
	}
	e.mu.Lock()
	pool, targets := e.pool, e.targetTenants
	e.mu.Unlock()
	var ss []queryplan.Sighting
	drops := map[string]int{}
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		rl := rls.At(i)
		claimed := tenantstamp.Claimed(rl.Resource().Attributes(), e.cfg.Tenant.ResourceAttribute)
		sls := rl.ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				lr := lrs.At(k)
				if lr.Body().Type() != pcommon.ValueTypeMap {
					drops[dropUnreadablePlan]++
					continue
				}
				body := lr.Body().Map()
				db, _ := body.Get(planDBName)
				tenant, reason := planTenant(targets, db.Str(), claimed)
				if reason != "" {
					drops[reason]++
					continue
				}
				raw, _ := body.Get(planJSON)
				// redacted in the front already: redacting again derives the hash and the text
				// (and redacts anything a replayed queue of an older version holds)
				p, err := queryplan.Redact([]byte(raw.Str()))
				if err != nil {
					drops[dropUnreadablePlan]++
					continue
				}
				fp, _ := body.Get(planFingerprint)
				dur, _ := body.Get(planDurationMs)
				ss = append(ss, queryplan.Sighting{Tenant: tenant, DBNamespace: db.Str(), Fingerprint: fp.Int(),
					Source: queryplan.SourceActual, Seen: lr.Timestamp().AsTime(), Plan: p, ExecMs: dur.Double()})
			}
		}
	}
	for reason, n := range drops {
		e.telemetry.dropped(ctx, "log", reason, n)
	}
	start := time.Now()
	_, err := queryplan.Store(ctx, pool, ss)
	e.telemetry.writeDuration(ctx, "logs", time.Since(start), err)
	if err != nil {
		return fmt.Errorf("perfpg: write plans: %w", err)
	}
	// sightings, each summed into its plan's row
	e.telemetry.written(ctx, perfdb.QueryPlansTable, int64(len(ss)))
	return nil
}
