package phrases

import (
	"math"
	"math/bits"
	"runtime/debug"
	"unsafe"
)

// maxTableEntries caps a table's limit so that word ids, which start at 1,
// always fit in 32 bits.
const maxTableEntries = 1 << 31

// table counts words and pairs of adjacent words in bounded memory.
//
// Words get small integer ids and a pair is stored as its two ids and its
// count in one 12-byte slot of an open-addressing hash table with linear
// probing, against some 60 bytes for a Go map keyed by "a_b" strings. That is
// what lets a large corpus be counted in full without pruning, and makes
// counting fast: a pair costs one hash of two integers and usually one cache
// miss, with no string hashing and no allocation.
//
// When the words and pairs held pass maxEntries, the rarest are dropped, as
// word2vec's ReduceVocab does: every entry counted no more than some bar m,
// the lowest that frees enough room (down to 3/4 of the limit when the table
// is full), and the bar never falls from one pruning to the next. Counts of survivors stay exact; an entry
// dropped early may later be counted again from zero. A pair is (nearly)
// never counted more often than either of its words, so a pruned word takes
// its pairs with it; any left are dropped too, so no pair points at a free
// id.
type table struct {
	ids    map[string]uint32 // word → id
	words  []string          // id → word; "" for id 0 and free ids (no word is empty)
	counts []int64           // id → count; 0 for id 0 and free ids, and may be 0 for a word (see countShard)
	free   []uint32          // ids freed by pruning, reused first
	nwords int               // live words

	slots    []slot
	npairs   int
	maxSlots int    // the table grows no larger unless overfull (see addPair)
	sink     uint32 // see addPairs

	maxEntries int
	minReduce  int64 // the next pruning drops at least the entries counted ≤ minReduce
	tokens     int64 // words counted, pruned or not
	pruned     int64 // entries dropped by pruning
}

// A slot holds one pair: the ids of its words and its count. a == 0 marks an
// empty slot (ids start at 1). Keeping the three together costs one cache
// miss a probe where parallel arrays would cost two.
type slot struct {
	a, b uint32
	n    uint32 // saturates at MaxUint32
}

func newTable(maxEntries int) *table {
	t := &table{
		ids:       make(map[string]uint32),
		words:     []string{""},
		counts:    []int64{0},
		minReduce: 1,
	}
	t.setMaxEntries(maxEntries)
	t.slots = make([]slot, min(1<<14, t.maxSlots))
	return t
}

// setMaxEntries sets the limit; it does not prune.
func (t *table) setMaxEntries(n int) {
	t.maxEntries = min(max(n, 1), maxTableEntries)
	// Room for maxEntries pairs at a load of at most 3/4, plus those that
	// may be added before the check that prunes: a batch of pairs and as
	// many words.
	t.maxSlots = (t.maxEntries+2*pairBatch)/3*4 + 16
}

func (t *table) entries() int { return t.nwords + t.npairs }

// id returns the id of w, or 0 if w is not in the table.
func (t *table) id(w []byte) uint32 { return t.ids[string(w)] } // no allocation

// addWord adds n to the count of w and returns its id.
func (t *table) addWord(w []byte, n int64) uint32 {
	if id, ok := t.ids[string(w)]; ok {
		t.counts[id] += n
		return id
	}
	return t.insertWord(string(w), n)
}

func (t *table) insertWord(w string, n int64) uint32 {
	var id uint32
	if k := len(t.free); k > 0 {
		id = t.free[k-1]
		t.free = t.free[:k-1]
		t.words[id], t.counts[id] = w, n
	} else {
		id = uint32(len(t.words))
		t.words = append(t.words, w)
		t.counts = append(t.counts, n)
	}
	t.ids[w] = id
	t.nwords++
	return id
}

// home returns the slot where a probe for the pair a, b starts.
func (t *table) home(a, b uint32) int {
	// MurmurHash3's finalizer: ids are small and sequential, so their bits
	// need mixing before they can index the table.
	h := uint64(a)<<32 | uint64(b)
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	hi, _ := bits.Mul64(h, uint64(len(t.slots)))
	return int(hi)
}

// addPair adds n to the count of the pair of word ids a, b.
func (t *table) addPair(a, b uint32, n uint32) {
	if 4*t.npairs >= 3*len(t.slots) && (len(t.slots) < t.maxSlots || 8*t.npairs >= 7*len(t.slots)) {
		// Past maxSlots only when nearly full, which the limit prevents; the
		// escape keeps a bug from turning into an endless probe.
		t.grow()
	}
	t.addPairAt(t.home(a, b), a, b, n)
}

// addPairAt is addPair with the pair's home slot already computed.
func (t *table) addPairAt(i int, a, b uint32, n uint32) {
	for {
		s := &t.slots[i]
		if s.a == a && s.b == b {
			s.n = satAdd(s.n, n)
			return
		}
		if s.a == 0 {
			*s = slot{a, b, n}
			t.npairs++
			return
		}
		if i++; i == len(t.slots) {
			i = 0
		}
	}
}

// pairBatch is the number of pairs addPairs takes at once.
const pairBatch = 256

// addPairs adds one to the count of each pair in batch, which holds at most
// pairBatch pairs. It is addPair made fast for counting: the table is too
// big for the caches, so nearly every pair costs a cache miss, and one at a
// time the processor waits for each in turn. Here a first loop loads the home
// slot of every pair, loads that do not depend on one another and so are
// waited for all at once; the second loop then finds them in the cache.
func (t *table) addPairs(batch []slot) {
	// Grow first, so that the homes computed below stay valid.
	for 4*(t.npairs+len(batch)) >= 3*len(t.slots) && len(t.slots) < t.maxSlots {
		t.grow()
	}
	var homes [pairBatch]int
	var sink uint32
	for i, p := range batch {
		h := t.home(p.a, p.b)
		homes[i] = h
		sink += t.slots[h].a
	}
	t.sink = sink // keeps the compiler from dropping the loads
	for i, p := range batch {
		t.addPairAt(homes[i], p.a, p.b, 1)
	}
}

func satAdd(a, b uint32) uint32 {
	if s := a + b; s >= a {
		return s
	}
	return math.MaxUint32
}

// pairCount returns the count of the pair a, b.
func (t *table) pairCount(a, b uint32) uint32 {
	for i := t.home(a, b); ; {
		s := t.slots[i]
		if s.a == a && s.b == b {
			return s.n
		}
		if s.a == 0 {
			return 0
		}
		if i++; i == len(t.slots) {
			i = 0
		}
	}
}

// grow doubles the pair table, up to maxSlots.
func (t *table) grow() {
	n := 2 * len(t.slots)
	if len(t.slots) < t.maxSlots {
		n = min(n, t.maxSlots)
	}
	t.growTo(n)
}

// growTo moves the pairs to a table of n slots.
func (t *table) growTo(n int) {
	old := t.slots
	t.slots = make([]slot, n)
	for _, s := range old {
		if s.a != 0 {
			t.place(s)
		}
	}
	if len(old)*int(unsafe.Sizeof(slot{})) >= 64<<20 {
		// The old table is garbage now, but the runtime would keep its
		// memory until the heap had doubled, and at this size that is what
		// sets the peak: a quarter less on the benchmark corpus. One
		// collection costs little here, the slots holding no pointers.
		old = nil
		debug.FreeOSMemory()
	}
}

// place puts a pair known to be absent into the first free slot of its probe
// sequence.
func (t *table) place(s slot) {
	i := t.home(s.a, s.b)
	for t.slots[i].a != 0 {
		if i++; i == len(t.slots) {
			i = 0
		}
	}
	t.slots[i] = s
}

// pruneIfFull prunes when the table holds more than its limit. It reports
// whether it pruned, in which case ids held by the caller may be stale.
func (t *table) pruneIfFull() bool {
	if t.entries() <= t.maxEntries {
		return false
	}
	t.prune(t.maxEntries / 4 * 3)
	return true
}

// prune drops every entry counted at most m times, for the smallest
// m ≥ minReduce that leaves no more than target entries.
func (t *table) prune(target int) {
	m := t.pruneBar(target)
	for id := 1; id < len(t.counts); id++ {
		if c := t.counts[id]; t.words[id] != "" && c <= m {
			delete(t.ids, t.words[id])
			t.words[id], t.counts[id] = "", 0
			t.free = append(t.free, uint32(id))
			t.nwords--
			t.pruned++
		}
	}
	for i := range t.slots {
		s := &t.slots[i]
		// A pair is hardly ever counted more often than its words (see
		// countShard for the exception), so it nearly always goes with
		// them anyway; the test for dropped words makes sure.
		if s.a != 0 && (int64(s.n) <= m || t.words[s.a] == "" || t.words[s.b] == "") {
			*s = slot{}
			t.npairs--
			t.pruned++
		}
	}
	t.repair()
	t.minReduce = m + 1
}

// pruneBar finds the bar for prune with a histogram of the counts in a
// window above minReduce, moving the window up in the rare case that
// pruning must go higher.
func (t *table) pruneBar(target int) int64 {
	const window = 1024
	for base := t.minReduce; ; base += window {
		var hist [window]int
		removed := 0 // entries below the window, which go whatever the bar
		tally := func(c int64) {
			switch {
			case c < base:
				removed++
			case c-base < window:
				hist[c-base]++
			}
		}
		for id, c := range t.counts {
			if t.words[id] != "" {
				tally(c)
			}
		}
		for _, s := range t.slots {
			if s.a != 0 {
				tally(int64(s.n))
			}
		}
		for j, n := range hist {
			removed += n
			if t.entries()-removed <= target {
				return base + int64(j)
			}
		}
	}
}

// repair restores the probe sequences after slots were emptied, in place:
// starting just after an empty slot, so that every run of full slots is met
// from its start, it lifts each pair out and puts it back at the first free
// slot from its home. A pair only ever moves back towards its home, so pairs
// already placed stay reachable.
func (t *table) repair() {
	n := len(t.slots)
	e := 0
	for t.slots[e].a != 0 {
		e++ // the load is below 1, so an empty slot exists
	}
	for j := 1; j <= n; j++ {
		i := (e + j) % n
		if s := t.slots[i]; s.a != 0 {
			t.slots[i] = slot{}
			t.place(s)
		}
	}
}

// merge adds the counts of o to t. If the two together would not fit t's
// limit, t is pruned before, to make room, and after.
func (t *table) merge(o *table) {
	if t.entries()+o.entries() > t.maxEntries || 4*(t.npairs+o.npairs) >= 3*len(t.slots) {
		words, pairs := t.unseen(o)
		if t.entries()+words+pairs > t.maxEntries {
			// Room for all of o (pruning t may make more of its entries
			// new), but keeping at least half of t: o's entries are no
			// more deserving, and the pruning after the merge brings the
			// two together within the limit.
			t.prune(max(t.maxEntries-o.entries(), t.maxEntries/2))
			pairs = o.npairs
		}
		// Grow once, to the size needed: doubling as pairs come could take
		// nearly twice the memory, and merging happens when it is highest.
		if need := (t.npairs+pairs)/3*4 + 16; need > len(t.slots) {
			t.growTo(min(need, max(t.maxSlots, len(t.slots))))
		}
	}
	remap := make([]uint32, len(o.words))
	for id, w := range o.words {
		if w == "" {
			continue
		}
		n := o.counts[id]
		if tid, ok := t.ids[w]; ok {
			t.counts[tid] += n
			remap[id] = tid
		} else {
			remap[id] = t.insertWord(w, n)
		}
	}
	for _, s := range o.slots {
		if s.a != 0 {
			t.addPair(remap[s.a], remap[s.b], s.n)
		}
	}
	t.tokens += o.tokens
	t.pruned += o.pruned
	t.minReduce = max(t.minReduce, o.minReduce)
	t.pruneIfFull()
}

// unseen returns the numbers of o's words and pairs that t lacks.
func (t *table) unseen(o *table) (words, pairs int) {
	remap := make([]uint32, len(o.words))
	for id, w := range o.words {
		if w != "" {
			if remap[id] = t.ids[w]; remap[id] == 0 {
				words++
			}
		}
	}
	for _, s := range o.slots {
		if s.a != 0 {
			if a, b := remap[s.a], remap[s.b]; a == 0 || b == 0 || t.pairCount(a, b) == 0 {
				pairs++
			}
		}
	}
	return words, pairs
}

// reset empties t for reuse, keeping its memory.
func (t *table) reset() {
	clear(t.ids)
	t.words, t.counts = t.words[:1], t.counts[:1]
	t.free = t.free[:0]
	t.nwords = 0
	clear(t.slots)
	t.npairs = 0
	t.minReduce, t.tokens, t.pruned = 1, 0, 0
}
