package perfgraphqlext

import (
	"os"
	"strings"
	"testing"
)

// The README shows the GraphQL schema to newcomers; it must be the one the server serves.
func TestReadmeShowsTheServedSchema(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	schema, err := os.ReadFile("schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	block := "```graphql\n" + strings.TrimRight(string(schema), "\n") + "\n```"
	if !strings.Contains(string(readme), block) {
		t.Fatal("README.md's GraphQL schema differs from extension/perfgraphqlext/schema.graphql: paste the file into the ```graphql block")
	}
}
