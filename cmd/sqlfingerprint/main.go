// Command sqlfingerprint prints the fingerprint, db.query.summary and
// normalized text of SQL statements, one output line per statement:
//
//	fingerprint<TAB>summary<TAB>normalized
//
// Statements are read from standard input, one per line (inside a line the
// two characters \n stand for a newline; empty lines are skipped), or
// NUL-separated with -0. It uses the same normalizer as the queryhash
// processor, so with the same dialect and -max-len it prints the same
// fingerprints the collector stores; use it to see why two queries group
// together.
//
// Usage:
//
//	sqlfingerprint [-dialect generic|postgresql|mysql|oracle|sqlserver|sqlite|clickhouse|cassandra] [-0] [-max-len N] < statements
//
// -dialect also takes the db.system values the processor maps (mariadb,
// mssql, oracle.db, microsoft.sql_server, ...).
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

func main() {
	if err := run(os.Stdin, os.Stdout, os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "sqlfingerprint:", err)
		os.Exit(2)
	}
}

// dialectUsage lists the dialect names -dialect accepts.
var dialectUsage = func() string {
	names := make([]string, sqlnorm.NumDialects)
	for d := range sqlnorm.Dialect(sqlnorm.NumDialects) {
		names[d] = d.String()
	}
	return strings.Join(names, "|")
}()

// parseDialect accepts a dialect name, pg / other, or any db.system value
// the processor maps to a dialect (mariadb, mssql, oracle.db, ...).
func parseDialect(s string) (sqlnorm.Dialect, error) {
	if d, ok := sqlnorm.ParseDialect(s); ok {
		return d, nil
	}
	switch strings.ToLower(s) {
	case "pg":
		return sqlnorm.PostgreSQL, nil
	case "other", "other_sql":
		return sqlnorm.Generic, nil
	}
	if d := sqlnorm.DialectFor(s); d != sqlnorm.Generic {
		return d, nil
	}
	return 0, fmt.Errorf("unknown dialect %q (want %s, or a db.system value)", s, dialectUsage)
}

// run is main without the process globals, for tests.
func run(stdin io.Reader, stdout io.Writer, args []string) error {
	fs := flag.NewFlagSet("sqlfingerprint", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	dialectName := fs.String("dialect", "postgresql", "SQL dialect: "+dialectUsage+", or a db.system value")
	nul := fs.Bool("0", false, "statements are separated by NUL bytes instead of newlines")
	maxLen := fs.Int("max-len", sqlnorm.DefaultMaxLen, "truncate statements longer than this many bytes (as the processor does)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: sqlfingerprint [-dialect "+dialectUsage+"] [-0] [-max-len N] < statements")
		fmt.Fprintln(fs.Output(), "prints: fingerprint<TAB>summary<TAB>normalized")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q (statements are read from stdin)", fs.Args())
	}
	d, err := parseDialect(*dialectName)
	if err != nil {
		return err
	}
	n := sqlnorm.New(d, *maxLen)
	sep := byte('\n')
	if *nul {
		sep = 0
	}
	in := bufio.NewReaderSize(stdin, 64<<10)
	out := bufio.NewWriterSize(stdout, 64<<10)
	var line []byte
	for {
		stmt, rerr := in.ReadString(sep) // no length limit
		if rerr != nil && rerr != io.EOF {
			return rerr
		}
		stmt = strings.TrimSuffix(stmt, string(sep))
		if !*nul {
			stmt = strings.TrimSuffix(stmt, "\r")
			stmt = strings.ReplaceAll(stmt, `\n`, "\n")
		}
		if strings.TrimSpace(stmt) != "" {
			r := n.Normalize(stmt)
			line = sqlnorm.AppendFingerprint(line[:0], r.Fingerprint)
			line = append(line, '\t')
			line = appendEscaped(line, r.Summary)
			line = append(line, '\t')
			line = appendEscaped(line, r.Normalized)
			line = append(line, '\n')
			if _, err := out.Write(line); err != nil {
				return err
			}
		}
		if rerr == io.EOF {
			break
		}
	}
	return out.Flush()
}

// appendEscaped keeps one statement per output line: tabs, newlines and
// carriage returns (possible only inside quoted identifiers) are escaped.
func appendEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\t':
			dst = append(dst, `\t`...)
		case '\n':
			dst = append(dst, `\n`...)
		case '\r':
			dst = append(dst, `\r`...)
		case '\\':
			dst = append(dst, `\\`...)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
