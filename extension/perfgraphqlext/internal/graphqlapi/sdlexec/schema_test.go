package sdlexec

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

type stamp struct{ time.Time }

func (s *stamp) UnmarshalGraphQL(in any) error {
	str, _ := in.(string)
	t, err := time.Parse(time.RFC3339, str)
	s.Time = t
	return err
}

type item struct {
	Name    string
	At      stamp
	Missing *stamp
}

type root struct{}

func (root) Shift(_ context.Context, args struct {
	At    stamp
	Hours *int32
}) (*item, error) {
	h := int32(1)
	if args.Hours != nil {
		h = *args.Hours
	}
	return &item{Name: "shifted", At: stamp{args.At.Add(time.Duration(h) * time.Hour)}}, nil
}

const testSDL = `
scalar DateTime
type Query { shift(at: DateTime!, hours: Int): Item! }
type Item { name: String!, at: DateTime!, missing: DateTime }
`

// Root fields bind to methods, arguments to the args struct (DateTime by its
// UnmarshalGraphQL), result fields to struct fields; DateTime answers RFC 3339 in UTC.
func TestBuildBindsSDLToGo(t *testing.T) {
	s, err := Build(testSDL, Roots{Query: root{}})
	if err != nil {
		t.Fatal(err)
	}
	lim := Limits{MaxQueryLength: 1000, MaxDepth: 5, MaxSelections: 20}
	res := Exec(context.Background(), &s, lim, NewDocCache(4), `{ shift(at: "2026-01-02T03:04:05+01:00", hours: 2) { name at missing } }`, "", nil)
	got, _ := json.Marshal(res)
	if want := `{"data":{"shift":{"at":"2026-01-02T04:04:05Z","missing":null,"name":"shifted"}}}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
	res = Exec(context.Background(), &s, lim, NewDocCache(4), `{ shift(at: "yesterday") { name } }`, "", nil)
	if len(res.Errors) != 1 || !strings.HasPrefix(res.Errors[0].Message, "shift: at: ") {
		t.Errorf("a bad DateTime answers %+v, want an error naming shift: at", res.Errors)
	}
}

// A root field without a method would always answer null: the schema is refused.
func TestBuildRefusesAFieldWithoutAMethod(t *testing.T) {
	if _, err := Build(testSDL+`extend type Query { other: String }`, Roots{Query: root{}}); err == nil {
		t.Error("Build accepted Query.other without a method")
	}
	sdl := strings.Replace(testSDL, "type Query {", "type Query { other: String,", 1)
	if _, err := Build(sdl, Roots{Query: root{}}); err == nil || !strings.Contains(err.Error(), "Query.other has no resolver method") {
		t.Errorf("Build = %v, want an error naming Query.other", err)
	}
}
