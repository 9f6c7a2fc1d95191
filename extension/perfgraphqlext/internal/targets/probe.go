package targets

import (
	"context"
	_ "embed"
	"strings"

	"github.com/jackc/pgx/v5"
)

//go:embed probe.sql
var probeSQL string

// Capabilities is what a target's server offers the monitoring.
type Capabilities struct {
	// ServerVersion is server_version_num (150004 for 15.4).
	ServerVersion int
	// PgStatStatements: the extension is created in the database and its library loaded
	// (shared_preload_libraries); PgssSchema is the schema it was created in.
	PgStatStatements bool
	PgssSchema       string
	// PgssMissing says which of the two is missing when PgStatStatements is false.
	PgssMissing string
	// AutoExplain: the library is loaded and logs (auto_explain.log_min_duration >= 0).
	AutoExplain bool
	// HypoPG: the hypopg extension is created in the database.
	HypoPG bool
	// ReadAllStats: the role sees every role's statements (pg_read_all_stats or superuser).
	ReadAllStats bool
}

// Probe reads the target's capabilities.
func Probe(ctx context.Context, conn *pgx.Conn) (Capabilities, error) {
	var c Capabilities
	var pgssSchema *string
	var pgssLoaded bool
	var aeMin *string
	err := conn.QueryRow(ctx, probeSQL).Scan(&c.ServerVersion, &pgssSchema, &pgssLoaded, &aeMin, &c.HypoPG, &c.ReadAllStats)
	if err != nil {
		return c, err
	}
	switch {
	case pgssSchema == nil && !pgssLoaded:
		c.PgssMissing = "pg_stat_statements is neither in shared_preload_libraries nor created in the database (CREATE EXTENSION pg_stat_statements)"
	case pgssSchema == nil:
		c.PgssMissing = "pg_stat_statements is loaded but not created in the database: run CREATE EXTENSION pg_stat_statements"
	case !pgssLoaded:
		c.PgssMissing = "pg_stat_statements is created but not loaded: add it to shared_preload_libraries and restart the server"
	default:
		c.PgStatStatements, c.PgssSchema = true, *pgssSchema
	}
	c.AutoExplain = aeMin != nil && !strings.HasPrefix(*aeMin, "-")
	return c, nil
}
