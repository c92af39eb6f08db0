package skipgram

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"unsafe"

	"github.com/w2vtool/w2v/internal/subword"
)

// TestGrow checks that every kept word's rows move with it, new words start
// as NewModel starts them, and inner-node rows stay aligned with the root.
func TestGrow(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Dim, cfg.HS = 4, true
	m := NewModel(3, cfg)
	for i := range m.Out {
		m.Out[i] = float32(i + 1)
	}
	for i := range m.OutHS {
		m.OutHS[i] = float32(-i - 1)
	}
	from := []int32{2, -1, 0, 1, -1}
	words := []string{"c", "x", "a", "b", "y"}
	g, err := Grow(m, cfg, words, from)
	if err != nil {
		t.Fatal(err)
	}
	if g.Words != 5 || len(g.In) != 20 || len(g.Out) != 20 || len(g.OutHS) != 16 {
		t.Fatalf("grown model: %d words, %d/%d/%d values", g.Words, len(g.In), len(g.Out), len(g.OutHS))
	}
	d := cfg.Dim
	for i, old := range from {
		in, out := g.In[i*d:(i+1)*d], g.Out[i*d:(i+1)*d]
		if old >= 0 {
			if !slices.Equal(in, m.In[int(old)*d:int(old+1)*d]) || !slices.Equal(out, m.Out[int(old)*d:int(old+1)*d]) {
				t.Errorf("word %d: rows %v %v, want old word %d's", i, in, out, old)
			}
			continue
		}
		for _, v := range in {
			if v < -1/float32(d) || v >= 1/float32(d) || v == 0 {
				t.Errorf("new word %d: input %v, want uniform in [-1/dim, 1/dim)", i, in)
			}
		}
		if slices.ContainsFunc(out, func(v float32) bool { return v != 0 }) {
			t.Errorf("new word %d: output %v, want zero", i, out)
		}
	}
	// The old tree's 2 inner nodes are the new tree's top 2 (rows 2 and 3);
	// the 2 below start at zero.
	wantHS := append(make([]float32, 2*d), m.OutHS...)
	if !slices.Equal(g.OutHS, wantHS) {
		t.Errorf("inner nodes %v, want %v", g.OutHS, wantHS)
	}
	if slices.Equal(g.In[d:2*d], g.In[4*d:5*d]) {
		t.Error("two new words start with the same row")
	}
	again, _ := Grow(m, cfg, words, from)
	if !slices.Equal(again.In, g.In) {
		t.Error("growing twice gives different rows")
	}
}

