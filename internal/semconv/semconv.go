// Package semconv names the telemetry attributes that the queryhash processor and the
// perfpg exporter read and write, so that both speak one vocabulary. Each list names the
// stable semantic-convention attribute first and then the older names that SDKs still
// send; readers take the first one present.
//
// The lists are shared: read them, never append to or modify them.
package semconv

// Resource attributes.
const (
	ServiceName       = "service.name"
	ServiceInstanceID = "service.instance.id"
	HostName          = "host.name"
)

// Database client spans.
const (
	DBSystemName     = "db.system.name"
	DBSystemOld      = "db.system"
	DBQueryText      = "db.query.text"
	DBStatementOld   = "db.statement"
	DBNamespace      = "db.namespace"
	DBNameOld        = "db.name"
	DBReturnedRows   = "db.response.returned_rows"
	DBQuerySummary   = "db.query.summary"
	DBOperationName  = "db.operation.name"
	DBOperationOld   = "db.operation"
	DBCollectionName = "db.collection.name"
	DBSQLTableOld    = "db.sql.table"

	// DBQueryFingerprint is where queryhash writes a statement's fingerprint (16 hex
	// digits, see sqlnorm.FormatFingerprint) unless configured otherwise: the default of
	// both queryhash's and perfpg's fingerprint_attribute. It is not a semantic convention.
	DBQueryFingerprint = "db.query.fingerprint"
	// DBQueryLikePattern is where queryhash writes the class of the statement's LIKE
	// patterns (likeclass.Class: "leading_wildcard", "prefix", "exact", "parameter",
	// "expression"), read before the literals are redacted; never the pattern itself. It is
	// not a semantic convention.
	DBQueryLikePattern = "db.query.like_pattern"
)

// Lists of the database attributes, stable name first.
var (
	DBSystem     = []string{DBSystemName, DBSystemOld}
	DBStatement  = []string{DBQueryText, DBStatementOld}
	DBNamespaces = []string{DBNamespace, DBNameOld}
	DBOperation  = []string{DBOperationName, DBOperationOld}
	DBCollection = []string{DBCollectionName, DBSQLTableOld}
)

// HTTP, RPC and messaging attributes of server and consumer spans, stable name first.
var (
	HTTPRoute        = []string{"http.route"}
	HTTPPath         = []string{"url.path", "http.target"}
	HTTPURL          = []string{"url.full", "http.url"}
	HTTPMethod       = []string{"http.request.method", "http.method"}
	HTTPStatusCode   = []string{"http.response.status_code", "http.status_code"}
	HTTPRequestSize  = []string{"http.request.body.size", "http.request_content_length"}
	HTTPResponseSize = []string{"http.response.body.size", "http.response_content_length"}
	RPCService       = []string{"rpc.service"}
	RPCMethod        = []string{"rpc.method"}
	MessagingDest    = []string{"messaging.destination.name", "messaging.destination"}
)

// Metric data-point attributes, stable name first.
var (
	DBPoolName  = []string{"db.client.connection.pool.name", "pool.name", "db.client.connections.pool.name"}
	DBPoolState = []string{"db.client.connection.state", "state", "db.client.connections.state"}
)

// TenantID is the resource attribute that names a row's tenant by default (perfpg's
// tenant.resource_attribute) when no credentials or client metadata name one.
const TenantID = "tenant.id"
