package spanrows

// Attribute keys read from spans and resources. Each field lists the stable semantic-
// convention name first and the older names that SDKs still send after it.
var (
	keyServiceName = "service.name"

	keysRoute      = []string{"http.route"}
	keysPath       = []string{"url.path", "http.target"}
	keysFullURL    = []string{"url.full", "http.url"}
	keysMethod     = []string{"http.request.method", "http.method"}
	keysStatusCode = []string{"http.response.status_code", "http.status_code"}
	keysReqSize    = []string{"http.request.body.size", "http.request_content_length"}
	keysRespSize   = []string{"http.response.body.size", "http.response_content_length"}
	keysRPCService = []string{"rpc.service"}
	keysRPCMethod  = []string{"rpc.method"}
	keysMsgDest    = []string{"messaging.destination.name", "messaging.destination"}

	keysDBSystem   = []string{"db.system.name", "db.system"}
	keysStatement  = []string{"db.query.text", "db.statement"}
	keysNamespace  = []string{"db.namespace", "db.name"}
	keysReturned   = []string{"db.response.returned_rows"}
	keyFingerprint = "db.query.fingerprint"
	keysSummary    = []string{"db.query.summary"}
	keysOperation  = []string{"db.operation.name", "db.operation"}
	keysCollection = []string{"db.collection.name", "db.sql.table"}
)
