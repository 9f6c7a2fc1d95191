package sqlnorm

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

type normCase struct {
	name string
	in   string
	want string
}

func runNormCases(t *testing.T, d Dialect, cases []normCase) {
	t.Helper()
	n := New(d, 0)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := n.Normalize(c.in)
			if r.Normalized != c.want {
				t.Errorf("Normalize(%q)\n got: %s\nwant: %s", c.in, r.Normalized, c.want)
			}
			if r.Fingerprint != Fingerprint(r.Normalized) {
				t.Errorf("fingerprint is not xxh64(Normalized)")
			}
		})
	}
}

// Rules shared by all dialects.
var commonCases = []normCase{
	{"empty", "", ""},
	{"spaces only", " \n\t ", ""},
	{"simple", "SELECT * FROM users WHERE id = 1", "SELECT * FROM users WHERE id = ?"},
	{"keyword case and whitespace", "select  *\n\tfrom Users\r\nwhere ID=42", "SELECT * FROM users WHERE id = ?"},
	{"string", "SELECT * FROM t WHERE name = 'bob'", "SELECT * FROM t WHERE name = ?"},
	{"string doubled quote", "SELECT * FROM t WHERE name = 'O''Brien' AND x = 1", "SELECT * FROM t WHERE name = ? AND x = ?"},
	{"empty string", "SELECT ''", "SELECT ?"},
	{"float", "SELECT 1.5, .5, 5., 1e-5, 2.5E+10, 1_000", "SELECT ?, ?, ?, ?, ?, ?"},
	{"hex number", "SELECT 0xDEADbeef, 0b1010, 0o17", "SELECT ?, ?, ?"},
	{"bit and hex strings", "SELECT B'0101', X'ff', x'00', b'1', N'nat'", "SELECT ?, ?, ?, ?, ?"},
	{"booleans", "UPDATE t SET a = TRUE, b = false", "UPDATE t SET a = ?, b = ?"},
	{"null kept", "SELECT * FROM t WHERE a IS NULL AND b = NULL", "SELECT * FROM t WHERE a IS NULL AND b = NULL"},
	{"is not null", "SELECT * FROM t WHERE a is not null", "SELECT * FROM t WHERE a IS NOT NULL"},
	{"negative literal", "SELECT * FROM t WHERE a = -1 AND b > - 2.5", "SELECT * FROM t WHERE a = ? AND b > ?"},
	{"binary minus", "SELECT a - 1, a-1, a -1, (a) - 1, f(x) -1 FROM t", "SELECT a - ?, a - ?, a - ?, (a) - ?, f(x) - ? FROM t"},
	{"unary minus on column", "SELECT -a, - b FROM t", "SELECT - a, - b FROM t"},
	{"sign after operator", "SELECT a*-1, a/+2, a=-3 FROM t", "SELECT a * ?, a / ?, a = ? FROM t"},
	{"double minus", "SELECT a - -1 FROM t", "SELECT a - ? FROM t"},
	{"limit offset", "SELECT * FROM t LIMIT 10 OFFSET 20", "SELECT * FROM t LIMIT ? OFFSET ?"},
	{"line comment", "SELECT 1 -- comment 'x'\nFROM t", "SELECT ? FROM t"},
	{"block comment", "SELECT /* hi */ 1 FROM /* x */ t", "SELECT ? FROM t"},
	{"sqlcommenter", "SELECT * FROM t /*controller='users',action='index',traceparent='00-abc-01'*/", "SELECT * FROM t"},
	{"leading comment", "/* app=api */ SELECT 1", "SELECT ?"},
	{"unterminated comment", "SELECT 1 /* never closed 'secret'", "SELECT ?"},
	{"unterminated string", "SELECT * FROM t WHERE a = 'never closed", "SELECT * FROM t WHERE a = ?"},
	{"in list", "SELECT * FROM t WHERE id IN (1, 2, 3)", "SELECT * FROM t WHERE id IN (?)"},
	{"in list one", "SELECT * FROM t WHERE id IN (7)", "SELECT * FROM t WHERE id IN (?)"},
	{"in list strings", "SELECT * FROM t WHERE s IN ('a','b')", "SELECT * FROM t WHERE s IN (?)"},
	{"in list with null", "SELECT * FROM t WHERE s IN ('a', NULL)", "SELECT * FROM t WHERE s IN (?)"},
	{"not in list", "SELECT * FROM t WHERE id NOT IN (1,2)", "SELECT * FROM t WHERE id NOT IN (?)"},
	{"in list with column", "SELECT * FROM t WHERE id IN (a, 1, 2)", "SELECT * FROM t WHERE id IN (a, ?, ?)"},
	{"in list with expression", "SELECT * FROM t WHERE id IN (1 + 1, 2)", "SELECT * FROM t WHERE id IN (? + ?, ?)"},
	{"in tuples", "SELECT * FROM t WHERE (a, b) IN ((1, 2), (3, 4), (5, 6))", "SELECT * FROM t WHERE (a, b) IN ((?, ?))"},
	{"in subquery keeps is null", "SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE x IS NULL AND y = NULL)", "SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE x IS NULL AND y = NULL)"},
	{"in tuples with null", "SELECT * FROM t WHERE (a, b) IN ((1, NULL), (NULL, 2))", "SELECT * FROM t WHERE (a, b) IN ((?, ?))"},
	{"values coalesce null", "INSERT INTO t VALUES (coalesce(NULL, 1))", "INSERT INTO t VALUES (coalesce(NULL, ?))"},
	{"in subquery", "SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE x = 1)", "SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE x = ?)"},
	{"empty in", "SELECT * FROM t WHERE id IN ()", "SELECT * FROM t WHERE id IN ()"},
	{"values rows", "INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3, 'z')", "INSERT INTO t(a, b) VALUES (?, ?)"},
	{"values one row", "INSERT INTO t (a, b) VALUES (1, 'x')", "INSERT INTO t(a, b) VALUES (?, ?)"},
	{"values null rows", "INSERT INTO t VALUES (1, NULL), (NULL, 2)", "INSERT INTO t VALUES (?, ?)"},
	{"values default", "INSERT INTO t VALUES (DEFAULT, 1), (DEFAULT, 2)", "INSERT INTO t VALUES (DEFAULT, ?)"},
	{"values mixed arity", "INSERT INTO t VALUES (1, 2), (3)", "INSERT INTO t VALUES (?, ?), (?)"},
	{"values with function", "INSERT INTO t VALUES (1, now()), (2, now())", "INSERT INTO t VALUES (?, now()), (?, now())"},
	{"values then clause", "INSERT INTO t VALUES (1), (2) RETURNING id", "INSERT INTO t VALUES (?) RETURNING id"},
	{"values derived table", "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(id, name)", "SELECT * FROM (VALUES (?, ?)) AS v(id, name)"},
	{"trailing semicolon", "SELECT 1;", "SELECT ?"},
	{"semicolons", "BEGIN; SELECT 1; COMMIT;;", "BEGIN; SELECT ?; COMMIT"},
	{"asc dropped", "SELECT * FROM t ORDER BY a ASC, b DESC, c", "SELECT * FROM t ORDER BY a, b DESC, c"},
	{"nulls first", "SELECT * FROM t ORDER BY a DESC NULLS LAST", "SELECT * FROM t ORDER BY a DESC NULLS LAST"},
	{"function call spacing", "SELECT COUNT( * ), max( a ) FROM t", "SELECT count(*), max(a) FROM t"},
	{"qualified names", "SELECT t . a, s.t.b FROM s . t", "SELECT t.a, s.t.b FROM s.t"},
	{"star", "SELECT t.* FROM t", "SELECT t.* FROM t"},
	{"between", "SELECT * FROM t WHERE a BETWEEN 1 AND 10", "SELECT * FROM t WHERE a BETWEEN ? AND ?"},
	{"like", "SELECT * FROM t WHERE a LIKE '%x%' ESCAPE '!'", "SELECT * FROM t WHERE a LIKE ? ESCAPE ?"},
	{"case", "SELECT CASE WHEN a > 1 THEN 'x' ELSE 'y' END FROM t", "SELECT CASE WHEN a > ? THEN ? ELSE ? END FROM t"},
	{"end minus is binary", "SELECT CASE WHEN a THEN 1 END - 1 FROM t", "SELECT CASE WHEN a THEN ? END - ? FROM t"},
	{"operators", "SELECT * FROM t WHERE a<>1 AND b!=2 AND c<=3 AND d>=4 AND e||'x' = f", "SELECT * FROM t WHERE a <> ? AND b != ? AND c <= ? AND d >= ? AND e || ? = f"},
	{"join types", "SELECT * FROM a LEFT OUTER JOIN b ON a.id = b.id CROSS JOIN c", "SELECT * FROM a LEFT OUTER JOIN b ON a.id = b.id CROSS JOIN c"},
	{"for update", "SELECT * FROM t WHERE id = 1 FOR UPDATE SKIP LOCKED", "SELECT * FROM t WHERE id = ? FOR UPDATE SKIP LOCKED"},
	{"interval typed literal", "SELECT now() - interval '1 day'", "SELECT now() - INTERVAL ?"},
	{"typed literal", "SELECT DATE '2024-01-01'", "SELECT date ?"},
	{"control chars", "SELECT\x00 1\x01FROM\x7ft", "SELECT ? FROM t"},
	{"identifier with digits", "SELECT t1.col2 FROM tab3 t1", "SELECT t1.col2 FROM tab3 t1"},
	{"identifier with dollar", "SELECT a$b FROM t", "SELECT a$b FROM t"},
	{"non-ascii identifier", "SELECT Größe FROM Maße", "SELECT größe FROM maße"},
	{"invalid utf8 identifier", "SELECT a\xffb FROM t", "SELECT a\uFFFDb FROM t"},
	{"colon placeholder", "SELECT * FROM t WHERE a = :name AND b = :1", "SELECT * FROM t WHERE a = ? AND b = ?"},
	{"python placeholders", "SELECT * FROM t WHERE a = %s AND b = %(name)s AND c = a % b", "SELECT * FROM t WHERE a = ? AND b = ? AND c = a % b"},
	{"curly braces", "{call proc(1)}", "{ CALL proc(?) }"},
}

