// Package targets is the list of monitored application databases (the extension's
// `targets:` key): where server statistics are read (pg_stat_statements), plans are made and
// index advice is checked (HypoPG). Each target belongs to one tenant: what is read from it is
// stored under that tenant only, and the advice of a tenant only ever consults its own targets.
package targets

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"go.opentelemetry.io/collector/config/configopaque"
)

// Default timeouts of a target that sets none.
const (
	DefaultConnectTimeout   = 5 * time.Second
	DefaultStatementTimeout = 5 * time.Second
)

// Target is one monitored database.
type Target struct {
	// DBNamespace is the db.namespace the application's client spans carry for this database
	// (the database name, as the instrumentation reports it): the key that joins the server's
	// statistics to the spans.
	DBNamespace string `mapstructure:"db_namespace"`
	// Tenant the database belongs to (the tenant name the spans of its application are stored
	// under). Its statistics are never shown to another tenant.
	Tenant string `mapstructure:"tenant"`
	// DSN of the database; put credentials in the environment: dsn: ${env:SHOP_PG_DSN}.
	DSN configopaque.String `mapstructure:"dsn"`
	// ConnectTimeout bounds reaching the database (default 5s).
	ConnectTimeout time.Duration `mapstructure:"connect_timeout"`
	// StatementTimeout is the statement_timeout of every statement run there (default 5s).
	StatementTimeout time.Duration `mapstructure:"statement_timeout"`
}

// Key identifies a target: a tenant's database.
type Key struct{ Tenant, DBNamespace string }

// Key returns the target's key.
func (t Target) Key() Key { return Key{t.Tenant, t.DBNamespace} }

func (t Target) connectTimeout() time.Duration {
	if t.ConnectTimeout > 0 {
		return t.ConnectTimeout
	}
	return DefaultConnectTimeout
}

func (t Target) statementTimeout() time.Duration {
	if t.StatementTimeout > 0 {
		return t.StatementTimeout
	}
	return DefaultStatementTimeout
}

// Validate checks a list of targets; messages name the key as targets[i].field.
func Validate(ts []Target) error {
	var errs []error
	bad := func(i int, field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("targets[%d].%s: %s", i, field, fmt.Sprintf(format, args...)))
	}
	seen := map[Key]int{}
	for i, t := range ts {
		if t.DBNamespace == "" {
			bad(i, "db_namespace", "must not be empty")
		}
		if t.Tenant == "" {
			bad(i, "tenant", "must not be empty: the statistics of a database belong to one tenant")
		}
		if j, dup := seen[t.Key()]; dup && t.DBNamespace != "" {
			bad(i, "db_namespace", "%q of tenant %q is already targets[%d]", t.DBNamespace, t.Tenant, j)
		} else {
			seen[t.Key()] = i
		}
		if t.DSN == "" {
			bad(i, "dsn", "must not be empty")
		} else if _, err := pgx.ParseConfig(string(t.DSN)); err != nil {
			// pgx's message may quote the DSN, password included: say what is wrong without it
			bad(i, "dsn", "not a valid PostgreSQL connection string (%s)", parseProblem(err))
		}
		if t.ConnectTimeout < 0 {
			bad(i, "connect_timeout", "must not be negative, got %s", t.ConnectTimeout)
		}
		if t.StatementTimeout < 0 {
			bad(i, "statement_timeout", "must not be negative, got %s", t.StatementTimeout)
		}
	}
	return errors.Join(errs...)
}

func parseProblem(err error) string {
	var pe *pgconn.ParseConfigError
	if errors.As(err, &pe) && pe.Unwrap() != nil {
		return pe.Unwrap().Error()
	}
	return "cannot be parsed"
}

// Connect opens a session on the target with its connect timeout, its statement_timeout and
// an application_name that says who runs the statements seen in pg_stat_activity.
func (t Target) Connect(ctx context.Context) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(string(t.DSN))
	if err != nil {
		return nil, err
	}
	cfg.ConnectTimeout = t.connectTimeout()
	cfg.RuntimeParams["statement_timeout"] = strconv.FormatInt(t.statementTimeout().Milliseconds(), 10)
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "otelcol-perf"
	}
	// the monitoring statements are few and each runs once per interval: no statement cache
	// to fill on the server
	cfg.DefaultQueryExecMode = pgx.QueryExecModeExec
	cctx, cancel := context.WithTimeout(ctx, t.connectTimeout())
	defer cancel()
	return pgx.ConnectConfig(cctx, cfg)
}

// Set looks targets up by tenant and namespace.
type Set map[Key]Target

// NewSet indexes ts.
func NewSet(ts []Target) Set {
	s := make(Set, len(ts))
	for _, t := range ts {
		s[t.Key()] = t
	}
	return s
}

// Lookup returns the tenant's target of namespace.
func (s Set) Lookup(tenant, namespace string) (Target, bool) {
	t, ok := s[Key{tenant, namespace}]
	return t, ok
}

// Describe says why a target could not be used, in words fit for the tenant's API: no host,
// user or database name (those are in the collector's log), only the class of failure and the
// SQLSTATE.
func Describe(err error) string {
	var pgErr *pgconn.PgError
	var netErr net.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &pgErr):
		return "PostgreSQL refused: SQLSTATE " + pgErr.Code + describeCode(pgErr.Code)
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout():
		return "PostgreSQL did not answer in time"
	case errors.As(err, &netErr):
		return "PostgreSQL is unreachable"
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return "cannot connect to PostgreSQL; see the collector log"
	}
	return "reading the database failed; see the collector log"
}

func describeCode(code string) string {
	switch code {
	case "28P01", "28000":
		return " (authentication failed)"
	case "3D000":
		return " (database does not exist)"
	case "42501":
		return " (insufficient privilege)"
	case "57014":
		return " (statement timeout)"
	case "53300":
		return " (too many connections)"
	case "57P03":
		return " (the server is starting up or shutting down)"
	case "55000":
		return " (object not in prerequisite state: is pg_stat_statements in shared_preload_libraries?)"
	}
	return ""
}
