// Package localdict interns the values that repeat across the rows of one batch (tenants,
// services, endpoints, ...), so that rows carry small indexes and the writer resolves each
// distinct value to its database id once per batch.
package localdict

// Dict assigns dense indexes to distinct values in order of first appearance.
type Dict[K comparable] struct {
	Values []K
	index  map[K]int32
}

// Intern returns the index of k, adding it when new.
func (d *Dict[K]) Intern(k K) int32 {
	if i, ok := d.index[k]; ok {
		return i
	}
	if d.index == nil {
		d.index = map[K]int32{}
	}
	i := int32(len(d.Values))
	d.Values = append(d.Values, k)
	d.index[k] = i
	return i
}

// Len is the number of distinct values.
func (d *Dict[K]) Len() int { return len(d.Values) }
