package connstr

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"main":                                 "main",
		"HikariPool-1":                         "HikariPool-1",
		"postgres://db.internal/shop":          "postgres://db.internal/shop",
		"postgres://SECRET@db/shop":            "postgres://db/shop",
		"postgres://u:SECRET@[::1]:5432/shop":  "postgres://[::1]:5432/shop",
		"postgres://u:SECRET@h1:5432,h2/shop":  "postgres://h1:5432,h2/shop",
		"postgres://db/shop?user=a@SECRET":     "postgres://db/shop",
		"postgres://db/shop#SECRET":            "postgres://db/shop",
		"postgres://u:pa?SECRET@db/shop":       "postgres://{redacted}",
		"postgres://u:SECRET/x@db/shop":        "postgres://db/shop",
		"postgres://db/sh%6Fp":                 "postgres://db/{redacted}",
		"redis://:SECRET@cache:6379/0":         "redis://cache:6379/0",
		"u/SECRET@db:1521:ORCL":                "db:1521:ORCL",
		"host=db password = SECRET":            "{redacted}",
		`host=db password=a\ host=SECRET`:      "{redacted}",
		"host=db password='x host=SECRET'":     "{redacted}",
		"Server=tcp:db,1433;Pwd=SECRET":        "server=tcp:db,1433",
		`Data Source=db\sql1;Password=SECRET;`: `data source=db\sql1`,
		"user=app password=SECRET":             "{redacted}",
		"dbname=sh&op password=SECRET":         "dbname={redacted}",
		"s c h e m e://u:SECRET@db/x":          "{redacted}",
	} {
		got := Redact(in)
		if got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
		if strings.Contains(got, "SECRET") {
			t.Errorf("Redact(%q) leaks: %q", in, got)
		}
	}
}

func FuzzRedact(f *testing.F) {
	for _, s := range []string{"postgres://u:p@h/db", "host=h password=p", "a@b", "Data Source=x;Password=y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Redact(s)
		// a connection string's password never survives
		for _, k := range []string{"password=", "pwd="} {
			if i := strings.Index(strings.ToLower(s), k); i >= 0 && strings.Contains(strings.ToLower(out), k) {
				t.Fatalf("Redact(%q) = %q keeps a password", s, out)
			}
		}
	})
}
