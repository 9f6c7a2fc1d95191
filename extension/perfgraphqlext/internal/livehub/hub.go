// Package livehub is the in-process publish/subscribe hub of the live GraphQL subscriptions:
// whatever changes a tenant's data (a rollup refresh, an engine run, an alert's state)
// publishes an event for that tenant, and every subscription of that tenant on this replica
// hears it. Events of other replicas (the scheduler runs on the leader only) arrive through
// PostgreSQL LISTEN/NOTIFY (listen.go), so publishers write NOTIFY and Listen feeds Publish.
package livehub

import (
	"sync"
	"sync/atomic"
)

// Kinds of events.
const (
	// KindRefresh: the tenant's rollups took new data (the scheduler's refresh committed).
	KindRefresh = "refresh"
	// KindRecommendation: a recommendation was created, resolved, came back or changed
	// priority; ID is the recommendation id.
	KindRecommendation = "recommendation"
	// KindAlert: an alert changed state; ID is the alert id, Detail carries "state" and "rule".
	KindAlert = "alert"
)

// Event is one change of one tenant's data. It names what changed, never the data itself:
// a subscriber reads the data with its own tenant's credentials.
type Event struct {
	Kind   string            `json:"kind"`
	ID     string            `json:"id,omitempty"`
	Detail map[string]string `json:"detail,omitempty"`
}

// subscriberBuffer: events a slow subscriber may have pending before more are dropped
// (counted in Dropped); an overview subscriber re-reads on any event, so it misses nothing
// but the repeats.
const subscriberBuffer = 64

// Hub routes events to the subscribers of their tenant.
type Hub struct {
	mu   sync.Mutex
	subs map[string]map[*Sub]struct{}
	// Dropped counts events not delivered because a subscriber's buffer was full.
	Dropped atomic.Int64
}

// New returns an empty hub.
func New() *Hub { return &Hub{subs: map[string]map[*Sub]struct{}{}} }

// Sub is one subscriber of one tenant's events.
type Sub struct {
	C      <-chan Event
	c      chan Event
	hub    *Hub
	tenant string
	once   sync.Once
}

// Subscribe returns a subscriber of tenant's events; Close it when done.
func (h *Hub) Subscribe(tenant string) *Sub {
	c := make(chan Event, subscriberBuffer)
	s := &Sub{C: c, c: c, hub: h, tenant: tenant}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs[tenant] == nil {
		h.subs[tenant] = map[*Sub]struct{}{}
	}
	h.subs[tenant][s] = struct{}{}
	return s
}

// Close removes the subscriber; its channel is not closed (a Publish may be racing).
func (s *Sub) Close() {
	s.once.Do(func() {
		h := s.hub
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.subs[s.tenant], s)
		if len(h.subs[s.tenant]) == 0 {
			delete(h.subs, s.tenant)
		}
	})
}

// Publish delivers ev to every subscriber of tenant on this replica without blocking: the
// publisher is a refresh or the listener, which must not wait for a slow socket.
func (h *Hub) Publish(tenant string, ev Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs[tenant] {
		select {
		case s.c <- ev:
		default:
			h.Dropped.Add(1)
		}
	}
}

// Subscribers is the number of subscribers of tenant.
func (h *Hub) Subscribers(tenant string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs[tenant])
}

// Tenants lists the tenants that have subscribers.
func (h *Hub) Tenants() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]string, 0, len(h.subs))
	for t := range h.subs {
		out = append(out, t)
	}
	return out
}
