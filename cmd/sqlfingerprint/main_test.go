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

func TestRunEscapesAndErrors(t *testing.T) {
	var out bytes.Buffer
	if err := run(strings.NewReader("SELECT \"a\tb\" FROM t"), &out, []string{"-dialect", "generic"}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(out.String(), "\tSELECT \"a\\tb\" FROM t\n") {
		t.Fatalf("got %q", out.String())
	}
	if err := run(strings.NewReader(""), &out, []string{"-dialect", "oracle"}); err == nil {
		t.Fatal("expected error for unknown dialect")
	}
	if err := run(strings.NewReader(""), &out, []string{"extra"}); err == nil {
		t.Fatal("expected error for extra args")
	}
}