var pgCases = []normCase{
	{"dollar placeholder", "SELECT * FROM t WHERE id = $1 AND b = $22", "SELECT * FROM t WHERE id = ? AND b = ?"},
	{"negative dollar placeholder", "SELECT * FROM t WHERE id = -$1", "SELECT * FROM t WHERE id = ?"},
	{"question placeholder", "SELECT * FROM t WHERE id = ? AND b=?", "SELECT * FROM t WHERE id = ? AND b = ?"},
	{"in dollar params", "SELECT * FROM t WHERE id IN ($1, $2, $3)", "SELECT * FROM t WHERE id IN (?)"},
	{"any array", "SELECT * FROM t WHERE id = ANY(ARRAY[1, 2, 3])", "SELECT * FROM t WHERE id = ANY(ARRAY[?])"},
	{"any param", "SELECT * FROM t WHERE id = ANY($1::int[])", "SELECT * FROM t WHERE id = ANY(?::int[])"},
	{"array literal", "SELECT ARRAY[1,2,3], ARRAY['a'], '{1,2}'::int[]", "SELECT ARRAY[?], ARRAY[?], ?::int[]"},
	{"nested array", "SELECT ARRAY[[1,2],[3,4]]", "SELECT ARRAY[[?, ?]]"},
	{"array with column", "SELECT ARRAY[a, 1]", "SELECT ARRAY[a, ?]"},
	{"subscript", "SELECT a[1], a[1:2], a[:2], a[x:] FROM t", "SELECT a[?], a[? : ?], a[: ?], a[x :] FROM t"},
	{"array of named params", "SELECT ARRAY[:a, :b], x[:n] FROM t", "SELECT ARRAY[?], x[: n] FROM t"},
	{"numbered question placeholder", "SELECT * FROM t WHERE a = ?1 AND b = ?2", "SELECT * FROM t WHERE a = ? AND b = ?"},
	{"escape string", `SELECT E'it\'s \\ here', e'x'`, "SELECT ?, ?"},
	{"backslash string without escapes", `SELECT 'C:\\x', 1`, "SELECT ?, ?"},
	{"backslash string escapes agree", `SELECT 'a\\\\b', 'c\\n', 1`, "SELECT ?, ?, ?"},
	// with standard_conforming_strings off 'C:\', 1 is one unterminated string
	{"backslash quote redacts the rest", `SELECT 'C:\', 1 FROM t`, "SELECT ?"},
	{"unicode string", `SELECT U&'d\0061t\+000061', u&'x'`, "SELECT ?, ?"},
	{"dollar quoted", "SELECT $$it's $1 'x'$$, $tag$ a $$ b $tag$, $a1$x$a1$", "SELECT ?, ?, ?"},
	{"unterminated dollar", "SELECT $body$ secret", "SELECT ?"},
	{"lone dollar", "SELECT $ FROM t", "SELECT $ FROM t"},
	{"cast", "SELECT x::text, '1'::INT, CAST(y AS varchar(10)) FROM t", "SELECT x::text, ?::int, CAST(y AS varchar(?)) FROM t"},
	{"quoted identifier kept", `SELECT "Users"."Id" FROM "Users"`, `SELECT "Users"."Id" FROM "Users"`},
	{"quoted lower simple", `SELECT "users"."id" FROM "public"."users"`, "SELECT users.id FROM public.users"},
	{"quoted keyword", `SELECT "order", "select" FROM t`, `SELECT "order", "select" FROM t`},
	{"quoted with space", `SELECT "my col" FROM t`, `SELECT "my col" FROM t`},
	{"quoted doubled", `SELECT "a""b" FROM t`, `SELECT "a""b" FROM t`},
	{"unterminated quoted ident", `SELECT "abc`, `SELECT ?`},
	{"unterminated quoted ident upper", `SELECT a, "Abc`, `SELECT a, ?`},
	{"non-ascii dollar tag", "SELECT $ä$ x $ä$, $€1$ y $€1$", "SELECT ?, ?"},
	{"unterminated dollar tag", "SELECT 1, $ä$ x", "SELECT ?, ?"},
	{"line comment ends at cr", "SELECT a -- c\rFROM t", "SELECT a FROM t"},
	{"colon before cast", "SELECT a : ::0", "SELECT a : ::?"},
	{"json operators", "SELECT d->'a', d->>'b', d#>'{a,b}', d#>>'{a}', d @> '{}', d <@ '{}', d ? 'k', d ?| array['a'], d ?& array['b'] FROM t",
		"SELECT d -> ?, d ->> ?, d #> ?, d #>> ?, d @> ?, d <@ ?, d ? ?, d ?| ARRAY[?], d ?& ARRAY[?] FROM t"},
	{"json op without spaces", "SELECT d->>'a' FROM t WHERE d?'k'", "SELECT d ->> ? FROM t WHERE d ? ?"},
	{"placeholder after json op", "SELECT * FROM t WHERE d ? ?", "SELECT * FROM t WHERE d ? ?"},
	{"nested comments", "SELECT /* a /* b */ c */ 1", "SELECT ?"},
	{"double dash always comment", "SELECT a--1\nFROM t", "SELECT a FROM t"},
	{"regex operators", "SELECT * FROM t WHERE a ~* 'x' AND b !~ 'y'", "SELECT * FROM t WHERE a ~* ? AND b !~ ?"},
	{"operator ending in minus", "SELECT a@-1, b<-2 FROM t", "SELECT a @- ?, b < ? FROM t"},
	{"on conflict", "INSERT INTO t (id, n) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET n = EXCLUDED.n RETURNING *",
		"INSERT INTO t(id, n) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET n = excluded.n RETURNING *"},
	{"backtick is an operator char", "SELECT a ` b", "SELECT a ` b"},
	{"hash is operator", "SELECT a # b FROM t", "SELECT a # b FROM t"},
	{"at operator", "SELECT @ -5, a @> b", "SELECT @ ?, a @> b"},
	{"prisma", `SELECT "public"."User"."id", "public"."User"."email" FROM "public"."User" WHERE ("public"."User"."email" = $1 AND 1=1) LIMIT $2 OFFSET $3`,
		`SELECT public."User".id, public."User".email FROM public."User" WHERE (public."User".email = ? AND ? = ?) LIMIT ? OFFSET ?`},
}

