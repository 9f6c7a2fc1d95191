package graphqlapi

import (
	"reflect"
	"strings"
	"testing"

	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/parser"
)

// Every field of every result type of schema.graphql is read from a Go struct field of the
// same name (graphql.DefaultResolveFn): a field without one would always answer null.
func TestEverySchemaFieldHasAGoField(t *testing.T) {
	goTypes := map[string]any{
		"PerformanceOverview": PerformanceOverview{}, "PerformanceBottleneck": PerformanceBottleneck{},
		"QueryPerformanceMetric": QueryPerformanceMetric{}, "EndpointMetric": EndpointMetric{},
		"ResourceMetric": ResourceMetric{}, "DatabasePoolMetrics": DatabasePoolMetrics{}, "PoolMetric": PoolMetric{},
		"PoolUtilizationPoint": PoolUtilizationPoint{}, "Recommendation": Recommendation{},
		"EvidenceFigure": EvidenceFigure{}, "IndexValidation": IndexValidation{}, "TimePoint": TimePoint{},
		"EndpointShare": EndpointShare{}, "QueryDetail": QueryDetail{}, "EndpointDetail": EndpointDetail{},
		"QueryLoad": QueryLoad{}, "QueryLoadEndpoint": QueryLoadEndpoint{}, "Viewer": Viewer{}, "TraceDbSpans": TraceDbSpans{}, "TraceRequest": TraceRequest{}, "TraceDbSpan": TraceDbSpan{},
		"ServerStatementStats": ServerStatementStats{}, "MonitoredDatabase": MonitoredDatabase{},
		"Alert": Alert{}, "AlertLabel": AlertLabel{}, "AlertRule": AlertRule{},
		"AlertChange": AlertChange{},
		"QueryPlan":   QueryPlan{}, "QueryPlanChange": QueryPlanChange{}, "GenericPlanStatus": GenericPlanStatus{}, "PlanExcerpt": PlanExcerpt{},
	}
	doc, err := parser.Parse(parser.ParseParams{Source: schemaSDL})
	if err != nil {
		t.Fatal(err)
	}
	for _, def := range doc.Definitions {
		d, ok := def.(*ast.ObjectDefinition)
		if !ok || d.Name.Value == "Query" || d.Name.Value == "Subscription" { // roots: methods, not struct fields
			continue
		}
		g, ok := goTypes[d.Name.Value]
		if !ok {
			t.Errorf("type %s has no Go struct in this test's table", d.Name.Value)
			continue
		}
		rt := reflect.TypeOf(g)
		for _, f := range d.Fields {
			if _, ok := rt.FieldByNameFunc(func(n string) bool { return strings.EqualFold(n, f.Name.Value) }); !ok {
				t.Errorf("%s.%s has no field in Go type %s", d.Name.Value, f.Name.Value, rt.Name())
			}
		}
	}
}
