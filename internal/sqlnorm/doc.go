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
//     matters: PostgreSQL/Generic "Users" is kept verbatim (case preserved),
//     "users" (all lower-case, simple, not a keyword) is written users since
//     PostgreSQL treats both the same. MySQL/Generic `ident` and Generic
//     [ident] are case-insensitive: their content is lower-cased and the
//     quotes are dropped when the name is simple and not a keyword.
//   - Comments are removed: --, /* */ (nested in PostgreSQL), MySQL # and
//     "-- " (MySQL needs a space after --), so sqlcommenter tags, MySQL
//     /*! */ version comments and optimizer hints /*+ */ vanish too.
//   - Trailing semicolons are dropped; inner ones separate statements.
//   - Invalid UTF-8 in identifiers is replaced by U+FFFD; the output is
//     always valid UTF-8.
//
// # Literals
//
// Every literal becomes ?, and so does every bind parameter:
//
//   - strings '...' (a doubled quote escapes a quote; backslash escapes
//     only in MySQL), E'...' (backslash escapes), N'...', B'0101', X'ff',
//     U&'...', MySQL
//     _charset'...', dollar-quoted $$...$$ / $tag$...$tag$ (PostgreSQL and
//     Generic); in MySQL "..." is a string too (ANSI_QUOTES is not
//     supported: "x" is always a literal there). In PostgreSQL plain '...'
//     follows standard_conforming_strings=on (backslash is not an escape).
//   - numbers: integers, decimals, .5, 1e-5, 0x1F / 0b101 / 0o17, 1_000.
//   - TRUE and FALSE.
//   - placeholders: ? (and ?1), $1 (not MySQL, where $ is an identifier
//     character), :name / :1 (not at the start of a subscript, so a[:2] stays a slice),
//     %s / %(name)s, and in Generic @name (SQL Server). In PostgreSQL ? is an operator (JSONB
//     ?, ?|, ?&) when it follows an operand and a placeholder otherwise;
//     in MySQL and Generic it is always a placeholder.
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
// the input, so no literal text can leak from a truncated statement.
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
// here. FormatFingerprint renders it as 16 lower-case hex digits.
//
// The fingerprint is stable across processes, platforms and versions: any
// change to the normalized text of some statement (lexing, keyword list,
// spacing, collapsing rules) changes its fingerprint and is a breaking change
// that needs a migration note. TestGoldenFingerprints pins a set of vectors.
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
