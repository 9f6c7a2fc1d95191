// Package sqlname finds SQL in span names. Some instrumentations name a span after the
// statement it runs ("SELECT * FROM t WHERE email = 'a@b.c'", "pg.query:SELECT ..."),
// literals included; the queryhash processor and the perfpg exporter replace such names.
package sqlname

import "strings"

// statementKeywords start a SQL statement. A span name that begins with one is SQL.
var statementKeywords = []string{
	"SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "CALL", "EXEC", "EXECUTE", "MERGE", "UPSERT",
	"REPLACE", "VALUES", "TRUNCATE", "CREATE", "ALTER", "DROP", "GRANT", "REVOKE", "SET", "SHOW",
	"DESCRIBE", "EXPLAIN", "DECLARE", "PREPARE", "COPY", "LOCK", "BEGIN", "COMMIT", "ROLLBACK",
}

// dmlKeywords mark SQL inside a longer name ("pg.query:SELECT ..."): the words that
// carry literals, rare in other names.
var dmlKeywords = []string{"SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "VALUES"}

// Find returns the SQL a span name holds: all of it when it starts with a statement
// keyword, else the text from the first DML keyword that is followed by more text.
// "DELETE" and "DELETE /path" (an HTTP method, with or without its path) are not SQL.
func Find(name string) (string, bool) {
	trimmed := strings.TrimLeft(name, " \t\r\n(")
	first, rest, _ := strings.Cut(trimmed, " ")
	if isKeyword(first, statementKeywords) {
		if strings.EqualFold(first, "DELETE") && (rest == "" || strings.HasPrefix(rest, "/")) {
			return "", false
		}
		return trimmed, true
	}
	for i := 0; i < len(name); i++ {
		if i > 0 && isWordByte(name[i-1]) {
			continue
		}
		j := i
		for j < len(name) && isWordByte(name[j]) {
			j++
		}
		if j > i && j < len(name) && isKeyword(name[i:j], dmlKeywords) {
			return name[i:], true
		}
		if j > i {
			i = j - 1
		}
	}
	return "", false
}

// HasLiteralSigns reports what brings text other than identifiers and keywords into
// SQL: quotes, '$' (dollar quoting, parameters), backslashes, comments.
func HasLiteralSigns(sql string) bool {
	return strings.ContainsAny(sql, "'\"`$\\#") || strings.Contains(sql, "/*") || strings.Contains(sql, "--")
}

func isKeyword(w string, list []string) bool {
	for _, k := range list {
		if strings.EqualFold(w, k) {
			return true
		}
	}
	return false
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}
