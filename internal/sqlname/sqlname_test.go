package sqlname

import "testing"

func TestFind(t *testing.T) {
	for name, want := range map[string]string{
		"SELECT * FROM t":                 "SELECT * FROM t",
		"  (select 1)":                    "select 1)",
		"pg.query:SELECT a FROM t":        "SELECT a FROM t",
		"mysql insert into t values (1)":  "insert into t values (1)",
		"update":                          "update",
		"DELETE":                          "",
		"DELETE /users/{id}":              "",
		"GET /users":                      "",
		"selection of items":              "",
		"process order":                   "",
		"reselect x":                      "",
		"ends with SELECT":                "",
		"with_cte_name":                   "",
		"WITH x AS (SELECT 1) SELECT * x": "WITH x AS (SELECT 1) SELECT * x",
	} {
		got, ok := Find(name)
		if got != want || ok != (want != "") {
			t.Errorf("Find(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
}
