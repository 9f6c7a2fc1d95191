// Package migrations holds the SQL schema of otelcol-perf, embedded in the binary: the
// versioned goose migrations (NNNNN_name.sql: tables, indexes, roles, grants) and the
// functions, triggers and policies (functions/NN_name.sql), which internal/perfdb applies
// again after the migrations on every start. README.md says which object goes where.
package migrations

import "embed"

// FS holds the versioned migrations.
//
//go:embed *.sql
var FS embed.FS

// Functions holds functions/*.sql, applied in the order of their names.
//
//go:embed functions/*.sql
var Functions embed.FS
