package alerting

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strings"
	"time"
)

// States of an alert instance (perf_alerts.state).
const (
	StatePending  = "pending"
	StateFiring   = "firing"
	StateResolved = "resolved"
)

// Event is one state change of an alert as every notifier gets it (the webhook's and NATS
// message's JSON body; Alertmanager gets it in its own format).
type Event struct {
	// DedupeKey identifies the state change: the same for every repeat of its delivery
	// (hex of sha256 of tenant, rule, labels' fingerprint, state and since).
	DedupeKey   string            `json:"dedupe_key"`
	Tenant      string            `json:"tenant"`
	Rule        string            `json:"rule"`
	State       string            `json:"state"` // firing or resolved
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	// StartsAt: when the alert fired; EndsAt: when it resolved (resolved only).
	StartsAt     time.Time          `json:"starts_at"`
	EndsAt       *time.Time         `json:"ends_at,omitempty"`
	Value        float64            `json:"value"`
	Values       map[string]float64 `json:"values,omitempty"`
	GeneratorURL string             `json:"generator_url,omitempty"`
}

// fingerprint of a label set: sha256 of the sorted name=value pairs.
func fingerprint(labels map[string]string) string {
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		h.Write([]byte(k))
		h.Write([]byte{0})
		h.Write([]byte(labels[k]))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// dedupeKey of a state change; since is the instance's fired_at (the same for its firing
// and its resolution, which the state tells apart).
func dedupeKey(tenant, rule, fp, state string, since time.Time) string {
	h := sha256.New()
	for _, p := range []string{tenant, rule, fp, state, since.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano)} {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// generatorURL links an alert to the dashboard.
func generatorURL(base, tenant string) string {
	if base == "" {
		return ""
	}
	return strings.TrimRight(base, "/") + "/#alerts"
}
