// Package migrations holds the versioned SQL schema of otelcol-perf, embedded in the binary.
// Files are goose migrations (NNNNN_name.sql); internal/perfdb applies them under a
// PostgreSQL advisory lock, so any number of collectors may start at once.
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS
