package queryplan

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ToParams turns the ? placeholders of a normalized statement into $1..$n (INTERVAL ? into
// $n::interval) and returns the parameter count.
func ToParams(normalized string) (string, int) {
	var b strings.Builder
	n := 0
	inQ := byte(0)
	for i := 0; i < len(normalized); i++ {
		c := normalized[i]
		if inQ != 0 {
			b.WriteByte(c)
			if c == inQ {
				inQ = 0
			}
			continue
		}
		if c == '"' || c == '\'' {
			inQ = c
			b.WriteByte(c)
			continue
		}
		if c == '?' {
			n++
			s := b.String()
			if strings.HasSuffix(strings.ToUpper(strings.TrimRight(s, " ")), "INTERVAL") {
				t := strings.TrimRight(s, " ")
				b.Reset()
				b.WriteString(t[:len(t)-len("INTERVAL")])
				fmt.Fprintf(&b, "$%d::interval", n)
				continue
			}
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(c)
	}
	return b.String(), n
}

// ExplainGeneric prepares a normalized statement under name, with its ? as $n parameters, and
// returns the EXPLAIN (FORMAT JSON) of its generic plan (plan_cache_mode = force_generic_plan,
// executed with NULL for every parameter: on PostgreSQL 15 there is no EXPLAIN (GENERIC_PLAN),
// and a generic plan needs no value) and the prepared text. tx must be a read-only
// transaction that the caller rolls back; nothing is executed. The raw plan is the
// target's own and still holds its constants: redact it (Redact) before storing it.
func ExplainGeneric(ctx context.Context, tx pgx.Tx, name, normalized string) (raw, prepared string, err error) {
	stmt, n := ToParams(normalized)
	if _, err := tx.Exec(ctx, "SET LOCAL plan_cache_mode = force_generic_plan"); err != nil {
		return "", stmt, err
	}
	if _, err := tx.Exec(ctx, "PREPARE "+name+" AS "+stmt); err != nil {
		return "", stmt, fmt.Errorf("prepare the normalized statement: %w", err)
	}
	exec := "EXPLAIN (FORMAT JSON) EXECUTE " + name
	if n > 0 {
		exec += "(" + strings.TrimSuffix(strings.Repeat("NULL, ", n), ", ") + ")"
	}
	if err := tx.QueryRow(ctx, exec).Scan(&raw); err != nil {
		return "", stmt, fmt.Errorf("explain: %w", err)
	}
	if _, err := tx.Exec(ctx, "DEALLOCATE "+name); err != nil {
		return "", stmt, err
	}
	return raw, stmt, nil
}

// Statuses of a generic plan (perf_generic_plan_status.status).
const (
	StatusPlanned = "planned"
	// StatusNoParameterTypes: PostgreSQL cannot infer a parameter's type (? compared with
	// another parameter, or passed to an overloaded function).
	StatusNoParameterTypes = "no_parameter_types"
	// StatusDoesNotParse: the normalized text is not a valid statement once its ? are $n (a ?
	// where a name or keyword belongs, a text the normalizer cut short).
	StatusDoesNotParse = "does_not_parse"
	// StatusNotPlannable: not a statement EXPLAIN takes (utility statements, DDL, COPY...).
	StatusNotPlannable = "not_plannable"
	// StatusPartitionPruningByNull: the executor pruned partitions by the NULL parameters, so
	// the plan is not the one the statement gets.
	StatusPartitionPruningByNull = "partition_pruning_by_null"
	// StatusError: anything else (a missing relation, privileges, timeout...).
	StatusError = "error"
)

// Generic is the outcome of one statement's generic planning.
type Generic struct {
	Status  string
	Message string
	Plan    Plan // when Status is StatusPlanned
}

// plannable are the statements PREPARE takes.
var plannable = map[string]bool{"SELECT": true, "INSERT": true, "UPDATE": true, "DELETE": true, "WITH": true,
	"VALUES": true, "TABLE": true, "MERGE": true}

// PlanGeneric makes and redacts the generic plan of a normalized statement, inside a savepoint
// of tx (read-only, rolled back by the caller), and says why when it cannot. The message
// never quotes the server's error text (which may quote the statement): it names the SQLSTATE.
func PlanGeneric(ctx context.Context, tx pgx.Tx, normalized string) Generic {
	first, _, _ := strings.Cut(strings.TrimLeft(normalized, " (\t\n"), " ")
	if !plannable[strings.ToUpper(first)] {
		return Generic{Status: StatusNotPlannable, Message: "not a statement EXPLAIN takes (" + strings.ToUpper(first) + ")"}
	}
	sp, err := tx.Begin(ctx)
	if err != nil {
		return Generic{Status: StatusError, Message: "savepoint failed: " + sqlstate(err)}
	}
	defer func() { _ = sp.Rollback(context.WithoutCancel(ctx)) }()
	raw, _, err := ExplainGeneric(ctx, sp, "perf_generic_plan", normalized)
	if err != nil {
		return classify(err)
	}
	p, err := Redact([]byte(raw))
	if err != nil {
		return Generic{Status: StatusError, Message: "unreadable plan"}
	}
	g := Generic{Status: StatusPlanned, Plan: p}
	var doc []struct {
		Plan map[string]any `json:"Plan"`
	}
	if json.Unmarshal([]byte(raw), &doc) == nil && len(doc) == 1 && prunedSubplans(doc[0].Plan) > 0 {
		return Generic{Status: StatusPartitionPruningByNull, Message: fmt.Sprintf(
			"the generic plan with NULL parameters pruned %.0f partition subplans at executor start: not the plan of real values", prunedSubplans(doc[0].Plan))}
	}
	if strings.Contains(normalized, "IN (?)") {
		g.Message = "IN lists are collapsed to one value by the normalization: the plan is that of a one-value list"
	}
	return g
}

func prunedSubplans(n map[string]any) float64 {
	total, _ := n["Subplans Removed"].(float64)
	if kids, ok := n["Plans"].([]any); ok {
		for _, k := range kids {
			if m, ok := k.(map[string]any); ok {
				total += prunedSubplans(m)
			}
		}
	}
	return total
}

func classify(err error) Generic {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		if errors.Is(err, context.DeadlineExceeded) {
			return Generic{Status: StatusError, Message: "the target did not answer in time"}
		}
		return Generic{Status: StatusError, Message: "the target failed; see the collector log"}
	}
	switch {
	case pe.Code == "42P18" || pe.Code == "42725" || (pe.Code == "42883" && strings.Contains(pe.Message, "unknown")):
		return Generic{Status: StatusNoParameterTypes, Message: "PostgreSQL cannot infer the type of a parameter (SQLSTATE " + pe.Code + ")"}
	case pe.Code == "42601":
		return Generic{Status: StatusDoesNotParse, Message: "the normalized statement does not parse once its ? are parameters (SQLSTATE 42601)"}
	case pe.Code == "42P01":
		return Generic{Status: StatusError, Message: "a relation of the statement does not exist in the target (another schema or search_path, a temporary table; SQLSTATE 42P01)"}
	case pe.Code == "42501":
		return Generic{Status: StatusError, Message: "the target's role lacks SELECT on a relation of the statement (SQLSTATE 42501)"}
	case pe.Code == "57014":
		return Generic{Status: StatusError, Message: "statement timeout (SQLSTATE 57014)"}
	}
	return Generic{Status: StatusError, Message: "PostgreSQL refused: " + sqlstate(err)}
}

func sqlstate(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return "SQLSTATE " + pe.Code
	}
	return "see the collector log"
}
