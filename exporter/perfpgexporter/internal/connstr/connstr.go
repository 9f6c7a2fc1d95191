// Package connstr strips credentials from connection strings. Instrumentations name
// connection pools (db.client.connection.pool.name) and sometimes databases after the
// string they connect with, password included; only where it points is stored.
package connstr

import "strings"

// Redacted replaces what cannot be kept with certainty.
const Redacted = "{redacted}"

// Redact returns s unchanged when it does not look like a connection string. Otherwise it
// keeps where s points and nothing else: a URL becomes scheme://host:port/database
// (userinfo, parameters and fragment dropped), "user/password@host:port/service" becomes
// host:port/service, and a key=value string keeps only its host, port and database keys.
// What cannot be parsed with certainty (quoting, escapes, unusual characters) becomes
// Redacted, in whole or in part.
func Redact(s string) string {
	switch {
	case strings.Contains(s, "://"):
		return redactURL(s)
	case strings.ContainsRune(s, '@'):
		return redactAddress(s[strings.LastIndexByte(s, '@')+1:], validHosts)
	case strings.ContainsRune(s, '='):
		return redactKeyValue(s)
	}
	return s
}

// redactURL handles scheme://[userinfo@]host[:port][/database][?params][#fragment], with
// JDBC's jdbc:subprotocol:// and ;properties forms.
func redactURL(s string) string {
	i := strings.Index(s, "://")
	scheme, rest := s[:i], s[i+3:]
	if !validScheme(scheme) {
		return Redacted
	}
	// The userinfo ends at the last '@' before the parameters; an '@' only inside the
	// parameters (user=a@b) belongs to them.
	params := strings.IndexAny(rest, "?#;")
	if params < 0 {
		params = len(rest)
	}
	if at := strings.LastIndexByte(rest[:params], '@'); at >= 0 {
		rest = rest[at+1:]
	}
	return scheme + "://" + redactAddress(rest, validHostPorts)
}

// redactAddress keeps host[:port][/database] from the start of s and drops the rest.
func redactAddress(s string, valid func(string) bool) string {
	if end := strings.IndexAny(s, "?#;"); end >= 0 {
		s = s[:end]
	}
	host, db, hasDB := strings.Cut(s, "/")
	if !valid(host) {
		return Redacted
	}
	if !hasDB {
		return host
	}
	if end := strings.IndexByte(db, '/'); end >= 0 {
		db = db[:end]
	}
	if !validName(db) {
		return host + "/" + Redacted
	}
	return host + "/" + db
}

// keptKeys are the keys of key=value connection strings (libpq, ADO.NET, ODBC) that say
// where to connect; every other key (user, password, pwd, uid, sslkey, ...) is dropped.
var keptKeys = map[string]bool{
	"host": true, "hostaddr": true, "server": true, "data source": true, "address": true, "addr": true,
	"network address": true, "port": true, "dbname": true, "database": true, "initial catalog": true,
	"service_name": true, "service name": true, "sid": true,
}

// redactKeyValue handles "host=h port=5432 dbname=d password=p" (libpq) and
// "Data Source=h;Initial Catalog=d;User ID=u;Password=p" (ADO.NET, ODBC).
func redactKeyValue(s string) string {
	// Quoted values can hold separators and "key=value" text of their own, and libpq
	// unescapes backslashes even outside quotes: such strings are not parsed at all.
	if strings.ContainsAny(s, "'\"`{}") {
		return Redacted
	}
	var pairs []string
	if strings.ContainsRune(s, ';') {
		pairs = strings.Split(s, ";")
	} else {
		if strings.ContainsRune(s, '\\') {
			return Redacted
		}
		pairs = strings.Fields(s)
	}
	var kept []string
	for _, p := range pairs {
		if strings.TrimSpace(p) == "" {
			continue
		}
		k, v, ok := strings.Cut(p, "=")
		k = strings.ToLower(strings.Join(strings.Fields(k), " "))
		v = strings.TrimSpace(v)
		if !ok || k == "" {
			return Redacted // "password = x" split by spaces: no telling which part is which
		}
		if keptKeys[k] && v != "" {
			if !validHosts(v) && !validName(v) {
				v = Redacted
			}
			kept = append(kept, k+"="+v)
		}
	}
	if len(kept) == 0 {
		return Redacted
	}
	return strings.Join(kept, " ")
}

func validScheme(s string) bool { return made(s, 64, "+.-:") }

// validHosts accepts host[:port] lists separated by commas (libpq's multi-host URLs),
// with bracketed IPv6 addresses and ADO's tcp:host,port and host\instance forms.
func validHosts(s string) bool { return made(s, 255, ".-_:,[]\\") }

// validHostPorts is validHosts where a port, when there is one, is a number: in a URL
// "user:password" without its '@' would otherwise pass for host:port.
func validHostPorts(s string) bool {
	if !validHosts(s) || strings.ContainsRune(s, '\\') {
		return false
	}
	for _, hp := range strings.Split(s, ",") {
		if strings.HasPrefix(hp, "[") { // [IPv6]:port
			end := strings.IndexByte(hp, ']')
			if end < 0 {
				return false
			}
			hp = "h" + hp[end+1:]
		}
		host, port, hasPort := strings.Cut(hp, ":")
		if host == "" || hasPort && (port == "" || strings.Trim(port, "0123456789") != "") {
			return false
		}
	}
	return true
}

// validName accepts a database or service name of identifier characters.
func validName(s string) bool { return made(s, 128, ".-_$") }

// made reports whether s is 1 to maxLen ASCII letters, digits and bytes of extra.
func made(s string, maxLen int, extra string) bool {
	if s == "" || len(s) > maxLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(extra, c) >= 0) {
			return false
		}
	}
	return true
}