var mysqlCases = []normCase{
	{"double quoted string", `SELECT * FROM t WHERE a = "bob" AND b = "x""y"`, "SELECT * FROM t WHERE a = ? AND b = ?"},
	{"backslash escapes agree", `SELECT * FROM t WHERE a = 'a\nb' AND b = "x\\" AND c = 'x\\'`, "SELECT * FROM t WHERE a = ? AND b = ? AND c = ?"},
	// under NO_BACKSLASH_ESCAPES 'it\' ends before s
	{"backslash quote redacts the rest", `SELECT * FROM t WHERE a = 'it\'s' AND b = "say \"hi\"" AND c = 'x\\'`, "SELECT * FROM t WHERE a = ?"},
	{"versioned comment with a quote", "SELECT /*!50000 'x*/y' */ 1 FROM t", "SELECT ?"},
	{"backtick identifiers", "SELECT `id`, `Name`, `order`, `my col` FROM `Users`", "SELECT id, name, `order`, `my col` FROM users"},
	{"backtick doubled", "SELECT `a``b` FROM t", "SELECT `a``b` FROM t"},
	{"hash comment", "SELECT 1 # comment 'x'\nFROM t", "SELECT ? FROM t"},
	{"dash comment needs space", "SELECT a--1 FROM t", "SELECT a - ? FROM t"},
	{"dash comment", "SELECT a -- 1\nFROM t", "SELECT a FROM t"},
	{"placeholders", "SELECT * FROM t WHERE a = ? AND b IN (?, ?, ?)", "SELECT * FROM t WHERE a = ? AND b IN (?)"},
	{"charset introducer", "SELECT _utf8mb4'abc', _binary'x'", "SELECT ?, ?"},
	{"hex", "SELECT 0xFF, X'FF'", "SELECT ?, ?"},
	{"variables", "SELECT @a, @@session.sql_mode, @@version", "SELECT @a, @@session.sql_mode, @@version"},
	{"assign", "SET @a := 1", "SET @a := ?"},
	{"dollar in identifier", "SELECT a$ FROM t$1", "SELECT a$ FROM t$1"},
	{"on duplicate key", "INSERT INTO t (a, b) VALUES (1, 2), (3, 4) ON DUPLICATE KEY UPDATE b = VALUES(b)",
		"INSERT INTO t(a, b) VALUES (?, ?) ON DUPLICATE key UPDATE b = VALUES (b)"},
	{"json arrow", "SELECT doc->'$.a', doc->>'$.b' FROM t", "SELECT doc -> ?, doc ->> ? FROM t"},
	{"spaceship", "SELECT * FROM t WHERE a <=> NULL", "SELECT * FROM t WHERE a <=> NULL"},
	{"dollar quoting not in mysql", "SELECT $$x$$", "SELECT $$x$$"},
	{"versioned comment", "SELECT /*!40001 SQL_NO_CACHE */ * FROM t", "SELECT * FROM t"},
}

