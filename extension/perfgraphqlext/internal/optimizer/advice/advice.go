// Package advice is what a recommendation tells its reader and the figures it rests on:
// written by the engine's detectors and by the plan detectors (a package the engine calls),
// stored by the engine and shown by the GraphQL API as stored. It sits below both so the
// texts, priorities and figures have one definition.
package advice

import (
	"math"
	"slices"
)

// Priorities.
const (
	Low      = "LOW"
	Medium   = "MEDIUM"
	High     = "HIGH"
	Critical = "CRITICAL"
)

// Priorities in ascending order: the one definition of the ranking CRITICAL > HIGH >
// MEDIUM > LOW. The SQL that orders by priority takes this list as a parameter
// (array_position($n::text[], priority)).
var Priorities = []string{Low, Medium, High, Critical}

// PriorityRank orders priorities: 1 for LOW .. 4 for CRITICAL, 0 when unknown.
func PriorityRank(p string) int {
	return slices.Index(Priorities, p) + 1
}

// Advice is what a recommendation tells its reader, stored in the perf_recommendations
// columns of the same names and shown by the GraphQL API as stored.
type Advice struct {
	Priority          string
	Title             string
	Description       string
	Impact            string
	Effort            string
	Recommendation    string
	Implementation    string
	EstimatedSavings  string
	AffectedEndpoints []string
}

// Figure is one named number of the evidence.
type Figure struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
}

// Fig is a figure as stored: rounded to three decimals, NaN and infinities as 0.
func Fig(name string, v float64, unit string) Figure {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	return Figure{Name: name, Value: math.Round(v*1000) / 1000, Unit: unit}
}
