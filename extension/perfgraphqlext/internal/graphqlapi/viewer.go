package graphqlapi

// viewer: the caller's tenant and the dashboard's settings.

import (
	"context"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
)

type Viewer struct {
	Tenant           string
	Anonymous        bool
	TraceUrlTemplate *string
}

func (r *resolver) Viewer(ctx context.Context, _ struct{}) (*Viewer, error) {
	tenant, ok := tenantFrom(ctx)
	if !ok {
		return nil, userErrorf("unauthenticated")
	}
	if err := charge(ctx, "viewer", 1, rollup.Window{}); err != nil {
		return nil, err
	}
	anon, _ := ctx.Value(anonymousKey{}).(bool)
	v := &Viewer{Tenant: tenant, Anonymous: anon}
	if r.cfg.TraceURL != "" {
		u := r.cfg.TraceURL
		v.TraceUrlTemplate = &u
	}
	return v, nil
}