var genericCases = []normCase{
	{"bracket identifiers", "SELECT [Id], [Order Details].[Unit Price] FROM [dbo].[Orders]", "SELECT id, [order details].[unit price] FROM dbo.orders"},
	{"at params", "SELECT * FROM t WHERE id = @p0 AND name = @Name", "SELECT * FROM t WHERE id = ? AND name = ?"},
	{"system var", "SELECT @@ROWCOUNT", "SELECT @@rowcount"},
	// MySQL # comment (SQL Server temp tables have a dialect of their own)
	{"hash comment", "SELECT * FROM t # JOIN ##global g ON 1 = 1\nWHERE a = 1", "SELECT * FROM t WHERE a = ?"},
	{"hash comment hiding a quote", "SELECT * FROM t # it's\nWHERE a = 'x'", "SELECT * FROM t ?"},
	{"question numbered", "SELECT * FROM t WHERE a = ?1 AND b = ?", "SELECT * FROM t WHERE a = ? AND b = ?"},
	{"backslash escapes agree", `SELECT 'C:\\x', 'x' FROM t`, "SELECT ?, ? FROM t"},
	{"backslash quote redacts the rest", `SELECT 'C:\', 'x' FROM t`, "SELECT ?"},
	// "..." is a string in MySQL, BigQuery, SQLite (fallback)
	{"double quoted string or identifier", `SELECT "Name", x AS "Total", "s"."T" FROM "t" JOIN "U" ON a = "v"`, `SELECT ?, x AS "Total", s."T" FROM t JOIN "U" ON a = ?`},
	{"nested comment readings agree", "SELECT /* a */ 1 /* b */", "SELECT ?"},
	{"nested comment readings differ", "SELECT 1 /* a /* b */ c */ FROM t", "SELECT ? ?"},
	{"dash dash readings agree", "SELECT a--b\nFROM t", "SELECT a FROM t"},
	{"q quote readings agree", "SELECT q'[x]', 1", "SELECT ?, ?"},
	{"q quote readings differ", "SELECT q'[it's]', 1", "SELECT ?"},
	{"dollar quote hiding a quote", "SELECT $a$ it's $a$, 1", "SELECT ?"},
	{"bracket hiding a quote", "SELECT a [it's] FROM t", "SELECT a ?"},
	{"array of strings", "SELECT ARRAY['a', 'b'] FROM t", "SELECT ARRAY ?"},
	{"bracket with a number", "SELECT [a + 1] FROM t", "SELECT [a + ?] FROM t"},
	{"uuid", "SELECT * FROM t WHERE id = deadbeef-e89b-12d3-a456-426655440000", "SELECT * FROM t WHERE id = ?"},
	{"backtick identifier", "SELECT `Name` FROM t", "SELECT name FROM t"},
	{"dollar params", "SELECT * FROM t WHERE a = $1", "SELECT * FROM t WHERE a = ?"},
	{"array subscript", "SELECT a[1] FROM t", "SELECT a[?] FROM t"},
	{"top", "SELECT TOP 10 * FROM t", "SELECT top ? * FROM t"},
}

var oracleCases = []normCase{
	{"q quotes", "SELECT q'[it's]', Q'{a}b}', q'<x>', q'(y)', q'!z!', nq'#w#', N'n' FROM dual", "SELECT ?, ?, ?, ?, ?, ?, ? FROM dual"},
	{"q quote multibyte delimiter", "SELECT q'äit'sä' FROM dual", "SELECT ? FROM dual"},
	{"unterminated q quote", "SELECT q'[x' FROM dual", "SELECT ?"},
	{"no backslash escapes", `SELECT 'C:\', 'x' FROM dual`, "SELECT ?, ? FROM dual"},
	{"quoted identifiers", `SELECT "Name", "id" FROM "Users"`, `SELECT "Name", id FROM "Users"`},
	{"flat comments", "SELECT 1 /* a /* b */ c FROM dual", "SELECT ? c FROM dual"},
	{"binds and db links", "SELECT * FROM t@remote WHERE a = :1 AND b = :name", "SELECT * FROM t @ remote WHERE a = ? AND b = ?"},
	{"dollar names", "SELECT * FROM v$session", "SELECT * FROM v$session"},
}

var sqlserverCases = []normCase{
	{"bracket identifiers", "SELECT [Id], [Order Details].[Unit Price], [a]]b] FROM [dbo].[Orders]", "SELECT id, [order details].[unit price], [a]]b] FROM dbo.orders"},
	{"bracket hiding a quote", "SELECT a [it's] FROM t WHERE x = 'y'", "SELECT a ?"},
	{"bracket that is an array elsewhere", "SELECT [1, 2], [a2 b], [a 2] FROM t", "SELECT ?, [a2 b], ? FROM t"},
	{"unterminated bracket", "SELECT [abc", "SELECT ?"},
	{"nested comments", "SELECT /* a /* b */ c */ 1", "SELECT ?"},
	{"national strings and params", "SELECT * FROM t WHERE a = N'x' AND b = @p0 AND c = @@ROWCOUNT", "SELECT * FROM t WHERE a = ? AND b = ? AND c = @@rowcount"},
	{"temp tables", "SELECT * FROM #tmp JOIN ##global g ON 1 = 1", "SELECT * FROM #tmp JOIN ##global g ON ? = ?"},
	{"money", "SELECT $12.50, $action FROM t", "SELECT ?, $action FROM t"},
	{"double quotes in name positions", `SELECT "a"."B", "C" FROM "T" WHERE x = "y"`, `SELECT a."B", ? FROM "T" WHERE x = ?`},
	{"top", "SELECT TOP 10 * FROM [dbo].[Orders] WHERE id = @p0", "SELECT top ? * FROM dbo.orders WHERE id = ?"},
}

