// Command gen writes ../100KB.sql, the large statement of the benchmark set.
// It is deterministic; run it from this directory: go run .
package main

import (
	"fmt"
	"os"
	"strings"
)

type lcg uint64

func (l *lcg) next(n int) int {
	*l = *l*6364136223846793005 + 1442695040888963407
	return int(uint64(*l>>33) % uint64(n))
}

func main() {
	r := lcg(42)
	tables := []string{"orders", "customers", "invoices", "payments", "shipments", "products", "order_items", "refunds"}
	cols := []string{"id", "status", "amount", "created_at", "updated_at", "region", "email", "sku", "quantity", "currency"}
	words := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"}
	var b strings.Builder
	b.WriteString("/* generated benchmark statement: report union */\nSELECT report.kind, report.region, SUM(report.amount) AS total FROM (\n")
	i := 0
	for b.Len() < 100*1024-400 {
		if i > 0 {
			b.WriteString("  UNION ALL\n")
		}
		t := tables[r.next(len(tables))]
		c1, c2 := cols[r.next(len(cols))], cols[r.next(len(cols))]
		fmt.Fprintf(&b, "  SELECT '%s-%d' AS kind, t%d.region, t%d.%s::numeric AS amount -- part %d\n", words[r.next(len(words))], i, i, i, c1, i)
		fmt.Fprintf(&b, "    FROM public.%s t%d\n", t, i)
		fmt.Fprintf(&b, "    LEFT JOIN audit.log_%d a%d ON a%d.ref_id = t%d.id AND a%d.note <> 'n/a %s'\n", r.next(50), i, i, i, i, words[r.next(len(words))])
		fmt.Fprintf(&b, "   WHERE t%d.created_at >= '2024-%02d-%02d' AND t%d.%s IN (", i, 1+r.next(12), 1+r.next(28), i, c2)
		k := 3 + r.next(12)
		for j := 0; j < k; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%d", r.next(1000000))
		}
		fmt.Fprintf(&b, ")\n     AND t%d.amount BETWEEN %d.%02d AND %de%d\n", i, r.next(1000), r.next(100), 1+r.next(9), 1+r.next(5))
		fmt.Fprintf(&b, "     AND (t%d.email LIKE '%%@%s.example' OR t%d.flags @> ARRAY[%d, %d, -%d])\n", i, words[r.next(len(words))], i, r.next(64), r.next(64), r.next(64))
		i++
	}
	b.WriteString(") report\nWHERE report.amount > 0 GROUP BY report.kind, report.region ORDER BY total DESC LIMIT 100\n")
	if err := os.WriteFile("../100KB.sql", []byte(b.String()), 0o644); err != nil {
		panic(err)
	}
}
