package queryhashprocessor

import (
	"hash/maphash"
	"strings"
	"sync/atomic"

	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm/likeclass"
)

// Statements repeat: drivers that report the prepared text send the same text for every
// execution, and ORMs generate few shapes. resultCache remembers the normalization of
// recent statement texts so that a repeated text costs a hash and a comparison instead of
// a normalization, a LIKE classification and a fingerprint formatting (and their
// allocations). A normalization depends only on the dialect and the text (the length cap
// is fixed per processor), so a cached result is the one a new run would give.
//
// The cache is direct-mapped: a fixed array of slots, each holding the last text admitted
// to it, replaced on collision. That bounds it (cacheSlots entries of texts up to
// cacheMaxText bytes, plus their results: about 20 MiB if every text had the maximum length,
// and a 128 KiB doorkeeper) without eviction
// bookkeeping, and lets the receiver's concurrent requests share it without a lock.
//
// Texts with literals are mostly seen once; storing each would cost an allocation and
// push the repeated texts out. A text is therefore admitted on its second sighting: the
// first only sets its bit in a doorkeeper bitmap, cleared whenever a sixteenth of its bits
// were set (so a new text finds its bit set by another one at most that often). Each slot
// keeps the hash of its text next to the pointer, so that a lookup of a text not cached
// (most of them) does not touch the entry's memory.
const (
	cacheSlots   = 4096 // a power of two
	cacheMaxText = 2048 // longer texts are normalized every time
	doorBits     = 1 << 20
)

type cacheEntry struct {
	hash        uint64
	dialect     sqlnorm.Dialect
	text        string
	res         sqlnorm.Result
	like        likeclass.Class
	fingerprint string // sqlnorm.FormatFingerprint(res.Fingerprint)
}

type resultCache struct {
	seed  maphash.Seed
	slots [cacheSlots]cacheSlot
	door  [doorBits / 64]atomic.Uint64
	set   atomic.Int64 // doorkeeper bits set since the last clearing
}

// cacheSlot: tag is the hash of entry's text, read first; an entry is used only when its
// own hash, dialect and text match, so a reader that sees a tag and an entry of two
// different writes takes no wrong result.
type cacheSlot struct {
	tag   atomic.Uint64
	entry atomic.Pointer[cacheEntry]
}

func newResultCache() *resultCache { return &resultCache{seed: maphash.MakeSeed()} }

func (c *resultCache) hash(d sqlnorm.Dialect, text string) uint64 {
	return maphash.String(c.seed, text) ^ uint64(d)*0x9e3779b97f4a7c15
}

// get returns the entry of text in dialect d, or nil; h is hash(d, text).
func (c *resultCache) get(h uint64, d sqlnorm.Dialect, text string) *cacheEntry {
	if len(text) > cacheMaxText {
		return nil
	}
	s := &c.slots[h&(cacheSlots-1)]
	if s.tag.Load() != h {
		return nil
	}
	if e := s.entry.Load(); e != nil && e.hash == h && e.dialect == d && e.text == text {
		return e
	}
	return nil
}

// admit reports whether text (of hash h) was seen before, and marks it seen.
func (c *resultCache) admit(h uint64, text string) bool {
	if len(text) > cacheMaxText {
		return false
	}
	bit := (h >> 32) % doorBits
	w := &c.door[bit/64]
	mask := uint64(1) << (bit % 64)
	if w.Load()&mask != 0 {
		return true
	}
	w.Or(mask)
	if c.set.Add(1) >= doorBits/16 {
		c.set.Store(0)
		for i := range c.door {
			c.door[i].Store(0)
		}
	}
	return false
}

// put stores the normalization of text (of hash h). The text is copied so that the cache
// never keeps more than the text alive, whatever memory the span's string shares.
func (c *resultCache) put(h uint64, e *cacheEntry) {
	e.text = strings.Clone(e.text)
	e.hash = h
	s := &c.slots[h&(cacheSlots-1)]
	s.entry.Store(e)
	s.tag.Store(h)
}
