// Package sqlnorm normalizes SQL statements, computes a stable 64-bit
// fingerprint of their shape and derives the OpenTelemetry db.query.summary.
//
// It is a single-pass, hand-written lexer with no dependencies beyond the
// standard library. A reused Normalizer performs one allocation per
// statement: the string that holds Result.Normalized and Result.Summary
// (Result.Collection points into it, Result.Operation is a constant).
// A Normalizer is not safe for concurrent use.
//
// The rules (normalized text, dialects, fail closed, literals, lists,
// truncation, fingerprint, summary, migration notes) are in README.md next
// to this file. In short: every literal and bind parameter becomes ?, lists
// of literals collapse, comments and whitespace vanish, keywords
// (keywords.txt) are upper-cased and other words lower-cased; wherever the
// lexer cannot be sure where a quote or comment ends, the rest of the
// statement is one ?. Result.Fingerprint is XXH64 (seed 0) of
// Result.Normalized; FormatFingerprint and ParseFingerprint are its one text
// form. Any change to the normalized text of some statement changes its
// fingerprint and is a breaking change (TestGoldenFingerprints).
package sqlnorm
