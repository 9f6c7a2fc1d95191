package sqlnorm

import (
	"strings"
	"testing"
)

// leakCase is a statement in which secret is literal (or comment) text under
// at least one plausible reading of the statement by the server of system.
type leakCase struct {
	system string // db.system value, mapped with DialectFor
	in     string
	secret string
}

// assertNoLeaks normalizes each c.in and fails if c.secret appears, in any
// case, in Normalized, Summary or Collection.
func assertNoLeaks(t *testing.T, cases []leakCase) {
	t.Helper()
	for _, c := range cases {
		d := DialectFor(c.system)
		r := New(d, 0).Normalize(c.in)
		low := strings.ToLower(c.secret)
		for _, out := range []string{r.Normalized, r.Summary, r.Collection} {
			if strings.Contains(strings.ToLower(out), low) {
				t.Errorf("%s (%s) %q: %q leaked in %q", c.system, d, c.in, c.secret, out)
				break
			}
		}
	}
}

// PostgreSQL accepts any byte >= 0x80 in a dollar-quote tag.
func TestLeakDollarTagNonASCII(t *testing.T) {
	assertNoLeaks(t, []leakCase{
		{"postgresql", "SELECT $ä$ zqSECRET $ä$", "zqSECRET"},
		{"postgresql", "SELECT $tägß$ it's zqSECRET $tägß$, 1", "zqSECRET"},
		{"postgresql", "SELECT $€$ zqSECRET $€$", "zqSECRET"},
		{"other_sql", "SELECT $ä$ zqSECRET $ä$", "zqSECRET"},
	})
}

// Whether a backslash escapes the next character depends on a server
// setting (MySQL NO_BACKSLASH_ESCAPES, PostgreSQL
// standard_conforming_strings) or on the dialect (ClickHouse always).
func TestLeakBackslashReadings(t *testing.T) {
	assertNoLeaks(t, []leakCase{
		// NO_BACKSLASH_ESCAPES: 'a\' is a whole string, 'zqSECRET' the next one
		{"mysql", `SELECT * FROM t WHERE a = 'a\' , 'zqSECRET' , 'b'`, "zqSECRET"},
		{"mysql", `SELECT * FROM t WHERE a = "a\" , "zqSECRET" , "b"`, "zqSECRET"},
		{"mariadb", `INSERT INTO t VALUES ('C:\', 'zqSECRET')`, "zqSECRET"},
		// standard_conforming_strings=off: 'x\' , zqSECRET , ' is one string
		{"postgresql", `SELECT 'x\' , zqSECRET , '`, "zqSECRET"},
		{"postgresql", `SELECT N'x\' , zqSECRET , '`, "zqSECRET"},
		{"other_sql", `SELECT 'x\' , zqSECRET , '`, "zqSECRET"},
		{"other_sql", `SELECT "x\" , zqSECRET , "`, "zqSECRET"},
		{"clickhouse", `SELECT 'x\' , zqSECRET , '`, "zqSECRET"},
		// MySQL: `x\` is a name and 'zqSECRET' a string; ClickHouse: one name
		{"other_sql", "SELECT `x\\` , 'zqSECRET' , `", "zqSECRET"},
		// E'' is an escape string only in PostgreSQL; elsewhere e is a name
		{"sqlite", `SELECT e'a\' , 'zqSECRET' , 'b'`, "zqSECRET"},
		{"oracle", `SELECT e'a\' , 'zqSECRET' , 'b' FROM dual`, "zqSECRET"},
	})
}

// SQL Server and ClickHouse nest block comments, MySQL, Oracle and SQLite do
// not; the generic dialect cannot know which.
func TestLeakNestedComments(t *testing.T) {
	assertNoLeaks(t, []leakCase{
		{"mssql", "SELECT 1 /* a /* b */ zqSECRET */ FROM t", "zqSECRET"},
		{"microsoft.sql_server", "SELECT 1 /* a /* b */ zqSECRET */ FROM t", "zqSECRET"},
		{"clickhouse", "SELECT 1 /* a /* b */ zqSECRET */ FROM t", "zqSECRET"},
		{"other_sql", "SELECT 1 /* a /* b */ zqSECRET */ FROM t", "zqSECRET"},
		// non-nested reading: ' */ , zqSECRET, ' is a string
		{"other_sql", "SELECT /* /* */ ' */ , zqSECRET, '", "zqSECRET"},
		// MySQL executes /*! */: a string in it may contain */
		{"mysql", "SELECT /*!50000 'x*/zqSECRET' */ 1", "zqSECRET"},
	})
}

