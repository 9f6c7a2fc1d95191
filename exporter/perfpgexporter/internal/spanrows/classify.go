package spanrows

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// Role is what a DB client span stands for. Only an execution is a call of its statement:
// instrumentations also emit spans that prepare the statement, iterate its rows, open,
// reset or check a connection, or begin and end a transaction, and several of these carry
// the statement text too. Stored as executions they would multiply calls and dilute
// mean times.
type Role uint8

const (
	RoleExecution   Role = iota // one round of the statement: a call
	RolePrepare                 // parsing/describing a statement before it runs
	RoleRows                    // iterating the rows of an execution after it returned
	RoleConnection              // opening, acquiring, pinging or resetting a connection
	RoleTransaction             // begin, commit, rollback
	RoleOther                   // an envelope around executions (a pipeline batch)
	numRoles
)

func (r Role) String() string {
	switch r {
	case RoleExecution:
		return "execution"
	case RolePrepare:
		return "prepare"
	case RoleRows:
		return "rows"
	case RoleConnection:
		return "connection"
	case RoleTransaction:
		return "transaction"
	case RoleOther:
		return "other"
	}
	return "unknown"
}

// AllSkippedRoles lists the roles that are not stored as executions, for telemetry.
var AllSkippedRoles = []Role{RolePrepare, RoleRows, RoleConnection, RoleTransaction, RoleOther}

// roleRule classifies the spans of one instrumentation scope. The first rule of the scope
// that matches decides; a span no rule matches is an execution, which is what every
// instrumentation not listed here emits (one span per statement run) and what a span name
// changed by the application (a custom span-name formatter) falls back to.
type roleRule struct {
	scope      string // instrumentation scope name; a trailing '.' makes it a prefix
	name       string // exact span name; "" matches any name
	namePrefix string // span name prefix; "" matches any name
	attr       string // the span carries this attribute (any value); "" matches always
	role       Role
}

// roleRules is the table. The span names are the ones each instrumentation documents or
// names in its source, at the versions cited.
var roleRules = []roleRule{
	// Go database/sql, github.com/XSAM/otelsql (methods.go, v0.44): the span name is the
	// Method unless SpanNameFormatter says otherwise. One db.Query of an unprepared
	// statement gives sql.conn.query + sql.rows; through a prepared statement
	// sql.conn.prepare + sql.stmt.query + sql.rows; a pooled connection adds
	// sql.conn.reset_session, a new one sql.connector.connect. prepare and query both
	// carry db.query.text.
	{scope: "github.com/XSAM/otelsql", name: "sql.conn.prepare", role: RolePrepare},
	{scope: "github.com/XSAM/otelsql", name: "sql.rows", role: RoleRows},
	{scope: "github.com/XSAM/otelsql", name: "sql.connector.connect", role: RoleConnection},
	{scope: "github.com/XSAM/otelsql", name: "sql.conn.reset_session", role: RoleConnection},
	{scope: "github.com/XSAM/otelsql", name: "sql.conn.ping", role: RoleConnection},
	{scope: "github.com/XSAM/otelsql", name: "sql.conn.begin_tx", role: RoleTransaction},
	{scope: "github.com/XSAM/otelsql", name: "sql.tx.commit", role: RoleTransaction},
	{scope: "github.com/XSAM/otelsql", name: "sql.tx.rollback", role: RoleTransaction},
	// sql.conn.exec, sql.conn.query, sql.stmt.exec, sql.stmt.query: executions.

	// Go pgx, github.com/exaring/otelpgx (tracer.go, v0.13): query, batch-query and
	// prepare spans are all named after the operation ("SELECT") by default, the prepare
	// span with db.query.text as well; it is told apart by pgx.prepare_stmt.name (pgx's
	// statement cache always names its statements) or by the "prepare " prefix of
	// WithQuerySpanNamePrefix. "connect" opens a connection, "pool.acquire" takes one
	// from pgxpool, "batch start" wraps the "batch query …" executions of a SendBatch.
	// "copy_from <table>" is an execution.
	{scope: "github.com/exaring/otelpgx", attr: "pgx.prepare_stmt.name", role: RolePrepare},
	{scope: "github.com/exaring/otelpgx", namePrefix: "prepare ", role: RolePrepare},
	{scope: "github.com/exaring/otelpgx", name: "connect", role: RoleConnection},
	{scope: "github.com/exaring/otelpgx", name: "pool.acquire", role: RoleConnection},
	{scope: "github.com/exaring/otelpgx", name: "batch start", role: RoleOther},

	// Node pg, @opentelemetry/instrumentation-pg: Client.connect is "pg.connect",
	// Pool.connect "pg-pool.connect"; every query ("pg.query:SELECT db" in older
	// versions, "SELECT db" under the stable conventions) is an execution.
	{scope: "@opentelemetry/instrumentation-pg", name: "pg.connect", role: RoleConnection},
	{scope: "@opentelemetry/instrumentation-pg", name: "pg-pool.connect", role: RoleConnection},

	// Node mysql2, @opentelemetry/instrumentation-mysql2: only query() and execute() are
	// traced, one span each: executions. Java JDBC (io.opentelemetry.jdbc): one span per
	// Statement execute*/executeBatch, executions; its DataSource.getConnection spans carry
	// no statement and never reach the classifier. Python psycopg/psycopg2
	// (opentelemetry.instrumentation.psycopg, .psycopg2, through dbapi): one span per
	// cursor execute. SQLAlchemy (opentelemetry.instrumentation.sqlalchemy): one span per
	// statement executed, plus "connect" spans without a statement; with the DB-API
	// driver instrumented too, each execution appears twice, the driver's span under
	// SQLAlchemy's: see Batch.foldNestedExecutions.
	{scope: "opentelemetry.instrumentation.sqlalchemy.", name: "connect", role: RoleConnection},
	{scope: "opentelemetry.instrumentation.sqlalchemy", name: "connect", role: RoleConnection},
}

// rulesByScope indexes roleRules by exact scope; prefixRules holds the prefix scopes.
var (
	rulesByScope = map[string][]roleRule{}
	prefixRules  []roleRule
)

func init() {
	for _, r := range roleRules {
		if strings.HasSuffix(r.scope, ".") {
			prefixRules = append(prefixRules, r)
		} else {
			rulesByScope[r.scope] = append(rulesByScope[r.scope], r)
		}
	}
}

// ClassifierAttributeKeys are the span attributes the classifier reads (the exporter keeps
// them through its slimming).
func ClassifierAttributeKeys() []string {
	var keys []string
	for _, r := range roleRules {
		if r.attr != "" {
			keys = append(keys, r.attr)
		}
	}
	return keys
}

// Classify returns the role of a DB client span from its instrumentation scope name, its
// name and attributes.
func Classify(scope, name string, attrs pcommon.Map) Role {
	for _, r := range rulesByScope[scope] {
		if r.matches(name, attrs) {
			return r.role
		}
	}
	for _, r := range prefixRules {
		if strings.HasPrefix(scope, r.scope) && r.matches(name, attrs) {
			return r.role
		}
	}
	return RoleExecution
}

func (r roleRule) matches(name string, attrs pcommon.Map) bool {
	if r.name != "" && name != r.name {
		return false
	}
	if r.namePrefix != "" && !strings.HasPrefix(name, r.namePrefix) {
		return false
	}
	if r.attr != "" {
		if _, ok := attrs.Get(r.attr); !ok {
			return false
		}
	}
	return true
}
