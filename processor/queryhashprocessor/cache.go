package queryhashprocessor

import (
	"hash/maphash"
	"strings"
	"sync/atomic"

	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

// Statements repeat: drivers that report the prepared text send the same text for every
// execution, and ORMs generate few shapes. resultCache remembers the normalization of
// recent statement texts so that a repeated text costs a hash and a comparison instead of
// a normalization, a LIKE classification and a fingerprint formatting (and their
// allocations). A normalization depends only on the dialect and the text (the length cap
// is fixed per processor), so a cached result is the one a new run would give.
//
// The cache is direct-mapped: a fixed array of slots, each holding the last text that
// hashed to it, replaced on collision. That bounds it (cacheSlots entries of texts up to
// cacheMaxText bytes, plus their results: a few MiB at most) without any eviction
// bookkeeping, and lets the receiver's concurrent requests share it without a lock.
const (
	cacheSlots   = 4096 // a power of two
	cacheMaxText = 2048 // longer texts are normalized every time
)

type cacheEntry struct {
	dialect     sqlnorm.Dialect
	text        string
	res         sqlnorm.Result
	like        sqlnorm.LikeClass
	fingerprint string // sqlnorm.FormatFingerprint(res.Fingerprint)
}

type resultCache struct {
	seed  maphash.Seed
	slots [cacheSlots]atomic.Pointer[cacheEntry]
}

func newResultCache() *resultCache { return &resultCache{seed: maphash.MakeSeed()} }

func (c *resultCache) slot(d sqlnorm.Dialect, text string) *atomic.Pointer[cacheEntry] {
	h := maphash.String(c.seed, text) ^ uint64(d)*0x9e3779b97f4a7c15
	return &c.slots[h&(cacheSlots-1)]
}

// get returns the entry of text in dialect d, or nil.
func (c *resultCache) get(d sqlnorm.Dialect, text string) *cacheEntry {
	if len(text) > cacheMaxText {
		return nil
	}
	if e := c.slot(d, text).Load(); e != nil && e.dialect == d && e.text == text {
		return e
	}
	return nil
}

// put stores the normalization of text. The text is copied so that the cache never keeps
// more than the text alive, whatever memory the span's string shares.
func (c *resultCache) put(d sqlnorm.Dialect, text string, res sqlnorm.Result, like sqlnorm.LikeClass) *cacheEntry {
	e := &cacheEntry{dialect: d, res: res, like: like, fingerprint: sqlnorm.FormatFingerprint(res.Fingerprint)}
	if len(text) > cacheMaxText {
		return e
	}
	e.text = strings.Clone(text)
	c.slot(d, text).Store(e)
	return e
}
