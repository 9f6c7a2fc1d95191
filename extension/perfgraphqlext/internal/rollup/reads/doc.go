// Package reads holds the reads of stored data that the GraphQL API answers from, beside
// the rollup read model (package rollup): each runs its statements (embedded from this
// directory; $1 is always the tenant id, the window is [$2, $3) where there is one) in a
// transaction of rollup.Store.Read and returns plain Go rows. The API checks the arguments
// and maps the rows to its GraphQL types.
package reads