var sqliteCases = []normCase{
	{"double quoted string fallback", `SELECT "id" FROM "t" WHERE name = "bob"`, `SELECT ? FROM t WHERE name = ?`},
	{"qualified double quoted", `SELECT "t"."Id" FROM "t"`, `SELECT t."Id" FROM t`},
	{"brackets end at the first ]", "SELECT [a]]b] FROM [T]", "SELECT a] b] FROM t"},
	// found by FuzzNoLiteralSurvives: array items read as a name
	{"bracket holding numbers", "SELECT [\n51, 51\n] FROM t", "SELECT ? FROM t"},
	{"bracket holding a parameter", "SELECT [$51, $51] FROM t", "SELECT ?"},
	{"parameters", "SELECT * FROM t WHERE a = ?1 AND b = :n AND c = @n AND d = $n AND e = #n", "SELECT * FROM t WHERE a = ? AND b = ? AND c = ? AND d = ? AND e = ?"},
	{"no backslash escapes", `SELECT 'C:\', 'x'`, "SELECT ?, ?"},
	{"flat comments", "SELECT 1 /* a /* b */ c", "SELECT ? c"},
}

var clickhouseCases = []normCase{
	{"backslash escapes", `SELECT 'it\'s', 'C:\\' FROM t`, "SELECT ?, ? FROM t"},
	{"identifiers", "SELECT `Name`, \"Id\" FROM db.t", `SELECT name, "Id" FROM db.t`},
	{"heredoc", "SELECT $doc$ it's $doc$, $x y$ z $x y$, 1", "SELECT ?, ?, ?"},
	{"unterminated heredoc", "SELECT $doc$ x", "SELECT ?"},
	{"comments", "SELECT 1 // c\n, 2 # d\n, 3 #!e\n, 4 -- f\n FROM t /* a /* b */ c */", "SELECT ?, ?, ?, ? FROM t"},
	{"arrays", "SELECT [1, 2], arr[1] FROM t", "SELECT [?, ?], arr[?] FROM t"},
	{"query parameters", "SELECT * FROM t WHERE id = {id:UInt32}", "SELECT * FROM t WHERE id = { id : uint32 }"},
}

var cassandraCases = []normCase{
	{"dollar strings", "INSERT INTO ks.t (a, b) VALUES ($$it's$$, 'x')", "INSERT INTO ks.t(a, b) VALUES (?, ?)"},
	{"uuid and blob", "SELECT * FROM t WHERE id = 123e4567-e89b-12d3-a456-426655440000 AND b = 0xCAFE", "SELECT * FROM t WHERE id = ? AND b = ?"},
	{"durations", "SELECT * FROM t WHERE d = 1h30m OR d = P1Y2M OR d = PT4H", "SELECT * FROM t WHERE d = ? OR d = ? OR d = ?"},
	{"comments", "SELECT * FROM t // x\nWHERE a = 1 -- y\r", "SELECT * FROM t WHERE a = ?"},
	{"quoted identifiers", `SELECT "Name" FROM "ks"."T"`, `SELECT "Name" FROM ks."T"`},
}

func TestNormalizeOracle(t *testing.T)     { runNormCases(t, Oracle, oracleCases) }
func TestNormalizeSQLServer(t *testing.T)  { runNormCases(t, SQLServer, sqlserverCases) }
func TestNormalizeSQLite(t *testing.T)     { runNormCases(t, SQLite, sqliteCases) }
func TestNormalizeClickHouse(t *testing.T) { runNormCases(t, ClickHouse, clickhouseCases) }
func TestNormalizeCassandra(t *testing.T)  { runNormCases(t, Cassandra, cassandraCases) }

func TestParseDialect(t *testing.T) {
	for d := range Dialect(NumDialects) {
		if got, ok := ParseDialect(strings.ToUpper(d.String())); !ok || got != d {
			t.Errorf("ParseDialect(%q) = %v, %v", d.String(), got, ok)
		}
	}
	if _, ok := ParseDialect("mssql"); ok {
		t.Error("ParseDialect accepts db.system values")
	}
}

func TestNormalizeCommon(t *testing.T) {
	for d := range Dialect(NumDialects) {
		t.Run(d.String(), func(t *testing.T) { runNormCases(t, d, commonCases) })
	}
}

func TestNormalizePostgreSQL(t *testing.T) { runNormCases(t, PostgreSQL, pgCases) }
func TestNormalizeMySQL(t *testing.T)      { runNormCases(t, MySQL, mysqlCases) }
func TestNormalizeGeneric(t *testing.T)    { runNormCases(t, Generic, genericCases) }

func TestSameFingerprint(t *testing.T) {
	groups := []struct {
		d     Dialect
		stmts []string
	}{
		{PostgreSQL, []string{
			"SELECT * FROM users WHERE id = 1",
			"select * from users where id = $1",
			"SELECT *\n  FROM Users -- trailing\n WHERE ID = ?",
			"/* controller='u' */ SELECT * FROM \"users\" WHERE id = 'x';",
			"SELECT * FROM users WHERE id = -42",
			"SELECT * FROM users WHERE id = E'a\\'b'",
			"SELECT * FROM users WHERE id = $tag$x$tag$",
		}},
		{PostgreSQL, []string{
			"SELECT * FROM t WHERE id IN (1)",
			"SELECT * FROM t WHERE id IN (1, 2, 3, 4, 5)",
			"SELECT * FROM t WHERE id IN ($1, $2)",
			"SELECT * FROM t WHERE id in ('a','b','c')",
		}},
		{PostgreSQL, []string{
			"INSERT INTO t (a, b) VALUES (1, 2)",
			"INSERT INTO t (a, b) VALUES (1, 2), (3, 4), (5, 6)",
			"insert into t (a,b) values ($1,$2),($3,$4)",
		}},
		{PostgreSQL, []string{
			"SELECT * FROM t ORDER BY a",
			"SELECT * FROM t ORDER BY a ASC",
		}},
		{PostgreSQL, []string{
			"SELECT * FROM t WHERE x = ANY(ARRAY[1,2,3])",
			"SELECT * FROM t WHERE x = ANY(ARRAY[4])",
		}},
		{MySQL, []string{
			"SELECT * FROM `users` WHERE `id` = 1",
			"select * from users where id = ?",
			"SELECT * FROM users WHERE id = \"abc\" # c",
			"SELECT * FROM Users WHERE id = 'it\\'s'",
		}},
		{Generic, []string{
			"SELECT * FROM [Users] WHERE id = @p0",
			"SELECT * FROM users WHERE id = ?",
			"SELECT * FROM users WHERE id = :id",
			"SELECT * FROM users WHERE id = 5",
		}},
	}
	for gi, g := range groups {
		n := New(g.d, 0)
		first := n.Normalize(g.stmts[0])
		for _, s := range g.stmts[1:] {
			r := n.Normalize(s)
			if r.Fingerprint != first.Fingerprint {
				t.Errorf("group %d (%s): fingerprints differ\n  %q -> %s\n  %q -> %s", gi, g.d, g.stmts[0], first.Normalized, s, r.Normalized)
			}
		}
	}
}

