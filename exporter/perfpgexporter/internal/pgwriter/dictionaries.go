package pgwriter

import (
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/spanrows"
	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/tenantstamp"
)

// resolve maps every batch-local dictionary entry of b to its database id, inserting the
// entries the database does not have yet. Each distinct entry costs a map lookup; only
// entries new to this process reach the database.
func (w *Writer) resolve(ctx context.Context, b *spanrows.Batch, now time.Time) (*ids, error) {
	m := &ids{}
	var err error
	if m.tenants, m.redirected, err = w.resolveTenants(ctx, &b.Tenants); err != nil {
		return nil, tenantError{errorf("tenants: %w", err)}
	}
	if m.services, err = w.resolveServices(ctx, b.Services.Values, m.tenants); err != nil {
		return nil, errorf("services: %w", err)
	}
	if m.endpoints, err = w.resolveEndpoints(ctx, b, m); err != nil {
		return nil, errorf("endpoints: %w", err)
	}
	if m.databases, err = w.resolveDatabases(ctx, b.Databases.Values, m.tenants); err != nil {
		return nil, errorf("databases: %w", err)
	}
	if err = w.touchFingerprints(ctx, b.Statements, m.tenants, now); err != nil {
		return nil, errorf("fingerprints: %w", err)
	}
	return m, nil
}

// maxRememberedOverCap bounds the names remembered as refused under tenant.max_tenants.
const maxRememberedOverCap = 100_000

// resolveTenants maps the batch's tenant names to ids, creating new tenants. A new tenant
// that only a client named (clientNamed: a header or resource attribute, not credentials)
// is created only while the database holds fewer than MaxTenants tenants; past that its
// rows go to the default tenant and redirected[i] is set. Tenants named by credentials are
// always created. Concurrent writers (or replicas) may overshoot the cap by the new
// tenants of the batches they race with.
func (w *Writer) resolveTenants(ctx context.Context, d *tenantstamp.Dict) (ids []int32, redirected []bool, err error) {
	names := d.Values
	ids = make([]int32, len(names))
	redirected = make([]bool, len(names))
	var missing []string
	w.mu.Lock()
	for i, n := range names {
		if id, ok := w.tenants[n]; ok {
			ids[i] = id
		} else if w.capped(d, i) && w.overCap[n] {
			redirected[i] = true
		} else {
			missing = append(missing, n)
		}
	}
	w.mu.Unlock()
	if len(missing) > 0 {
		if err := w.createTenants(ctx, d, missing); err != nil {
			return nil, nil, err
		}
	}
	w.mu.Lock()
	for i, n := range names {
		if id, ok := w.tenants[n]; ok {
			ids[i] = id
		} else {
			redirected[i] = true
			if len(w.overCap) >= maxRememberedOverCap {
				w.overCap = map[string]bool{}
			}
			w.overCap[n] = true
		}
	}
	defaultID, haveDefault := w.tenants[w.opts.DefaultTenant]
	w.mu.Unlock()
	if !slices.Contains(redirected, true) {
		return ids, redirected, nil
	}
	if !haveDefault {
		def := &tenantstamp.Dict{}
		def.Intern(w.opts.DefaultTenant, false)
		if err := w.createTenants(ctx, def, def.Values); err != nil {
			return nil, nil, err
		}
		w.mu.Lock()
		defaultID = w.tenants[w.opts.DefaultTenant]
		w.mu.Unlock()
	}
	for i := range ids {
		if redirected[i] {
			ids[i] = defaultID
		}
	}
	return ids, redirected, nil
}

// capped tells whether tenant i of d is subject to MaxTenants: only a client named it, and
// no authenticator binds it to credentials.
func (w *Writer) capped(d *tenantstamp.Dict, i int) bool {
	return d.ClientNamed[i] && !w.opts.TokenTenants[d.Values[i]]
}

