package queryhashprocessor

import (
	"context"
	"sync"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
	"github.com/otelcol-perf/otelcol-perf/processor/queryhashprocessor/internal/metadata"
)

// Attribute names read and written (semantic conventions, stable names first).
const (
	attrDBSystemName   = "db.system.name"
	attrDBSystem       = "db.system" // deprecated
	attrQueryText      = "db.query.text"
	attrStatement      = "db.statement" // deprecated
	attrQuerySummary   = "db.query.summary"
	attrOperationName  = "db.operation.name"
	attrCollectionName = "db.collection.name"
)

type queryHashProcessor struct {
	cfg    *Config
	logger *zap.Logger

	// normalizers hold per-dialect scratch buffers; a Normalizer is not safe for
	// concurrent use, and pipelines call the processor concurrently.
	normalizers sync.Pool

	spans      metric.Int64Counter
	statements metric.Int64Counter
	truncated  metric.Int64Counter
	failed     metric.Int64Counter
	failedOnce sync.Once
}

type normalizerSet [sqlnorm.NumDialects]*sqlnorm.Normalizer // indexed by sqlnorm.Dialect

func newProcessor(cfg *Config, set processor.Settings) (*queryHashProcessor, error) {
	p := &queryHashProcessor{cfg: cfg, logger: set.Logger}
	p.normalizers.New = func() any { return new(normalizerSet) }
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
	return p, nil
}

var (
	dbSpanAttr    = metric.WithAttributes(attribute.Bool("db_statement", true))
	otherSpanAttr = metric.WithAttributes(attribute.Bool("db_statement", false))
)

func (p *queryHashProcessor) processTraces(ctx context.Context, td ptrace.Traces) (ptrace.Traces, error) {
	set := p.normalizers.Get().(*normalizerSet)
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

func (p *queryHashProcessor) processSpan(ctx context.Context, set *normalizerSet, span ptrace.Span) (outcome spanOutcome) {
	attrs := span.Attributes()
	system, ok := attrs.Get(attrDBSystemName)
	if !ok {
		if system, ok = attrs.Get(attrDBSystem); !ok {
			return spanSkipped // not a DB span: one or two attribute lookups
		}
	}
	textKey := attrQueryText
	stmtVal, ok := attrs.Get(attrQueryText)
	if !ok {
		if stmtVal, ok = attrs.Get(attrStatement); !ok {
			return spanSkipped // e.g. pg-pool.connect: no statement
		}
		textKey = attrStatement
	}
	stmt := stmtVal.AsString()
	defer func() {
		// The normalizer is fuzzed never to panic; should it still, the span keeps
		// flowing and the raw statement does not.
		if r := recover(); r != nil {
			attrs.Remove(attrQueryText)
			attrs.Remove(attrStatement)
			p.failed.Add(ctx, 1)
			p.failedOnce.Do(func() {
				p.logger.Error("queryhash: normalizer panicked; statement removed (logged once)", zap.Any("panic", r))
			})
			outcome = spanFailed
		}
	}()

	dialect := sqlnorm.DialectFor(system.AsString())
	n := set[dialect]
	if n == nil {
		n = sqlnorm.New(dialect, p.cfg.MaxStatementLength)
		set[dialect] = n
	}
	res := n.Normalize(stmt)

	if !p.cfg.KeepRawStatement {
		attrs.PutStr(textKey, res.Normalized)
		if textKey == attrQueryText {
			if _, both := attrs.Get(attrStatement); both {
				attrs.PutStr(attrStatement, res.Normalized)
			}
		}
		// Some instrumentations name the span after the raw statement.
		if span.Name() == stmt {
			span.SetName(nameFor(res))
		}
	}
	attrs.PutStr(p.cfg.FingerprintAttribute, sqlnorm.FormatFingerprint(res.Fingerprint))
	putIfAbsent(attrs, attrQuerySummary, res.Summary)
	putIfAbsent(attrs, attrOperationName, res.Operation)
	putIfAbsent(attrs, attrCollectionName, res.Collection)
	if res.Truncated {
		return spanTruncated
	}
	return spanNormalized
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
