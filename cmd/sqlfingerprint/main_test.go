package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	in := strings.Join([]string{
		"SELECT * FROM users WHERE id = 1",
		"select *\\n  from USERS -- c\\n where id = $1",
		"",
		"INSERT INTO orders (a, b) VALUES (1, 'x'), (2, 'y')\r",
		"SELECT o.id FROM orders o JOIN customers c ON c.id = o.cid",
	}, "\n")
	var out bytes.Buffer
	if err := run(strings.NewReader(in), &out, nil); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	want := []string{
		"c1ec35f2be19c071\tSELECT users\tSELECT * FROM users WHERE id = ?",
		"c1ec35f2be19c071\tSELECT users\tSELECT * FROM users WHERE id = ?",
		"\tINSERT orders\tINSERT INTO orders(a, b) VALUES (?, ?)",
		"\tSELECT orders customers\tSELECT o.id FROM orders o JOIN customers c ON c.id = o.cid",
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines:\n%s", len(lines), out.String())
	}
	for i, w := range want {
		if strings.HasPrefix(w, "\t") {
			if len(lines[i]) < 17 || lines[i][16:] != w {
				t.Errorf("line %d: got %q want <fp>%q", i, lines[i], w)
			}
			continue
		}
		if lines[i] != w {
			t.Errorf("line %d: got %q want %q", i, lines[i], w)
		}
	}
}

func TestRunNULAndDialect(t *testing.T) {
	in := "SELECT `a` FROM t WHERE x = \"s\"\x00SELECT 1\n,\n2\x00"
	var out bytes.Buffer
	if err := run(strings.NewReader(in), &out, []string{"-0", "-dialect", "mysql"}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, "\tSELECT t\tSELECT a FROM t WHERE x = ?\n") || !strings.Contains(got, "\tSELECT\tSELECT ?, ?\n") {
		t.Fatalf("got:\n%s", got)
	}
}

func TestRunLongLine(t *testing.T) {
	long := "SELECT * FROM t WHERE id IN (" + strings.Repeat("1, ", 200000) + "1)\n"
	var out bytes.Buffer
	if err := run(strings.NewReader(long), &out, []string{"-max-len", "2000000"}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(out.String(), "\tSELECT t\tSELECT * FROM t WHERE id IN (?)\n") {
		t.Fatalf("got %q", out.String())
	}
}

func TestRunDialects(t *testing.T) {
	for dialect, want := range map[string]string{
		"oracle":               "SELECT ? FROM dual\n",
		"oracle.db":            "SELECT ? FROM dual\n",
		"generic":              "SELECT ? FROM dual\n",
		"sqlserver":            "SELECT q ? FROM dual\n",
		"microsoft.sql_server": "SELECT q ? FROM dual\n",
		"SQLite":               "SELECT q ? FROM dual\n",
		"clickhouse":           "SELECT q ? FROM dual\n",
		"cassandra":            "SELECT q ? FROM dual\n",
	} {
		var out bytes.Buffer
		if err := run(strings.NewReader("SELECT q'[x]' FROM dual"), &out, []string{"-dialect", dialect}); err != nil {
			t.Fatalf("%s: %v", dialect, err)
		}
		if !strings.HasSuffix(out.String(), "\t"+want) {
			t.Errorf("%s: got %q, want suffix %q", dialect, out.String(), want)
		}
	}
}

func TestRunEscapesAndErrors(t *testing.T) {
	var out bytes.Buffer
	if err := run(strings.NewReader("SELECT * FROM \"a\tb\""), &out, []string{"-dialect", "generic"}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(out.String(), "\tSELECT * FROM \"a\\tb\"\n") {
		t.Fatalf("got %q", out.String())
	}
	if err := run(strings.NewReader(""), &out, []string{"-dialect", "nosuchdb"}); err == nil {
		t.Fatal("expected error for unknown dialect")
	}
	if err := run(strings.NewReader(""), &out, []string{"extra"}); err == nil {
		t.Fatal("expected error for extra args")
	}
}