func TestDifferentFingerprint(t *testing.T) {
	pairs := []struct {
		d    Dialect
		a, b string
	}{
		{PostgreSQL, "SELECT * FROM users WHERE id = 1", "SELECT * FROM orders WHERE id = 1"},
		{PostgreSQL, "SELECT * FROM users WHERE id = 1", "SELECT * FROM users WHERE uid = 1"},
		{PostgreSQL, "SELECT * FROM users WHERE id = 1", "SELECT * FROM users WHERE id > 1"},
		{PostgreSQL, "SELECT * FROM a JOIN b ON a.x = b.x", "SELECT * FROM a LEFT JOIN b ON a.x = b.x"},
		{PostgreSQL, "SELECT * FROM t ORDER BY a", "SELECT * FROM t ORDER BY a DESC"},
		{PostgreSQL, "SELECT * FROM t ORDER BY a ASC", "SELECT * FROM t ORDER BY a DESC"},
		{PostgreSQL, "SELECT * FROM t", "SELECT * FROM t LIMIT 1"},
		{PostgreSQL, "SELECT * FROM t WHERE id = 1", "SELECT * FROM t WHERE id = 1 FOR UPDATE"},
		{PostgreSQL, `SELECT * FROM "Users"`, "SELECT * FROM Users"},
		{PostgreSQL, `SELECT * FROM "Users"`, `SELECT * FROM "USERS"`},
		{PostgreSQL, "SELECT * FROM t WHERE a IS NULL", "SELECT * FROM t WHERE a = 1"},
		{PostgreSQL, "SELECT * FROM t WHERE a IN (1, 2)", "SELECT * FROM t WHERE a IN (b, 2)"},
		{PostgreSQL, "SELECT * FROM t WHERE a IN (1, b)", "SELECT * FROM t WHERE a IN (1, 2, b)"},
		{PostgreSQL, "INSERT INTO t VALUES (1, 2)", "INSERT INTO t VALUES (1, 2, 3)"},
		{PostgreSQL, "SELECT a - 1 FROM t", "SELECT a + 1 FROM t"},
		{PostgreSQL, "SELECT d ? 'k' FROM t", "SELECT d ?| 'k' FROM t"},
		{PostgreSQL, "SELECT DISTINCT a FROM t", "SELECT a FROM t"},
		{PostgreSQL, "SELECT * FROM t WHERE a = 1 AND b = 2", "SELECT * FROM t WHERE a = 1 OR b = 2"},
		{PostgreSQL, "SELECT count(*) FROM t", "SELECT count(a) FROM t"},
		{PostgreSQL, "SELECT a FROM t UNION SELECT a FROM u", "SELECT a FROM t UNION ALL SELECT a FROM u"},
		{MySQL, "SELECT * FROM t WHERE a = 1", "SELECT * FROM t WHERE `a b` = 1"},
		{MySQL, "SELECT * FROM t LOCK IN SHARE MODE", "SELECT * FROM t FOR UPDATE"},
		{Generic, "SELECT * FROM t WHERE a = 1", "SELECT * FROM t WHERE a <> 1"},
	}
	for _, p := range pairs {
		n := New(p.d, 0)
		ra, rb := n.Normalize(p.a), n.Normalize(p.b)
		if ra.Fingerprint == rb.Fingerprint {
			t.Errorf("%s: same fingerprint for\n  %q -> %s\n  %q -> %s", p.d, p.a, ra.Normalized, p.b, rb.Normalized)
		}
	}
}

func TestSummary(t *testing.T) {
	cases := []struct {
		d                 Dialect
		in                string
		summary, op, coll string
	}{
		{PostgreSQL, "SELECT * FROM wuser_table WHERE username = ?", "SELECT wuser_table", "SELECT", "wuser_table"},
		{PostgreSQL, "INSERT INTO shipping_details (order_id, address) SELECT order_id, address FROM orders WHERE order_id = ?", "INSERT shipping_details SELECT orders", "INSERT", "shipping_details"},
		{PostgreSQL, "SELECT * FROM songs, artists WHERE songs.artist_id = artists.id", "SELECT songs artists", "SELECT", "songs"},
		{PostgreSQL, "SELECT order_date FROM (SELECT * FROM orders o JOIN customers c ON o.customer_id = c.customer_id)", "SELECT SELECT orders customers", "SELECT", ""},
		{PostgreSQL, "SELECT * FROM orders o JOIN customers c ON o.cid = c.id LEFT JOIN public.addresses a ON a.id = c.aid", "SELECT orders customers public.addresses", "SELECT", "orders"},
		{PostgreSQL, "UPDATE accounts SET balance = balance - 1 WHERE id = 1", "UPDATE accounts", "UPDATE", "accounts"},
		{PostgreSQL, "DELETE FROM sessions WHERE id = 1", "DELETE sessions", "DELETE", "sessions"},
		{PostgreSQL, "SELECT * FROM t WHERE id = 1 FOR UPDATE", "SELECT t", "SELECT", "t"},
		{PostgreSQL, "INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 2", "INSERT t", "INSERT", "t"},
		{PostgreSQL, "WITH x AS (SELECT * FROM a) SELECT * FROM x JOIN b ON x.id = b.id", "SELECT a SELECT x b", "SELECT", "x"},
		{PostgreSQL, "WITH d AS (DELETE FROM q WHERE id = 1 RETURNING *) INSERT INTO log SELECT * FROM d", "DELETE q INSERT log SELECT d", "INSERT", "log"},
		{PostgreSQL, "SELECT * FROM generate_series(1, 10) g JOIN t ON t.id = g", "SELECT t", "SELECT", "t"},
		{PostgreSQL, "SELECT * FROM t WHERE id IN (SELECT tid FROM u)", "SELECT t SELECT u", "SELECT", "t"},
		{PostgreSQL, `SELECT * FROM "public"."User" AS u`, `SELECT public."User"`, "SELECT", `public."User"`},
		{PostgreSQL, "SELECT * FROM a, LATERAL (SELECT * FROM b) s, c", "SELECT a SELECT b c", "SELECT", "a"},
		{PostgreSQL, "SELECT 1", "SELECT", "SELECT", ""},
		{PostgreSQL, "BEGIN", "BEGIN", "BEGIN", ""},
		{PostgreSQL, "CREATE TABLE IF NOT EXISTS events (id int)", "CREATE events", "CREATE", "events"},
		{PostgreSQL, "CREATE OR REPLACE VIEW v AS SELECT * FROM t", "CREATE v SELECT t", "CREATE", "v"},
		{PostgreSQL, "TRUNCATE TABLE logs", "TRUNCATE logs", "TRUNCATE", "logs"},
		{PostgreSQL, "EXPLAIN ANALYZE DELETE FROM t", "EXPLAIN DELETE t", "EXPLAIN", "t"},
		{PostgreSQL, "CALL refresh_stats(1)", "CALL refresh_stats", "CALL", "refresh_stats"},
		{PostgreSQL, "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT (id) VALUES (s.id)", "MERGE t s", "MERGE", "t"},
		{PostgreSQL, "SELECT a FROM t UNION ALL SELECT a FROM u", "SELECT t SELECT u", "SELECT", "t"},
		{PostgreSQL, "SELECT 1; UPDATE t SET a = 1", "SELECT UPDATE t", "SELECT", "t"},
		{PostgreSQL, "DELETE FROM t USING u WHERE t.id = u.id", "DELETE t u", "DELETE", "t"},
		{PostgreSQL, "SELECT replace(a, 'x', 'y') FROM t", "SELECT t", "SELECT", "t"},
		{MySQL, "REPLACE INTO kv (k, v) VALUES (?, ?)", "REPLACE kv", "REPLACE", "kv"},
		{MySQL, "INSERT INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE a = 2", "INSERT t", "INSERT", "t"},
		{MySQL, "UPDATE a, b SET a.x = b.y WHERE a.id = b.id", "UPDATE a b", "UPDATE", "a"},
		{MySQL, "INSERT IGNORE INTO `Order Items` SET a = 1", "INSERT `order items`", "INSERT", "`order items`"},
		{MySQL, "SELECT * FROM db.t1 STRAIGHT_JOIN t2", "SELECT db.t1 t2", "SELECT", "db.t1"},
		{Generic, "SELECT * FROM [dbo].[Users] u", "SELECT dbo.users", "SELECT", "dbo.users"},
		{Generic, "EXEC sp_who", "EXEC sp_who", "EXEC", "sp_who"},
		{Generic, "", "", "", ""},
		{Generic, "hello world", "", "", ""},
	}
	for _, c := range cases {
		r := New(c.d, 0).Normalize(c.in)
		if r.Summary != c.summary || r.Operation != c.op || r.Collection != c.coll {
			t.Errorf("%s %q:\n got summary=%q op=%q coll=%q\nwant summary=%q op=%q coll=%q", c.d, c.in, r.Summary, r.Operation, r.Collection, c.summary, c.op, c.coll)
		}
	}
}

func TestSummaryCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("SELECT * FROM t0")
	for i := 1; i < 200; i++ {
		b.WriteString(" JOIN table_number_" + strings.Repeat("x", i%7) + " ON 1 = 1")
	}
	r := New(PostgreSQL, 0).Normalize(b.String())
	if len(r.Summary) > MaxSummaryLen {
		t.Fatalf("summary too long: %d", len(r.Summary))
	}
	if !strings.HasPrefix(r.Summary, "SELECT t0 table_number_") || strings.HasSuffix(r.Summary, " ") {
		t.Fatalf("bad summary %q", r.Summary)
	}
	for _, w := range strings.Fields(r.Summary)[2:] {
		if !strings.HasPrefix(w, "table_number_") {
			t.Fatalf("summary cut inside a word: %q", r.Summary)
		}
	}
	// a single huge name does not fit at all
	long := "SELECT * FROM " + strings.Repeat("a", 300) + ".b"
	r = New(PostgreSQL, 0).Normalize(long)
	if r.Summary != "SELECT" || r.Collection != "" {
		t.Fatalf("got %q / %q", r.Summary, r.Collection)
	}
}

func TestRobustness(t *testing.T) {
	inputs := []string{
		"'", "\"", "`", "$", "$$", "$a", "$a$", "E'", "U&'", "/*", "--", "#", "(", ")", "[", "]",
		"((((((", "))))))", "]]]", ",,,", ";;;", "::", ":", "?", "-", "+", "-1", ".", ".5.", "0x", "0b", "1e", "1e+",
		"\xff\xfe\xfd", "\x00\x00", "SELECT \xc3", "SELECT '\xff", "\"\xff\"", "`\xff", "[\xff]",
		"SELECT %(", "SELECT %(a", "SELECT %(a)", "@", "@@", "@'x'", "VALUES", "VALUES (", "VALUES (1),", "IN (", "ARRAY[",
		strings.Repeat("(", 10000) + "1" + strings.Repeat(")", 10000),
		strings.Repeat("[", 1000),
		strings.Repeat("/*", 1000),
		strings.Repeat("SELECT ", 10000),
	}
	for d := range Dialect(NumDialects) {
		n := New(d, 0)
		for _, in := range inputs {
			r := n.Normalize(in)
			if !utf8.ValidString(r.Normalized) || !utf8.ValidString(r.Summary) {
				t.Errorf("%s %q: invalid UTF-8 output %q", d, in, r.Normalized)
			}
		}
	}
}

