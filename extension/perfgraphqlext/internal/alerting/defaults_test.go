package alerting

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// withDefaults fills each kind's optional fields, and only on a copy: the configured rule,
// whose pointers other readers share, stays as written.
func TestRuleWithDefaults(t *testing.T) {
	for _, tc := range []struct {
		name       string
		rule, want Rule
	}{
		{"health", Rule{Health: &HealthRule{Status: "DEGRADED"}},
			Rule{Severity: "warning", Health: &HealthRule{Status: "DEGRADED", Window: 5 * time.Minute, MinRequests: 1}}},
		{"health set", Rule{Severity: "page", Health: &HealthRule{Status: "CRITICAL", Window: time.Hour, MinRequests: 7}},
			Rule{Severity: "page", Health: &HealthRule{Status: "CRITICAL", Window: time.Hour, MinRequests: 7}}},
		{"slo", Rule{Severity: "major", SLO: &SLORule{SLI: "availability", Objective: 0.99}},
			Rule{Severity: "major", SLO: &SLORule{SLI: "availability", Objective: 0.99, By: "endpoint", BurnRates: DefaultBurnRates(), MinRequests: 1}}},
		{"slo burn rate without severity", Rule{Severity: "major", SLO: &SLORule{By: "service", MinRequests: 3,
			BurnRates: []BurnRate{{Factor: 2, Long: time.Hour, Short: time.Minute}, {Severity: "page", Factor: 9, Long: time.Hour, Short: time.Minute}}}},
			Rule{Severity: "major", SLO: &SLORule{By: "service", MinRequests: 3,
				BurnRates: []BurnRate{{Severity: "major", Factor: 2, Long: time.Hour, Short: time.Minute}, {Severity: "page", Factor: 9, Long: time.Hour, Short: time.Minute}}}}},
		{"recommendation", Rule{Recommendation: &RecommendationRule{}},
			Rule{Severity: "warning", Recommendation: &RecommendationRule{MinPriority: "HIGH"}}},
		{"absence", Rule{Absence: &AbsenceRule{Service: "shop"}},
			Rule{Severity: "warning", Absence: &AbsenceRule{SilentFor: 10 * time.Minute, Lookback: 24 * time.Hour, Service: "shop"}}},
		{"absence set", Rule{Absence: &AbsenceRule{SilentFor: time.Minute, Lookback: time.Hour}},
			Rule{Severity: "warning", Absence: &AbsenceRule{SilentFor: time.Minute, Lookback: time.Hour}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := deepCopyRule(tc.rule)
			got := tc.rule.withDefaults()
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("withDefaults:\n got  %s\n want %s", describe(got), describe(tc.want))
			}
			if !reflect.DeepEqual(tc.rule, before) {
				t.Errorf("withDefaults changed the configured rule: %s, was %s", describe(tc.rule), describe(before))
			}
		})
	}
}

func deepCopyRule(r Rule) Rule {
	if r.Health != nil {
		h := *r.Health
		r.Health = &h
	}
	if r.SLO != nil {
		s := *r.SLO
		s.BurnRates = append([]BurnRate(nil), s.BurnRates...)
		r.SLO = &s
	}
	if r.Recommendation != nil {
		m := *r.Recommendation
		r.Recommendation = &m
	}
	if r.Absence != nil {
		a := *r.Absence
		r.Absence = &a
	}
	return r
}

func describe(r Rule) string {
	return fmt.Sprintf("severity %q health %v slo %v recommendation %v absence %v",
		r.Severity, deref(r.Health), deref(r.SLO), deref(r.Recommendation), deref(r.Absence))
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return fmt.Sprintf("%+v", *p)
}
