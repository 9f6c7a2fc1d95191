package metricrows

import (
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

const marker = "zQ8LeaK"

// poolRows converts one db.client.connection.count point per pool name and returns the
// stored pool names and instance texts.
func poolRows(t *testing.T, resource map[string]any, names ...any) (pools []string, instances []InstanceKey) {
	t.Helper()
	now := time.Now()
	md := pmetric.NewMetrics()
	rm := md.ResourceMetrics().AppendEmpty()
	if err := rm.Resource().Attributes().FromRaw(resource); err != nil {
		t.Fatal(err)
	}
	m := rm.ScopeMetrics().AppendEmpty().Metrics().AppendEmpty()
	m.SetName("db.client.connection.count")
	pts := m.SetEmptyGauge().DataPoints()
	for _, name := range names {
		p := pts.AppendEmpty()
		p.SetTimestamp(pcommon.NewTimestampFromTime(now))
		p.SetIntValue(3)
		if err := p.Attributes().FromRaw(map[string]any{"db.client.connection.pool.name": name, "db.client.connection.state": "used"}); err != nil {
			t.Fatal(err)
		}
	}
	b := NewConverter(Options{DefaultTenant: "default", Retention: time.Hour, MaxFutureSkew: time.Minute}).Convert(md, now)
	for _, p := range b.Pools {
		pools = append(pools, p.Name)
	}
	return pools, b.Instances.Values
}

// A pool named after its connection string keeps host, port and database only.
func TestPoolNameConnectionStringsLoseCredentials(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://app:" + marker + "@db.internal:5432/shop?sslmode=disable&password=" + marker: "postgres://db.internal:5432/shop",
		"postgresql://app:p@ss/w0rd" + marker + "@db.internal/shop":                              "postgresql://db.internal/shop",
		"mysql://root:" + marker + "@tcp(db:3306)/shop":                                          "mysql://{redacted}",
		"jdbc:postgresql://db.internal:5432/shop?user=app&password=" + marker:                    "jdbc:postgresql://db.internal:5432/shop",
		"jdbc:sqlserver://db.internal:1433;databaseName=shop;user=sa;password=" + marker:         "jdbc:sqlserver://db.internal:1433",
		"jdbc:oracle:thin:app/" + marker + "@db.internal:1521/ORCL":                              "db.internal:1521/ORCL",
		"host=db.internal port=5432 dbname=shop user=app password=" + marker:                     "host=db.internal port=5432 dbname=shop",
		"host=db.internal password='a b " + marker + "' dbname=shop":                             "{redacted}",
		"Data Source=db.internal;Initial Catalog=shop;User ID=sa;Password=" + marker + ";":       "data source=db.internal initial catalog=shop",
		"Server=db;Database=shop;Uid=app;Pwd=" + marker:                                          "server=db database=shop",
		marker + "@db.internal": "db.internal",
		"HikariPool-1":          "HikariPool-1",
		"main":                  "main",
	} {
		pools, _ := poolRows(t, map[string]any{"service.name": "svc"}, in)
		if len(pools) != 1 || pools[0] != want {
			t.Errorf("pool %q stored as %q, want %q", in, pools, want)
		}
		for _, p := range pools {
			if strings.Contains(strings.ToLower(p), strings.ToLower(marker)) {
				t.Errorf("pool name %q leaks", p)
			}
		}
	}
}

// Text attributes that are not strings are ignored, never stringified.
func TestNonStringMetricAttributesAreIgnored(t *testing.T) {
	pools, instances := poolRows(t,
		map[string]any{"service.name": []any{marker}, "host.name": map[string]any{"a": marker}, "service.instance.id": []byte(marker)},
		[]any{"postgres://app:" + marker + "@db/shop"}, map[string]any{"dsn": marker}, []byte(marker))
	for _, p := range pools {
		if p != "default" {
			t.Errorf("non-string pool name stored as %q, want the default", p)
		}
	}
	for _, k := range instances {
		if k.Service != "unknown_service" || k.Host != "" || k.InstanceID != "" {
			t.Errorf("non-string resource attributes stored: %+v", k)
		}
	}
}