func TestGrowRefuses(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Dim = 4
	m := NewModel(3, cfg)
	subCfg := cfg
	subCfg.Subwords = subword.Config{MinN: 3, MaxN: 4, Buckets: 50}
	sub, err := NewSubwordModel([]string{"aaa", "bbb", "ccc"}, subCfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		model *Model
		cfg   func(*Config)
		from  []int32
	}{
		{"row twice", m, nil, []int32{0, 0, 1}},
		{"row out of range", m, nil, []int32{0, 3}},
		{"word dropped", m, nil, []int32{0, 2, -1}},
		{"other dim", m, func(c *Config) { c.Dim = 5 }, []int32{0, 1, 2}},
		{"hs added", m, func(c *Config) { c.HS = true }, []int32{0, 1, 2}},
		{"negative dropped", m, func(c *Config) { c.Negative, c.HS = 0, true }, []int32{0, 1, 2}},
		{"subwords added", m, func(c *Config) { c.Subwords = subCfg.Subwords }, []int32{0, 1, 2}},
		{"subwords dropped", sub, nil, []int32{0, 1, 2}},
		{"other minn", sub, func(c *Config) { c.Subwords = subCfg.Subwords; c.Subwords.MinN = 2 }, []int32{0, 1, 2}},
		{"other buckets", sub, func(c *Config) { c.Subwords = subCfg.Subwords; c.Subwords.Buckets = 60 }, []int32{0, 1, 2}},
	} {
		c := cfg
		if tc.cfg != nil {
			tc.cfg(&c)
		}
		words := []string{"aaa", "bbb", "ccc", "ddd"}[:len(tc.from)]
		if _, err := Grow(tc.model, c, words, tc.from); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	if _, err := Grow(m, cfg, []string{"a", "b"}, []int32{0, 1, 2}); err == nil {
		t.Error("fewer words than rows: no error")
	}
}

// TestGrowSubwords checks a subword model's growth: word rows follow from,
// new words start uniform in [-1/dim, 1/dim) reproducibly, the bucket rows
// are the old model's, and the row lists are those of the grown words, so
// that training and the output see each n-gram's learnt row.
func TestGrowSubwords(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Dim, cfg.Subwords = 4, subword.Config{MinN: 3, MaxN: 4, Buckets: 50}
	old := []string{"cat", "dog", "mouse"}
	m, err := NewSubwordModel(old, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.In { // distinct values, unlike any fresh row
		m.In[i] = 100 + float32(i)
	}
	for i := range m.Out {
		m.Out[i] = float32(i + 1)
	}
	d, buckets := cfg.Dim, cfg.Subwords.Buckets
	for _, tc := range []struct {
		name  string
		words []string
		from  []int32
	}{
		{"new words between", []string{"dog", "horse", "cat", "mouse", "catfish"}, []int32{1, -1, 0, 2, -1}},
		{"no new words, reordered", []string{"mouse", "cat", "dog"}, []int32{2, 0, 1}},
		{"new words only at the end", []string{"cat", "dog", "mouse", "cats"}, []int32{0, 1, 2, -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := Grow(m, cfg, tc.words, tc.from)
			if err != nil {
				t.Fatal(err)
			}
			n := len(tc.words)
			if g.Words != n || len(g.In) != (n+buckets)*d || len(g.Out) != n*d {
				t.Fatalf("grown model: %d words, %d input and %d output values, want %d words, %d and %d",
					g.Words, len(g.In), len(g.Out), n, (n+buckets)*d, n*d)
			}
			if !slices.Equal(g.In[n*d:], m.In[m.Words*d:]) {
				t.Error("bucket rows differ from the old model's")
			}
			for i, o := range tc.from {
				in, out := g.In[i*d:(i+1)*d], g.Out[i*d:(i+1)*d]
				if o >= 0 {
					if !slices.Equal(in, m.In[int(o)*d:int(o+1)*d]) || !slices.Equal(out, m.Out[int(o)*d:int(o+1)*d]) {
						t.Errorf("%s: rows %v %v, want old word %d's", tc.words[i], in, out, o)
					}
					continue
				}
				for _, v := range in {
					if v < -1/float32(d) || v >= 1/float32(d) || v == 0 {
						t.Errorf("new word %s: input %v, want uniform in [-1/dim, 1/dim)", tc.words[i], in)
					}
				}
				if slices.ContainsFunc(out, func(v float32) bool { return v != 0 }) {
					t.Errorf("new word %s: output %v, want zero", tc.words[i], out)
				}
			}
			want, err := NewSubwords(tc.words, cfg.Subwords)
			if err != nil {
				t.Fatal(err)
			}
			if g.Sub == nil || !reflect.DeepEqual(*g.Sub, *want) {
				t.Errorf("row lists %+v, want NewSubwords of the grown words %+v", g.Sub, want)
			}
			again, err := Grow(m, cfg, tc.words, tc.from)
			if err != nil || !slices.Equal(again.In, g.In) {
				t.Error("growing twice gives different rows")
			}
			// The trainer takes the grown model as a subword model.
			counts := make([]int64, n)
			for i := range counts {
				counts[i] = int64(n - i)
			}
			if _, err := NewTrainer(cfg, g, counts); err != nil {
				t.Errorf("NewTrainer refuses the grown model: %v", err)
			}
		})
	}
}

// The plan, and so the learning rate's decay, follows the words an epoch
// reads, not the summed counts of a continued model.
func TestSetEpochWords(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Dim, cfg.Epochs = 4, 3
	counts := []int64{600, 300, 100}
	tr, err := NewTrainer(cfg, NewModel(3, cfg), counts)
	if err != nil {
		t.Fatal(err)
	}
	if p := tr.Progress().Planned; p != 3000 {
		t.Fatalf("planned %d words before SetEpochWords, want 3000", p)
	}
	tr.SetEpochWords(250)
	if p := tr.Progress().Planned; p != 750 {
		t.Errorf("planned %d words, want 3 epochs × 250", p)
	}
	tr.SetEpochWords(0) // 0: keep the plan
	if p := tr.Progress().Planned; p != 750 {
		t.Errorf("SetEpochWords(0) changed the plan to %d", p)
	}
}

// TestGrowInPlace checks that growing within the matrices' spare capacity
// gives the model Grow gives, value for value, and really reuses the
// arrays; without the capacity in any matrix it must still give Grow's
// model. The moves cover what the rows' permutation can hold: long cycles,
// swaps, chains ending past the old words, words only appended, and a
// shuffled vocabulary with new words between.
func TestGrowInPlace(t *testing.T) {
	sub := subword.Config{MinN: 3, MaxN: 4, Buckets: 50}
	old := []string{"cat", "dog", "mouse", "cow", "horse", "sheep", "goat", "hen"}
	// shuffled: the old words in a random order with 12 new words among them.
	r := rand.New(rand.NewPCG(1, 2))
	shuffled := slices.Repeat([]int32{-1}, 12)
	for i := range int32(len(old)) {
		shuffled = append(shuffled, i)
	}
	r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for _, tc := range []struct {
		name     string
		hs, neg  bool
		subwords bool
		from     []int32
		spare    int  // rows of capacity beyond the grown matrices'; -1: none beyond the old ones
		outTight bool // the output matrices have no room, the input matrix has
	}{
		{"subwords, new words between", false, true, true, []int32{1, -1, 0, 2, -1, 3, 4, 5, 6, 7}, 0, false},
		{"subwords, more room than needed", false, true, true, []int32{3, 1, 0, 2, -1, 4, 5, 6, 7}, 7, false},
		{"subwords, reordered only", false, true, true, []int32{2, 3, 0, 1, 7, 6, 5, 4}, 0, false},
		{"subwords and hs, no room", true, true, true, []int32{1, -1, 0, 2, -1, 3, 4, 5, 6, 7}, -1, false},
		{"subwords, hs only", true, false, true, []int32{-1, 1, -1, 0, 2, 3, 4, 5, 6, 7}, 0, false},
		{"no subwords, hs and negative", true, true, false, []int32{1, -1, 0, 2, -1, 3, 4, 5, 6, 7}, 0, false},
		{"no subwords, no room", false, true, false, []int32{1, -1, 0, 2, 3, 4, 5, 6, 7}, -1, false},
		{"no subwords, no room for the output rows", true, true, false, []int32{1, -1, 0, 2, 3, 4, 5, 6, 7}, 0, true},
		{"one long cycle", true, true, false, []int32{1, 2, 3, 4, 5, 6, 7, 0}, 0, false},
		{"one long cycle, subwords", true, true, true, []int32{7, 0, 1, 2, 3, 4, 5, 6}, 0, false},
		{"pairs swap places", true, true, false, []int32{1, 0, 3, 2, 5, 4, 7, 6}, 0, false},
		{"cycles, swaps and words that stay", true, true, true, []int32{0, 3, 5, 1, 4, 2, 7, 6, -1}, 0, false},
		{"new words only appended", true, true, false, []int32{0, 1, 2, 3, 4, 5, 6, 7, -1, -1, -1}, 0, false},
		{"new words only appended, subwords", true, true, true, []int32{0, 1, 2, 3, 4, 5, 6, 7, -1, -1, -1}, 2, false},
		{"a long chain past the old words", true, true, false, []int32{-1, 0, 1, 2, 3, 4, 5, 6, 7}, 0, false},
		{"new words first", false, true, true, []int32{-1, -1, -1, 0, 1, 2, 3, 4, 5, 6, 7}, 0, false},
		{"shuffled, many new words", true, true, false, shuffled, 0, false},
		{"shuffled, many new words, subwords", true, true, true, shuffled, 3, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Dim, cfg.HS = 4, tc.hs
			if !tc.neg {
				cfg.Negative = 0
			}
			if tc.subwords {
				cfg.Subwords = sub
			}
			words := make([]string, len(tc.from))
			for i, o := range tc.from {
				words[i] = fmt.Sprintf("new%d", i)
				if o >= 0 {
					words[i] = old[o]
				}
			}
			// withRoom copies x to an array with room rows more, filled
			// with stale values that growing must overwrite.
			withRoom := func(x []float32, room int) []float32 {
				if x == nil {
					return nil
				}
				y := make([]float32, len(x)+room*cfg.Dim)
				for i := range y {
					y[i] = 7777
				}
				copy(y, x)
				return y[:len(x)]
			}
			// Two equal models with distinct values in every row: one for
			// Grow, one, with room, for GrowInPlace.
			mk := func(inRoom, outRoom int) *Model {
				m, err := NewSubwordModel(old, cfg)
				if !tc.subwords {
					m, err = NewModel(len(old), cfg), nil
				}
				if err != nil {
					t.Fatal(err)
				}
				for i := range m.In {
					m.In[i] = 100 + float32(i)
				}
				for i := range m.Out {
					m.Out[i] = float32(i + 1)
				}
				for i := range m.OutHS {
					m.OutHS[i] = float32(-i - 1)
				}
				m.In, m.Out, m.OutHS = withRoom(m.In, inRoom), withRoom(m.Out, outRoom), withRoom(m.OutHS, outRoom)
				return m
			}
			inRoom, outRoom := 0, 0
			if tc.spare >= 0 {
				inRoom = len(tc.from) - len(old) + tc.spare
				outRoom = inRoom
			}
			if tc.outTight {
				outRoom = 0
			}
			inPlace := tc.spare >= 0 && !tc.outTight
			want, err := Grow(mk(0, 0), cfg, words, tc.from)
			if err != nil {
				t.Fatal(err)
			}
			m := mk(inRoom, outRoom)
			arrays := []*float32{unsafe.SliceData(m.In), unsafe.SliceData(m.Out), unsafe.SliceData(m.OutHS)}
			got, err := GrowInPlace(m, cfg, words, tc.from)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("GrowInPlace's model differs from Grow's:\n in %v\nwant %v\nout %v\nwant %v\ninner %v\nwant %v",
					got.In, want.In, got.Out, want.Out, got.OutHS, want.OutHS)
			}
			for k, x := range [][]float32{got.In, got.Out, got.OutHS} {
				if x == nil {
					continue
				}
				if reused := unsafe.SliceData(x) == arrays[k]; reused != inPlace {
					t.Errorf("%s array reused %t, want %t", []string{"input", "output", "inner-node"}[k], reused, inPlace)
				}
			}
			if m.In != nil || m.Out != nil || m.OutHS != nil || m.Sub != nil {
				t.Error("the old model still holds its matrices")
			}
		})
	}
	// A refused growth leaves the model as it was.
	cfg := DefaultConfig()
	cfg.Dim, cfg.Subwords = 4, sub
	m, err := NewSubwordModel(old, cfg)
	if err != nil {
		t.Fatal(err)
	}
	m.In = append(m.In, make([]float32, 8*cfg.Dim)...)[:len(m.In)]
	before := slices.Clone(m.In)
	if _, err := GrowInPlace(m, cfg, append(slices.Clone(old), "mouse", "x"), []int32{0, 1, 2, 3, 4, 5, 6, 7, 2, -1}); err == nil {
		t.Error("a row taken twice: no error")
	}
	if !slices.Equal(m.In, before) || m.Sub == nil {
		t.Error("a refused growth changed the model")
	}
}