// createTenants loads the ids of missing (names of d), inserting those the database does
// not have: the ones d names from credentials always, the client-named ones up to
// MaxTenants. What exists afterwards is added to the cache.
func (w *Writer) createTenants(ctx context.Context, d *tenantstamp.Dict, missing []string) error {
	load := func() (map[string]int32, error) {
		rows, _ := w.pool.Query(ctx, sqlSelectTenants, missing)
		found := map[string]int32{}
		var name string
		var id int32
		_, err := pgx.ForEachRow(rows, []any{&name, &id}, func() error { found[name] = id; return nil })
		return found, err
	}
	// Select before insert: an INSERT that loses to ON CONFLICT still burns a sequence value.
	found, err := load()
	if err != nil {
		return err
	}
	if len(found) < len(missing) {
		clientNamed := make(map[string]bool, len(d.Values))
		for i, n := range d.Values {
			clientNamed[n] = w.capped(d, i)
		}
		var credentialed, capped []string
		for _, n := range missing {
			if _, ok := found[n]; ok {
				continue
			}
			if clientNamed[n] {
				capped = append(capped, n)
			} else {
				credentialed = append(credentialed, n)
			}
		}
		if len(credentialed) > 0 {
			if _, err := w.pool.Exec(ctx, sqlInsertTenants, credentialed); err != nil {
				return err
			}
		}
		if len(capped) > 0 {
			if _, err := w.pool.Exec(ctx, sqlInsertTenantsCapped, capped, w.opts.MaxTenants); err != nil {
				return err
			}
		}
		if found, err = load(); err != nil {
			return err
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for n, id := range found {
		w.tenants[n] = id
	}
	return nil
}

func (w *Writer) resolveServices(ctx context.Context, keys []spanrows.ServiceKey, tenants []int32) ([]int32, error) {
	out := make([]int32, len(keys))
	var tids []int32
	var names []string
	w.mu.Lock()
	for i, k := range keys {
		if e, ok := w.services[serviceKey{tenants[k.Tenant], k.Name}]; ok {
			out[i] = e.id
		} else {
			tids = append(tids, tenants[k.Tenant])
			names = append(names, k.Name)
		}
	}
	w.mu.Unlock()
	if len(names) == 0 {
		return out, nil
	}
	if _, err := w.pool.Exec(ctx, sqlInsertServices, tids, names); err != nil {
		return nil, err
	}
	rows, _ := w.pool.Query(ctx, sqlSelectServices, tids, names)
	var tid int32
	var name string
	var id int32
	var endpoints int
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, err := pgx.ForEachRow(rows, []any{&tid, &name, &id, &endpoints}, func() error {
		if _, known := w.servicesByID[id]; !known {
			e := &serviceEntry{id: id, endpoints: endpoints}
			w.services[serviceKey{tid, name}] = e
			w.servicesByID[id] = e
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for i, k := range keys {
		out[i] = w.services[serviceKey{tenants[k.Tenant], k.Name}].id
	}
	return out, nil
}

// resolveEndpoints applies the per-service cardinality cap: once a service has
// MaxEndpointsPerService endpoints, new routes map to its "{other}" endpoint. The count is
// read from the database when the service is first seen, so the cap holds across
// restarts; replicas racing on the last free slots may overshoot it slightly.
func (w *Writer) resolveEndpoints(ctx context.Context, b *spanrows.Batch, m *ids) ([]int32, error) {
	out := make([]int32, b.Endpoints.Len())
	keyOf := func(k spanrows.EndpointKey) endpointKey {
		return endpointKey{
			tenant: m.tenants[b.Services.Values[k.Service].Tenant], service: m.services[k.Service],
			kind: k.Kind, method: k.Method, route: k.Route,
		}
	}
	var missing []endpointKey
	w.mu.Lock()
	for i, k := range b.Endpoints.Values {
		if id, ok := w.endpoints[keyOf(k)]; ok {
			out[i] = id
		} else {
			missing = append(missing, keyOf(k))
		}
	}
	w.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	found, err := w.loadEndpoints(ctx, missing)
	if err != nil {
		return nil, err
	}
	// Decide which new routes fit under their service's cap.
	var toInsert []endpointKey
	folded := map[endpointKey]endpointKey{}
	w.mu.Lock()
	for _, k := range missing {
		if _, ok := found[k]; ok {
			continue
		}
		entry := w.servicesByID[k.service]
		if entry != nil && entry.endpoints >= w.opts.MaxEndpointsPerService && k.route != OtherRoute {
			other := endpointKey{tenant: k.tenant, service: k.service, kind: k.kind, route: OtherRoute}
			folded[k] = other
			if _, ok := found[other]; !ok {
				toInsert = append(toInsert, other)
			}
			continue
		}
		if entry != nil {
			entry.endpoints++
		}
		toInsert = append(toInsert, k)
	}
	w.mu.Unlock()
	if len(toInsert) > 0 {
		if _, err := w.pool.Exec(ctx, sqlInsertEndpoints, endpointArgs(toInsert)...); err != nil {
			return nil, err
		}
		more, err := w.loadEndpoints(ctx, toInsert)
		if err != nil {
			return nil, err
		}
		for k, id := range more {
			found[k] = id
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for k, id := range found {
		w.endpoints[k] = id
	}
	for k, other := range folded {
		w.endpoints[k] = found[other]
	}
	for i, k := range b.Endpoints.Values {
		out[i] = w.endpoints[keyOf(k)]
	}
	return out, nil
}

func endpointArgs(keys []endpointKey) []any {
	tids := make([]int32, len(keys))
	sids := make([]int32, len(keys))
	kinds := make([]string, len(keys))
	methods := make([]string, len(keys))
	routes := make([]string, len(keys))
	for i, k := range keys {
		tids[i], sids[i], kinds[i], methods[i], routes[i] = k.tenant, k.service, k.kind, k.method, k.route
	}
	return []any{tids, sids, kinds, methods, routes}
}

func (w *Writer) loadEndpoints(ctx context.Context, keys []endpointKey) (map[endpointKey]int32, error) {
	rows, _ := w.pool.Query(ctx, sqlSelectEndpoints, endpointArgs(keys)...)
	found := map[endpointKey]int32{}
	var k endpointKey
	var id int32
	_, err := pgx.ForEachRow(rows, []any{&k.tenant, &k.service, &k.kind, &k.method, &k.route, &id}, func() error {
		found[k] = id
		return nil
	})
	return found, err
}

func (w *Writer) resolveDatabases(ctx context.Context, keys []spanrows.DatabaseKey, tenants []int32) ([]int32, error) {
	out := make([]int32, len(keys))
	var tids []int32
	var systems, namespaces []string
	w.mu.Lock()
	for i, k := range keys {
		if id, ok := w.databases[databaseKey{tenants[k.Tenant], k.System, k.Namespace}]; ok {
			out[i] = id
		} else {
			tids = append(tids, tenants[k.Tenant])
			systems = append(systems, k.System)
			namespaces = append(namespaces, k.Namespace)
		}
	}
	w.mu.Unlock()
	if len(tids) == 0 {
		return out, nil
	}
	if _, err := w.pool.Exec(ctx, sqlInsertDatabases, tids, systems, namespaces); err != nil {
		return nil, err
	}
	rows, _ := w.pool.Query(ctx, sqlSelectDatabases, tids, systems, namespaces)
	var k databaseKey
	var id int32
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, err := pgx.ForEachRow(rows, []any{&k.tenant, &k.system, &k.namespace, &id}, func() error {
		w.databases[k] = id
		return nil
	}); err != nil {
		return nil, err
	}
	for i, k := range keys {
		out[i] = w.databases[databaseKey{tenants[k.Tenant], k.System, k.Namespace}]
	}
	return out, nil
}

// maxCachedFingerprints bounds the fingerprints remembered as stored.
const maxCachedFingerprints = 200_000

// touchFingerprints stores new fingerprints with their sanitized text and moves last_seen
// of known ones forward at most once per FingerprintTouchInterval. A fingerprint being
// written by one of this process's concurrent pushes is skipped by the others, so the
// queue's consumers do not queue up on the same rows' locks.
func (w *Writer) touchFingerprints(ctx context.Context, stmts []spanrows.Statement, tenants []int32, now time.Time) error {
	var (
		tids                                 []int32
		fps                                  []int64
		systems, ops, colls, summaries, txts []string
		keys                                 []fingerprintKey
	)
	w.mu.Lock()
	for _, s := range stmts {
		k := fingerprintKey{tenants[s.Tenant], s.Fingerprint}
		if last, ok := w.fingerprints[k]; ok && now.Sub(last) < w.opts.FingerprintTouchInterval {
			continue
		}
		if w.fingerprintsInFlight[k] {
			continue
		}
		w.fingerprintsInFlight[k] = true
		keys = append(keys, k)
		tids = append(tids, k.tenant)
		fps = append(fps, k.fingerprint)
		systems = append(systems, s.DBSystem)
		ops = append(ops, s.Operation)
		colls = append(colls, s.Collection)
		summaries = append(summaries, s.Summary)
		txts = append(txts, s.Normalized)
	}
	w.mu.Unlock()
	if len(keys) == 0 {
		return nil
	}
	_, err := w.pool.Exec(ctx, sqlUpsertFingerprints, tids, fps, systems, ops, colls, summaries, txts, now)
	w.mu.Lock()
	if len(w.fingerprints) > maxCachedFingerprints {
		// a runaway statement cardinality must not grow the collector without bound; the
		// cost of forgetting is one upsert per fingerprint on its next sighting
		w.fingerprints = map[fingerprintKey]time.Time{}
	}
	for _, k := range keys {
		delete(w.fingerprintsInFlight, k)
		if err == nil {
			w.fingerprints[k] = now
		}
	}
	w.mu.Unlock()
	return err
}
