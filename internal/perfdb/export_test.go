package perfdb

// For the external tests: the migration provider Migrate uses (to migrate down), the name
// of its version table, and the two steps of Migrate.
var (
	NewProvider    = newProvider
	MigrateDB      = migrateDB
	ApplyFunctions = applyFunctions
)

const VersionTable = versionTable
