package queryhashprocessor

import (
	"context"
	"strings"
	"sync"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/internal/semconv"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlname"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm/likeclass"
	"github.com/otelcol-perf/otelcol-perf/processor/queryhashprocessor/internal/metadata"
)

type queryHashProcessor struct {
	cfg    *Config
	logger *zap.Logger

	// normalizers hold per-dialect scratch buffers; a Normalizer is not safe for
	// concurrent use, and pipelines call the processor concurrently.
	normalizers sync.Pool
	results     *resultCache

	spans      metric.Int64Counter
	statements metric.Int64Counter
	truncated  metric.Int64Counter
	failed     metric.Int64Counter
	failedOnce sync.Once
	removed    metric.Int64Counter
	removeOnce sync.Once
}

type normalizerSet map[sqlnorm.Dialect]*sqlnorm.Normalizer

func newProcessor(cfg *Config, set processor.Settings) (*queryHashProcessor, error) {
	p := &queryHashProcessor{cfg: cfg, logger: set.Logger, results: newResultCache()}
	p.normalizers.New = func() any { return normalizerSet{} }
	meter := set.TelemetrySettings.MeterProvider.Meter(metadata.ScopeName)
	var err error
	if p.spans, err = meter.Int64Counter("otelcol_queryhash_spans",
		metric.WithDescription("Spans seen, by whether they were DB spans with a statement"), metric.WithUnit("{span}")); err != nil {
		return nil, err
	}
	if p.statements, err = meter.Int64Counter("otelcol_queryhash_statements_normalized",
		metric.WithDescription("Statements normalized and fingerprinted"), metric.WithUnit("{statement}")); err != nil {
		return nil, err
	}
	if p.truncated, err = meter.Int64Counter("otelcol_queryhash_statements_truncated",
		metric.WithDescription("Statements longer than max_statement_length, truncated before normalization"), metric.WithUnit("{statement}")); err != nil {
		return nil, err
	}
	if p.failed, err = meter.Int64Counter("otelcol_queryhash_statements_failed",
		metric.WithDescription("Statements that could not be normalized; their text was removed from the span"), metric.WithUnit("{statement}")); err != nil {
		return nil, err
	}
	if p.removed, err = meter.Int64Counter("otelcol_queryhash_statements_removed",
		metric.WithDescription("Statement attributes removed from spans without being normalized, per reason (not_string: a list, map, bytes or number, which would be stored as JSON or base64 of its literals)"),
		metric.WithUnit("{statement}")); err != nil {
		return nil, err
	}
	return p, nil
}

var (
	dbSpanAttr    = metric.WithAttributes(attribute.Bool("db_statement", true))
	otherSpanAttr = metric.WithAttributes(attribute.Bool("db_statement", false))
)

func (p *queryHashProcessor) processTraces(ctx context.Context, td ptrace.Traces) (ptrace.Traces, error) {
	set := p.normalizers.Get().(normalizerSet)
	defer p.normalizers.Put(set)
	var db, other, truncated int64
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		sss := rss.At(i).ScopeSpans()
		for j := 0; j < sss.Len(); j++ {
			spans := sss.At(j).Spans()
			for k := 0; k < spans.Len(); k++ {
				switch p.processSpan(ctx, set, spans.At(k)) {
				case spanNormalized:
					db++
				case spanTruncated:
					db++
					truncated++
				default:
					other++
				}
			}
		}
	}
	if db > 0 {
		p.spans.Add(ctx, db, dbSpanAttr)
		p.statements.Add(ctx, db)
	}
	if other > 0 {
		p.spans.Add(ctx, other, otherSpanAttr)
	}
	if truncated > 0 {
		p.truncated.Add(ctx, truncated)
	}
	return td, nil
}

type spanOutcome int

const (
	spanSkipped spanOutcome = iota
	spanNormalized
	spanTruncated
	spanFailed
)

var notStringAttr = metric.WithAttributes(attribute.String("reason", "not_string"))

func (p *queryHashProcessor) processSpan(ctx context.Context, set normalizerSet, span ptrace.Span) (outcome spanOutcome) {
	attrs := span.Attributes()
	systemVal, ok := attrs.Get(semconv.DBSystemName)
	if !ok {
		if systemVal, ok = attrs.Get(semconv.DBSystemOld); !ok {
			return spanSkipped // not a DB span: one or two attribute lookups
		}
	}
	system := ""
	if systemVal.Type() == pcommon.ValueTypeStr {
		system = systemVal.Str()
	}
	p.removeNonStringStatements(ctx, attrs)
	textKey := semconv.DBQueryText
	stmtVal, ok := attrs.Get(semconv.DBQueryText)
	if !ok {
		if stmtVal, ok = attrs.Get(semconv.DBStatementOld); !ok {
			// e.g. pg-pool.connect: no statement; its name may still be SQL
			if !p.cfg.KeepRawStatement {
				p.sanitizeName(set, span, system, "", nil)
			}
			return spanSkipped
		}
		textKey = semconv.DBStatementOld
	}
	stmt := stmtVal.Str()
	defer func() {
		// The normalizer is fuzzed never to panic; should it still, the span keeps
		// flowing and the raw statement does not.
		if r := recover(); r != nil {
			attrs.Remove(semconv.DBQueryText)
			attrs.Remove(semconv.DBStatementOld)
			p.failed.Add(ctx, 1)
			p.failedOnce.Do(func() {
				p.logger.Error("queryhash: normalizer panicked; statement removed (logged once)", zap.Any("panic", r))
			})
			outcome = spanFailed
		}
	}()

	dialect := sqlnorm.DialectFor(system)
	h := p.results.hash(dialect, stmt)
	var e cacheEntry
	if hit := p.results.get(h, dialect, stmt); hit != nil {
		e = *hit
	} else {
		e = cacheEntry{dialect: dialect, text: stmt, res: p.normalizer(set, system).Normalize(stmt), like: likeclass.Classify(dialect, stmt)}
		e.fingerprint = sqlnorm.FormatFingerprint(e.res.Fingerprint)
		if p.results.admit(h, stmt) {
			stored := e
			p.results.put(h, &stored)
		}
	}
	res := e.res
	// room for what is added below (like class, fingerprint, summary, operation,
	// collection) at once: appended one by one, a decoded span's attributes grow twice
	attrs.EnsureCapacity(attrs.Len() + 5)
	// The class, not the pattern, is kept: the redacted text cannot tell '%x' from 'x%'.
	if e.like != likeclass.None {
		attrs.PutStr(semconv.DBQueryLikePattern, e.like.String())
	} else {
		attrs.Remove(semconv.DBQueryLikePattern)
	}

	if !p.cfg.KeepRawStatement {
		attrs.PutStr(textKey, res.Normalized)
		if textKey == semconv.DBQueryText {
			if _, both := attrs.Get(semconv.DBStatementOld); both {
				attrs.PutStr(semconv.DBStatementOld, res.Normalized)
			}
		}
		p.sanitizeName(set, span, system, stmt, &res)
	}
	attrs.PutStr(p.cfg.FingerprintAttribute, e.fingerprint)
	putIfAbsent(attrs, semconv.DBQuerySummary, res.Summary)
	putIfAbsent(attrs, semconv.DBOperationName, res.Operation)
	putIfAbsent(attrs, semconv.DBCollectionName, res.Collection)
	if res.Truncated {
		return spanTruncated
	}
	return spanNormalized
}

func (p *queryHashProcessor) normalizer(set normalizerSet, system string) *sqlnorm.Normalizer {
	dialect := sqlnorm.DialectFor(system)
	n := set[dialect]
	if n == nil {
		n = sqlnorm.New(dialect, p.cfg.MaxStatementLength)
		set[dialect] = n
	}
	return n
}

// removeNonStringStatements removes statement attributes that are not strings. Only a
// string is a statement: stringified, a list, map or bytes becomes JSON or base64 whose
// literals survive normalization (as one quoted identifier), so it is never read, and it
// is removed even with keep_raw_statement, since it may hold literals.
func (p *queryHashProcessor) removeNonStringStatements(ctx context.Context, attrs pcommon.Map) {
	for _, key := range semconv.DBStatement {
		v, ok := attrs.Get(key)
		if !ok || v.Type() == pcommon.ValueTypeStr {
			continue
		}
		typ := v.Type().String()
		attrs.Remove(key)
		p.removed.Add(ctx, 1, notStringAttr)
		p.removeOnce.Do(func() {
			p.logger.Warn("queryhash: removed a statement attribute that is not a string (logged once; see otelcol_queryhash_statements_removed)",
				zap.String("attribute", key), zap.String("type", typ))
		})
	}
}

// sanitizeName replaces a span name that holds SQL with literals, whether or not it is
// the span's statement: some instrumentations name the span after the raw statement or
// prefix it ("pg.query:SELECT ..."). The new name is the statement's summary (res), or,
// without a statement, the summary of the SQL in the name. Names without literals
// ("pg.query:SELECT shop", "SELECT orders") are kept.
func (p *queryHashProcessor) sanitizeName(set normalizerSet, span ptrace.Span, system, stmt string, res *sqlnorm.Result) {
	name := span.Name()
	if name == "" || res != nil && name == res.Summary {
		return // the common case: named by the conventions, after the summary
	}
	if stmt == "" || !strings.Contains(name, stmt) {
		sql, ok := sqlname.Find(name)
		if !ok {
			return
		}
		var own sqlnorm.Result
		if !sqlname.HasLiteralSigns(sql) {
			// Without quotes, comments or escapes a literal is a number (TRUE and FALSE are
			// no secret); the lexer tells a number from a digit in an identifier.
			if strings.IndexAny(sql, "0123456789") < 0 {
				return
			}
			if own = p.normalizer(set, system).Normalize(sql); !strings.Contains(own.Normalized, "?") {
				return
			}
		} else if res == nil {
			own = p.normalizer(set, system).Normalize(sql)
		}
		if res == nil {
			res = &own
		}
	}
	span.SetName(nameFor(*res))
}

func nameFor(res sqlnorm.Result) string {
	if res.Summary != "" {
		return res.Summary
	}
	return "query"
}

func putIfAbsent(attrs pcommon.Map, key, value string) {
	if value == "" {
		return
	}
	if _, ok := attrs.Get(key); !ok {
		attrs.PutStr(key, value)
	}
}
