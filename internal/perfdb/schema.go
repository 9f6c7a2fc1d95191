package perfdb

// Names of the tables that Go code outside .sql files names. Their columns are named in
// the .sql files next to the Go that runs them; the tables themselves are defined in
// migrations/.
const (
	// FunctionsTable records which migrations/functions files the database last got.
	FunctionsTable = "perf_schema_functions"
)