func TestTruncation(t *testing.T) {
	n := New(PostgreSQL, 64)
	secret := "zq8xSECRETzq8x"
	// the cap falls inside the string literal
	in := "SELECT * FROM users WHERE name = 'aaaaaaaaaaaa " + secret + strings.Repeat(" pad", 40) + "'"
	r := n.Normalize(in)
	if !r.Truncated {
		t.Fatal("not truncated")
	}
	if strings.Contains(r.Normalized, "SECRET") || strings.Contains(r.Normalized, "pad") {
		t.Fatalf("literal leaked: %q", r.Normalized)
	}
	if r.Normalized != "SELECT * FROM users WHERE name = ?" {
		t.Fatalf("got %q", r.Normalized)
	}
	// cut at a token boundary: the identifier before the cap is not split
	in = "SELECT " + strings.Repeat("column_name, ", 10)
	r = n.Normalize(in)
	if !r.Truncated || strings.HasSuffix(r.Normalized, "colu") || len(r.Normalized) > 80 {
		t.Fatalf("got %q", r.Normalized)
	}
	// 1 MB statement with the default cap
	big := "SELECT * FROM t WHERE id IN (" + strings.Repeat("123456789, ", 100000) + "1)"
	r = New(PostgreSQL, 0).Normalize(big)
	if !r.Truncated || strings.ContainsAny(r.Normalized, "0123456789") {
		t.Fatalf("1MB: truncated=%v len=%d", r.Truncated, len(r.Normalized))
	}
	// no whitespace at all near the cap
	r = New(PostgreSQL, 100).Normalize("SELECT " + strings.Repeat("\xff", 500))
	if !r.Truncated || !utf8.ValidString(r.Normalized) {
		t.Fatalf("got %q", r.Normalized)
	}
	// exactly at the cap: not truncated
	r = New(PostgreSQL, 8).Normalize("SELECT 1")
	if r.Truncated || r.Normalized != "SELECT ?" {
		t.Fatalf("got %+v", r)
	}
}

func TestDialectFor(t *testing.T) {
	for in, want := range map[string]Dialect{
		"postgresql": PostgreSQL, "postgres": PostgreSQL, "cockroachdb": PostgreSQL, "redshift": PostgreSQL, "PostgreSQL": PostgreSQL,
		"mysql": MySQL, "mariadb": MySQL, "tidb": MySQL, "MySQL": MySQL,
		"aws.redshift": PostgreSQL,
		"oracle":       Oracle, "oracle.db": Oracle, "ORACLE": Oracle,
		"mssql": SQLServer, "microsoft.sql_server": SQLServer, "MSSQL": SQLServer,
		"sqlite": SQLite, "clickhouse": ClickHouse, "ClickHouse": ClickHouse, "cassandra": Cassandra,
		"": Generic, "other_sql": Generic, "db2": Generic, "h2": Generic,
	} {
		if got := DialectFor(in); got != want {
			t.Errorf("DialectFor(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestFormatFingerprint(t *testing.T) {
	for fp, want := range map[uint64]string{0: "0000000000000000", 1: "0000000000000001", 0xdeadbeefcafef00d: "deadbeefcafef00d", ^uint64(0): "ffffffffffffffff"} {
		if got := FormatFingerprint(fp); got != want {
			t.Errorf("FormatFingerprint(%x) = %s", fp, got)
		}
		if got := string(AppendFingerprint(nil, fp)); got != want {
			t.Errorf("AppendFingerprint(%x) = %s", fp, got)
		}
	}
}

// Published XXH64 (seed 0) test vectors.
func TestXXH64(t *testing.T) {
	for in, want := range map[string]uint64{
		"":    0xef46db3751d8e999,
		"a":   0xd24ec4f1a98c6e5b,
		"abc": 0x44bc2cf5ad770999,
		"Nobody inspects the spammish repetition":      0xfbcea83c8a378bf1,
		"The quick brown fox jumps over the lazy dog":  0x0b242d361fda71bc,
		"The quick brown fox jumps over the lazy dog.": 0x44ad33705751ad73,
	} {
		if got := Fingerprint(in); got != want {
			t.Errorf("xxh64(%q) = %016x, want %016x", in, got, want)
		}
	}
}

func TestAllocs(t *testing.T) {
	stmts := []string{
		`SELECT "users"."id", "users"."email" FROM "users" WHERE "users"."id" = $1 LIMIT $2`,
		"INSERT INTO orders (a, b, c) VALUES (1, 'x', NULL), (2, 'y', NULL) RETURNING id",
		"SELECT * FROM orders o JOIN customers c ON o.cid = c.id WHERE c.id IN (1, 2, 3) ORDER BY o.created_at DESC",
		"UPDATE t SET a = a + 1 WHERE id = 1",
	}
	for d := range Dialect(NumDialects) {
		n := New(d, 0)
		for _, s := range stmts {
			n.Normalize(s) // warm the scratch buffers
			allocs := testing.AllocsPerRun(200, func() { n.Normalize(s) })
			if allocs > 1 {
				t.Errorf("%s: %v allocs for %q", d, allocs, s)
			}
		}
	}
}

// TestAdversarialLinear feeds inputs built to trigger quadratic behaviour
// and checks that each normalizes quickly at the default cap.
func TestAdversarialLinear(t *testing.T) {
	patterns := []string{"%(", "$a$", "$", "'", "\"", "`", "[a", "[", "(", ")", "/*", "-- ", "- ", "? ", ":a", "@a", "e'", "IN (1, ", "VALUES (1), ", "ARRAY[", "FROM a, ", "a.", "\xff", "0x", "1e", "::", "E'\\", "\"\"", "''",
		"q'[", "q'x", "$ä$", "$a ", "[a", "[a]", "# '", "// '", "--'", "/*/*", "/* */", "'\\", "\"a\\", "`'", "1h", "deadbeef-", "FROM \"a\" ", "-- \r'"}
	for d := range Dialect(NumDialects) {
		n := New(d, 0)
		for _, p := range patterns {
			in := strings.Repeat(p, DefaultMaxLen/len(p)+1)
			best := time.Hour
			for range 3 {
				start := time.Now()
				n.Normalize(in)
				best = min(best, time.Since(start))
			}
			// ~0.3 ms is typical for 32 KiB; quadratic behaviour would take seconds
			if best > 50*time.Millisecond {
				t.Errorf("%s %q x%d: %v per statement", d, p, len(in)/len(p), best)
			}
		}
	}
}