// Dialects folded into generic until now, each with a quoting rule of its own.
func TestLeakFoldedDialects(t *testing.T) {
	assertNoLeaks(t, []leakCase{
		// Oracle alternative quoting
		{"oracle", "SELECT q'[it's zqSECRET]' FROM dual", "zqSECRET"},
		{"oracle", "SELECT Q'{a'b zqSECRET}' FROM dual", "zqSECRET"},
		{"oracle", "SELECT nq'<x'y zqSECRET>' FROM dual", "zqSECRET"},
		{"oracle", "SELECT q'!it's zqSECRET!' FROM dual", "zqSECRET"},
		{"other_sql", "SELECT q'[it's zqSECRET]' FROM dual", "zqSECRET"},
		// SQLite: "..." that names no column is a string
		{"sqlite", `SELECT * FROM t WHERE name = "zqSECRET"`, "zqSECRET"},
		// SQL Server with QUOTED_IDENTIFIER OFF: "..." is a string
		{"mssql", `SELECT * FROM t WHERE a = "zqSECRET"`, "zqSECRET"},
		// BigQuery, Spark: "..." is a string
		{"other_sql", `SELECT * FROM t WHERE a = "zqSECRET"`, "zqSECRET"},
		// PostgreSQL: ` is an operator character, 's , zqSECRET , ' a string
		{"other_sql", "SELECT `it's` , zqSECRET , 'x'", "zqSECRET"},
		// MySQL: a string after FROM inside TRIM
		{"other_sql", `SELECT TRIM(LEADING 'x' FROM "zqSECRET") FROM t`, "zqSECRET"},
		{"sqlite", `SELECT * FROM t WHERE a = TRIM(BOTH FROM "zqSECRET")`, "zqSECRET"},
		// FROM before brackets nested beyond the tracked depth
		{"other_sql", "SELECT * FROM " + strings.Repeat("(", 70) + `a = "zqSECRET"`, "zqSECRET"},
		// SQL Server: [it's] is an identifier, 'zqSECRET' a string
		{"mssql", "SELECT a [it's] FROM t WHERE x = 'zqSECRET'", "zqSECRET"},
		{"other_sql", "SELECT a [it's] FROM t WHERE x = 'zqSECRET'", "zqSECRET"},
		// ClickHouse heredoc: the tag is anything up to the next $
		{"clickhouse", "SELECT $a b$ zqSECRET $a b$", "zqSECRET"},
		// ClickHouse and CQL // comments, ClickHouse and MySQL # comments
		{"clickhouse", "SELECT 1 // it's\n, 'zqSECRET'", "zqSECRET"},
		{"cassandra", "SELECT * FROM t // it's\nWHERE a = 'zqSECRET'", "zqSECRET"},
		{"clickhouse", "SELECT 1 # it's\n, 'zqSECRET'", "zqSECRET"},
		{"other_sql", "SELECT 1 # it's\n, 'zqSECRET'", "zqSECRET"},
		{"other_sql", "SELECT 1 // it's\n, 'zqSECRET'", "zqSECRET"},
		// CQL constants: unquoted UUIDs and durations
		{"cassandra", "SELECT * FROM t WHERE id = 123e4567-e89b-12d3-a456-426655440000", "e89b"},
		{"cassandra", "SELECT * FROM t WHERE id = 123e4567-e89b-12d3-a456-426655440000", "a456"},
		{"cassandra", "SELECT * FROM t WHERE id = deadbeef-e89b-12d3-a456-426655440000", "deadbeef"},
		{"cassandra", "SELECT * FROM t WHERE d = 1h30m", "h30m"},
		{"other_sql", "SELECT * FROM t WHERE id = deadbeef-e89b-12d3-a456-426655440000", "deadbeef"},
	})
}

// Comment rules that differ between dialects.
func TestLeakCommentEnds(t *testing.T) {
	assertNoLeaks(t, []leakCase{
		// PostgreSQL ends -- comments at \r too
		{"postgresql", "SELECT 1 -- c\r' \n zqSECRET '", "zqSECRET"},
		// MySQL: --' is minus minus and a string
		{"other_sql", "SELECT a--'\n, zqSECRET, '", "zqSECRET"},
	})
}

// Truncation may cut a statement inside any quote or comment. Each input is
// checked in the dialects in which zqSECRET is quoted or commented text.
func TestLeakTruncation(t *testing.T) {
	pad := strings.Repeat(" pad", 40)
	all := []string{"postgresql", "mysql", "other_sql", "oracle", "mssql", "sqlite", "clickhouse", "cassandra"}
	for _, c := range []struct {
		in      string
		systems []string
	}{
		{"SELECT $a$ zqSECRET" + pad + " $a$", []string{"postgresql", "other_sql", "clickhouse", "cassandra"}},
		{"SELECT 1 /* zqSECRET" + pad + " */", all},
		{"SELECT 1 /* /* */ zqSECRET" + pad + " */", []string{"postgresql", "other_sql", "mssql", "clickhouse"}},
		{"SELECT 'zqSECRET" + pad + "'", all},
		{"SELECT \"zqSECRET" + pad + "\"", all},
		{"SELECT q'[zqSECRET" + pad + "]'", []string{"oracle", "other_sql"}},
		{"SELECT 'a\\' , zqSECRET" + pad + "'", []string{"postgresql", "mysql", "other_sql", "clickhouse"}},
	} {
		for _, sys := range c.systems {
			r := New(DialectFor(sys), 48).Normalize(c.in)
			if !r.Truncated {
				t.Fatalf("%q not truncated", c.in)
			}
			if strings.Contains(strings.ToLower(r.Normalized), "zqsecret") {
				t.Errorf("%s %.60q: leaked in %q", sys, c.in, r.Normalized)
			}
		}
	}
}
