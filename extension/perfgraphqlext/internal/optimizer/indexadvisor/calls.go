package indexadvisor

import "strings"

// What a statement's function calls say about where its time goes. An index only shortens
// the reading of rows: a statement that sleeps, or calls a function whose cost nobody can see
// from its text, may spend its time there, and an index suggested for it would be a guess.
// So an index is only suggested when every call is a built-in that costs about nothing per
// row next to reading it.

// sleepFunctions spend their time waiting: the time of a statement that calls one is
// explained by the call, never by a scan.
var sleepFunctions = map[string]bool{"pg_sleep": true, "pg_sleep_for": true, "pg_sleep_until": true,
	"sleep": true, "benchmark": true, "dbms_lock.sleep": true, "dbms_session.sleep": true, "waitfor": true}

// volatileFunctions give a different result each call (PostgreSQL VOLATILE): they are
// evaluated for every row and defeat the planner's estimates.
var volatileFunctions = map[string]bool{"random": true, "clock_timestamp": true, "timeofday": true, "gen_random_uuid": true,
	"uuid_generate_v4": true, "uuid_generate_v1": true, "nextval": true, "setval": true, "setseed": true, "txid_current": true,
	"pg_advisory_lock": true, "pg_advisory_xact_lock": true, "pg_try_advisory_lock": true, "dblink": true, "uuid": true, "rand": true}

// cheapFunctions are built-ins (IMMUTABLE or STABLE, like now()) that cost little per row;
// any other call (a user function, an extension's) makes the statement's time unexplained.
var cheapFunctions = map[string]bool{}

func init() {
	for _, f := range strings.Fields(`count sum avg min max array_agg string_agg json_agg jsonb_agg bool_and bool_or every
		coalesce nullif greatest least lower upper length char_length octet_length trim btrim ltrim rtrim substring substr
		replace concat concat_ws left right abs round floor ceil ceiling trunc mod power sqrt sign date_trunc date_part
		extract now current_timestamp current_date localtimestamp statement_timestamp transaction_timestamp to_char to_date
		to_timestamp to_number cast any some all unnest array_length cardinality array_position json_build_object
		jsonb_build_object json_build_array jsonb_build_array row_to_json to_json to_jsonb jsonb_array_elements
		json_array_elements jsonb_extract_path jsonb_extract_path_text json_extract_path_text md5 encode decode split_part
		position strpos regexp_replace regexp_match format row_number rank dense_rank lag lead first_value last_value ntile
		percentile_cont percentile_disc age make_interval generate_series array row exists in values interval timestamp
		date time numeric int bigint text varchar if ifnull isnull iif nvl datediff date_add date_sub dateadd getdate
		to_days unix_timestamp from_unixtime uuid_to_bin bin_to_uuid json_extract json_unquote group_concat`) {
		cheapFunctions[f] = true
	}
}

// callSink names the call that explains (or may explain) a statement's time instead of a
// scan, and whether it certainly does (a sleep) or only may (a volatile or unknown function);
// "" when every call is a cheap built-in.
func callSink(toks []Token) (name string, certain bool) {
	var may string
	for i := 0; i+1 < len(toks); i++ {
		t := toks[i]
		if t.Kind != Word || t.Keyword || toks[i+1].Kind != Punct || toks[i+1].Text != "(" {
			continue
		}
		fn := strings.ToLower(t.Text)
		base := fn[strings.LastIndexByte(fn, '.')+1:]
		switch {
		case sleepFunctions[fn] || sleepFunctions[base]:
			return t.Text + "()", true
		case cheapFunctions[base] && !strings.Contains(fn, ".") || strings.HasPrefix(fn, "pg_catalog."):
		default:
			if may == "" {
				may = t.Text + "()"
			}
		}
	}
	return may, false
}

// isVolatile reports whether name (as callSink returns it) is a known volatile built-in.
func isVolatile(call string) bool {
	fn := strings.ToLower(strings.TrimSuffix(call, "()"))
	return volatileFunctions[fn[strings.LastIndexByte(fn, '.')+1:]]
}
