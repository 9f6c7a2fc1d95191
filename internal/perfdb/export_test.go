package perfdb

// For the external tests: the migration provider Migrate uses (to migrate down) and the
// name of its version table.
var NewProvider = newProvider

const VersionTable = versionTable
