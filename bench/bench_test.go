package bench

import (
	"testing"

	"github.com/DataDog/go-sqllexer"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

// newSQLLexer returns go-sqllexer configured roughly like the Datadog
// agent's database monitoring: collect tables and commands, keep SQL
// aliases, upper-case keywords, remove spaces between parentheses, replace
// digits in identifiers and obfuscate dollar-quoted function bodies.
func newSQLLexer() (*sqllexer.Obfuscator, *sqllexer.Normalizer) {
	obf := sqllexer.NewObfuscator(
		sqllexer.WithReplaceDigits(true),
		sqllexer.WithDollarQuotedFunc(true),
	)
	norm := sqllexer.NewNormalizer(
		sqllexer.WithCollectTables(true),
		sqllexer.WithCollectCommands(true),
		sqllexer.WithKeepSQLAlias(true),
		sqllexer.WithUppercaseKeywords(true),
		sqllexer.WithRemoveSpaceBetweenParentheses(true),
	)
	return obf, norm
}

// BenchmarkNormalize runs both normalizers over the same statements in the
// same process. One op = one statement (the short set is cycled through).
func BenchmarkNormalize(b *testing.B) {
	for _, name := range SetNames {
		stmts, err := LoadSet(SetDir, name)
		if err != nil {
			b.Fatal(err)
		}
		total := 0
		for _, s := range stmts {
			total += len(s)
		}
		avg := int64(total / len(stmts))
		b.Run(name+"/impl=sqlnorm", func(b *testing.B) {
			n := sqlnorm.New(sqlnorm.PostgreSQL, 1<<20) // no truncation: compare equal work
			b.SetBytes(avg)
			b.ReportAllocs()
			var sink int
			for i := 0; b.Loop(); i++ {
				r := n.Normalize(stmts[i%len(stmts)])
				sink += len(r.Normalized)
			}
			_ = sink
		})
		b.Run(name+"/impl=sqllexer", func(b *testing.B) {
			obf, norm := newSQLLexer()
			b.SetBytes(avg)
			b.ReportAllocs()
			var sink int
			for i := 0; b.Loop(); i++ {
				out, _, err := sqllexer.ObfuscateAndNormalize(stmts[i%len(stmts)], obf, norm, sqllexer.WithDBMS(sqllexer.DBMSPostgres))
				if err != nil {
					b.Fatal(err)
				}
				sink += len(out)
			}
			_ = sink
		})
	}
}
