// Package sqlnorm normalizes SQL statements, computes a stable 64-bit
// fingerprint of their shape and derives the OpenTelemetry db.query.summary.
//
// It is a single-pass, hand-written lexer with no dependencies beyond the
// standard library. A reused Normalizer performs one allocation per
// statement: the string that holds Result.Normalized and Result.Summary
// (Result.Collection points into it, Result.Operation is a constant).
// A Normalizer is not safe for concurrent use.
//
// # Normalized text
//
// The normalized text is rebuilt from the token stream, so input
// whitespace, comments and keyword case never matter:
//
//   - Tokens are separated by one space, except: none after ( [ . :: and
//     none before ) ] , ; . ::; a comma is followed by one space; ( and [
//     directly follow an identifier, a quoted identifier, ] or a
//     function-like keyword (ANY, ALL, SOME, ARRAY, CAST, ROW, IF, LEFT,
//     RIGHT, REPLACE) with no space ("count(*)", "ANY(ARRAY[?])").
//   - Keywords (a fixed list of reserved and near-reserved words, see
//     keywords.go) are upper-case. Every other unquoted word is an
//     identifier and is lower-cased (ASCII letters only), in all dialects:
//     PostgreSQL folds unquoted identifiers, so Users and users are the same
//     table. In MySQL, table names may be case-sensitive on the server
//     (lower_case_table_names=0); sqlnorm still folds them, so `Users` and
//     `users` share a fingerprint there.
//   - Quoted identifiers stay distinct from unquoted ones when the quoting
//     matters: "Users" is kept verbatim (case preserved) where "..." is an
//     identifier, "users" (all lower-case, simple, not a keyword) is
//     written users since PostgreSQL treats both the same. `ident` and
//     [ident] are case-insensitive: their content is lower-cased and the
//     quotes are dropped when the name is simple and not a keyword. Where
//     "..." may also be a string (Generic, SQLite, SQL Server), see
//     Dialects.
//   - Comments are removed: --, /* */, MySQL and ClickHouse #, ClickHouse
//     and CQL //, so sqlcommenter tags, MySQL /*! */ version comments and
//     optimizer hints /*+ */ vanish too.
//   - Trailing semicolons are dropped; inner ones separate statements.
//   - Invalid UTF-8 in identifiers is replaced by U+FFFD; the output is
//     always valid UTF-8.
//
// # Dialects
//
// DialectFor maps db.system / db.system.name values (case-insensitive):
//
//	postgresql postgres cockroachdb redshift aws.redshift -> PostgreSQL
//	mysql mariadb tidb                                     -> MySQL
//	oracle oracle.db                                       -> Oracle
//	mssql microsoft.sql_server                             -> SQLServer
//	sqlite                                                 -> SQLite
//	clickhouse                                             -> ClickHouse
//	cassandra                                              -> Cassandra
//	anything else                                          -> Generic
//
// What differs between them:
//
//   - Backslash in '...': an escape in ClickHouse; in MySQL
//     (NO_BACKSLASH_ESCAPES), PostgreSQL (standard_conforming_strings) and
//     Generic it depends on a server setting (see Fail closed); never in
//     Oracle, SQL Server, SQLite, CQL. E'...' is an escape string in
//     PostgreSQL; elsewhere the E is a name before a plain string.
//   - "...": an identifier in PostgreSQL, Oracle, ClickHouse (backslash
//     escapes) and CQL; a string in MySQL (ANSI_QUOTES is not supported:
//     the string reading redacts more); in SQLite (string fallback), SQL
//     Server (QUOTED_IDENTIFIER OFF) and Generic (BigQuery, Spark) it is
//     an identifier only in a name position, i.e. where a string is a
//     syntax error in every dialect: after a collection introducer (FROM,
//     JOIN, INTO, UPDATE, TABLE, ...), after AS or ::, or next to a dot
//     ("s"."t"); elsewhere it is a literal: SELECT "id" FROM "t" is
//     "SELECT ? FROM t" there.
//   - `...`: an identifier (backslash escapes in ClickHouse), an operator
//     character in PostgreSQL.
//   - [...]: an identifier in SQL Server (]] is an escaped ]) and SQLite
//     (ends at the first ]), written ? when it holds a comma, a control
//     character or a number ([1, 2] is an array elsewhere), and redacting
//     the rest when it holds a quote; an array or subscript elsewhere; in
//     Generic an identifier when it reads as one ([Order Details]), an
//     array otherwise.
//   - Block comments nest in PostgreSQL, SQL Server and ClickHouse, not in
//     MySQL, Oracle, SQLite and CQL. -- ends at \n, and also at \r in
//     PostgreSQL and CQL. MySQL needs a space after --. # is a comment in
//     MySQL, ClickHouse and Generic, a #temp name prefix in SQL Server, a
//     #name parameter in SQLite, an operator elsewhere. // is a comment in
//     ClickHouse and CQL.
//   - $: $1 parameters and $tag$ quoting in PostgreSQL (tags of letters,
//     any byte >= 0x80, _ and digits), CQL ($$...$$) and Generic; any
//     $tag$ up to the next $ in ClickHouse (heredocs); $name parameters in
//     SQLite; $12.50 money in SQL Server; an identifier character in MySQL.
//   - Oracle q'[...]', Q'{...}', nq'<...>', q'!...!' quotes (any delimiter;
//     ( [ { < close with ) ] } >) in Oracle and Generic.
//   - CQL and Generic constants: unquoted UUIDs, durations 1h30m and
//     P1Y2M, and a number running on into letters are one literal.
//   - Parameters: @name in all but PostgreSQL and MySQL (MySQL @var and
//     @@var and SQL Server @@var stay), #name and $name in SQLite.
//
// # Fail closed
//
// Whenever the lexer cannot be sure where a quote or comment ends, the
// rest of the statement, from that point on, is one ?: no text after it is
// emitted. That is the case for
//
//   - an unterminated string, quoted identifier, dollar quote, heredoc or
//     q-quote (also when truncation cut it): SELECT "Abc is SELECT ?;
//   - a quote whose end depends on a reading the lexer cannot know: a
//     string containing a backslash where backslash escapes depend on a
//     server setting, when the readings with and without escapes end it at
//     different places ('it\'s' and 'C:\' do, 'a\\b' and 'a\nb' do not):
//     "WHERE a = 'it\'s' AND b = 1" is "WHERE a = ?";
//   - in Generic, any construct two dialects end at different places: a
//     comment that nests in one and not in another (/* a /* b */ c */),
//     # or --x or // whose rest of line opens a quote when read as code
//     (PostgreSQL #, MySQL --x), a -- comment with a \r before a quote,
//     a q-quote whose plain-string reading ends elsewhere, a dollar quote
//     whose body opens a quote (SQLite reads $a$ as a parameter), a [
//     whose text before the first ] holds a quote, a comment, a nested [
//     or ]], "..." or `...` whose backslash readings differ, and a `...`
//     holding a quote (` is an operator character in PostgreSQL);
//   - a MySQL /*! */ or /*+ */ comment holding a quote (MySQL runs or
//     parses it, so a string in it may contain */);
//   - a SQL Server or SQLite [name] holding a quote ([ starts an array in
//     other dialects, so a mislabelled statement would end it elsewhere).
//
// When two readings are possible the lexer takes the one that redacts
// more: a fingerprint may differ from what one server's reading would give,
// but no literal of either reading survives. The comment readings (#, --x,
// //) are chosen over the code readings for the same reason.
//
// # Literals
//
// Every literal becomes ?, and so does every bind parameter:
//
//   - strings '...' (a doubled quote escapes a quote; backslash escapes as
//     described in Dialects), E'...', N'...', B'0101', X'ff', U&'...',
//     MySQL _charset'...', dollar-quoted $$...$$ / $tag$...$tag$, ClickHouse
//     heredocs, Oracle q'[...]'; "..." where it is a string (Dialects).
//   - numbers: integers, decimals, .5, 1e-5, 0x1F / 0b101 / 0o17, 1_000.
//   - TRUE and FALSE.
//   - placeholders: ? (and ?1), $1 (not MySQL, where $ is an identifier
//     character), :name / :1 (not at the start of a subscript, so a[:2] stays a slice),
//     %s / %(name)s, @name (not PostgreSQL and MySQL), SQLite $name and
//     #name. In PostgreSQL ? is an operator (JSONB ?, ?|, ?&) when it
//     follows an operand and a placeholder otherwise; elsewhere it is
//     always a placeholder.
//   - a unary sign in operand position (after an operator, keyword, ( or ,
//     or at the start) directly before a number or a $n placeholder folds
//     into the ? (a sign before ? stays, so that normalizing normalized text
//     changes nothing): "x = -1" is "x = ?" and "LIMIT -1" is "LIMIT ?". A sign after
//     an operand is a binary operator and stays: "a - 1" is "a - ?", and so
//     is "a -1". "-x" (sign before an identifier) stays "- x".
//   - NULL is kept as the keyword NULL ("x IS NULL" and "x = ?" are
//     different shapes), except as a whole item of an IN list, ARRAY[...]
//     or VALUES row (IN (1, NULL), VALUES (1, NULL)), where it is a value
//     like any other and becomes ?.
//
// Unterminated strings, quoted identifiers and comments run to the end of
// the input (see Fail closed), so no literal text can leak from a
// truncated statement.
//
// # Lists
//
//   - IN (...) and ARRAY[...] whose items are all literal-only and
//     identical after normalization collapse to one item: IN (1, 2, 3),
//     IN ($1, $2) and IN (?) all give "IN (?)"; IN ((1, 2), (3, 4)) gives
//     "IN ((?, ?))"; ANY(ARRAY[1, 2]) gives "ANY(ARRAY[?])".
//   - VALUES rows that are literal-only and identical after normalization
//     collapse to one row: VALUES (1, 'a'), (2, 'b') gives "VALUES (?, ?)".
//     Rows of a different arity, or containing DEFAULT in other places,
//     stay separate rows.
//   - Literal-only means made of ?, NULL, DEFAULT, ARRAY, INTERVAL, nested
//     brackets, commas and ::type casts. A list with a column, a function
//     call or an expression (IN (a, 1), VALUES (1, now())) is not collapsed.
//
// # Other shape decisions
//
//   - ORDER BY direction: an explicit ASC is dropped (everywhere ASC appears),
//     so ORDER BY x and ORDER BY x ASC share a fingerprint; DESC is kept.
//   - Everything else that is not a literal, comment or whitespace is kept:
//     different tables, columns, operators, join types, LIMIT/OFFSET
//     presence, FOR UPDATE, DISTINCT, NULLS FIRST/LAST give different texts.
//   - Digits inside identifiers are kept (unlike go-sqllexer's
//     replace-digits option): events_2024_05 and events_2024_06 are
//     different tables and get different fingerprints.
//
// Known limitations:
//
//   - Ordinals are literals: ORDER BY 1 and ORDER BY 2 (and GROUP BY 1/2)
//     share a fingerprint, as they do in pg_query, which also ignores
//     constant values. TRUE and FALSE are literals too (IS TRUE and
//     IS FALSE share one).
//   - Normalizing is idempotent (normalizing Normalized returns it
//     unchanged, so a statement an instrumentation already sanitized to ?
//     groups with its raw form), except for invalid SQL with two adjacent
//     literals in PostgreSQL, where "? ?" re-lexes as operand and operator.
//   - Fail closed costs shape: in MySQL, PostgreSQL and Generic a string
//     with a backslash before a quote ('O\'Brien', as client-side
//     escaping writes it) hides the rest of its statement, so statements
//     that differ after it share a fingerprint and their summary stops
//     there. Generic loses more: "..." outside name positions, # comments
//     (SQL Server #temp tables need the SQLServer dialect), strings inside
//     [...].
//   - Quoted identifiers are names, never literals, under the dialect's
//     own reading, and are kept; a db.system that names the wrong dialect
//     (a SQLite statement labelled postgresql) can keep a "..." that SQLite
//     reads as a string.
//   - Oracle folds unquoted names to upper case; sqlnorm folds them to
//     lower case like every other dialect, so "USERS" and users differ.
//
// # Truncation
//
// Inputs longer than the Normalizer's cap (New's maxLen, DefaultMaxLen =
// 32 KiB by default) are cut before lexing, at the last whitespace before
// the cap (or at a UTF-8 boundary when the last 4 KiB contain none), and
// Result.Truncated is set. The truncated text is normalized and
// fingerprinted like any other; a literal cut in half is unterminated and
// becomes ?. Statements identical in their first maxLen bytes share a
// fingerprint.
//
// # Fingerprint
//
// Result.Fingerprint is xxHash64 with seed 0 (XXH64, as specified by
// https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md) of the
// UTF-8 bytes of Result.Normalized, i.e. of the normalized token stream
// joined by the spacing rules above. Anyone can recompute it from the
// normalized text with any XXH64 implementation; Fingerprint(s) does it
// here. FormatFingerprint renders it as 16 lower-case hex digits, the one text
// form used everywhere (span attribute, API, command line); ParseFingerprint
// reads it back.
//
// Normalizer.Tokens reports the token stream of the normalized text (words,
// keywords, quoted identifiers, literals, operators, punctuation) from the
// same lexer run, for code that reads statements (the optimizer's index
// advisor) without a second tokenizer.
//
// The fingerprint is stable across processes, platforms and versions: any
// change to the normalized text of some statement (lexing, keyword list,
// spacing, collapsing rules) changes its fingerprint and is a breaking change
// that needs a migration note. TestGoldenFingerprints pins a set of vectors.
//
// # Migration notes
//
// Fail closed and per-dialect rules. The golden vectors are unchanged; these
// statements get a different normalized text, hence fingerprint:
//
//   - db.system oracle, oracle.db, mssql, microsoft.sql_server, sqlite,
//     clickhouse, cassandra were Generic and now have their own dialect;
//     aws.redshift is PostgreSQL. Ordinary statements change only where
//     the new rules differ: SQLite and SQL Server "..." outside name
//     positions is ?; SQLite #name and $name are ?; ClickHouse # and //
//     start comments and backslashes escape; CQL UUIDs and durations are
//     one ?.
//   - Generic: "..." outside name positions is ? (SELECT "Name" FROM "t"
//     was SELECT "Name" FROM t, is SELECT ? FROM t); # starts a comment
//     (FROM #tmp was kept); a number running on into letters (2024_sales)
//     and unquoted UUIDs are one ?; q'..' is one ?; the fail-closed cases
//     redact the rest of the statement.
//   - PostgreSQL, MySQL, Generic: a string whose end depends on backslash
//     escapes ('C:\', 1 or 'it\'s' AND b = 2) was normalized to its end
//     under one reading; the rest of the statement is now ?. MySQL
//     /*! */ and /*+ */ holding a quote, unterminated quoted identifiers
//     (all dialects) and PostgreSQL dollar quotes with non-ASCII tags
//     (which leaked) likewise.
//   - PostgreSQL -- comments end at \r: text after a lone \r is no longer
//     part of the comment.
//   - ": ::" (an operator ending in : before a cast) keeps its space.
//
// # Summary, Operation, Collection
//
// Summary follows the semantic-conventions rule for db.query.summary:
// operations and their collections in order of appearance, e.g.
// "SELECT orders customers" for a join, "INSERT shipping_details SELECT
// orders", "SELECT SELECT orders customers" for a query on a derived table.
// Operations are SELECT anywhere; INSERT, UPDATE, DELETE, MERGE at statement
// start, after a CTE's ) or after EXPLAIN/ANALYZE (so FOR UPDATE, ON
// CONFLICT DO UPDATE, ON DUPLICATE KEY UPDATE are not operations); DDL and
// utility statements (CREATE, ALTER, DROP, TRUNCATE, CALL, BEGIN, SET, ...)
// at statement start. Collections are the names after FROM (including
// comma-separated lists), JOIN, USING, INTO, UPDATE, TABLE and DDL verbs,
// qualified names included (public.orders); a name followed by ( after FROM
// or JOIN is a function and is skipped. Names are written as they appear in
// Normalized (case-folded as described above), a deliberate deviation from
// the convention's "as provided" so that the summary has the same
// cardinality as the fingerprint. Summary is capped at MaxSummaryLen (255)
// bytes, cut at a whole word.
//
// Operation is the first operation at nesting depth 0 (else the first one
// at any depth). Collection is the first collection of that operation at the
// same depth ("" when there is none, e.g. SELECT on a derived table).
package sqlnorm
