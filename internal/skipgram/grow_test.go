package skipgram

import (
	"slices"
	"testing"
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
	g, err := Grow(m, cfg, from)
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
	again, _ := Grow(m, cfg, from)
	if !slices.Equal(again.In, g.In) {
		t.Error("growing twice gives different rows")
	}
}

func TestGrowRefuses(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Dim = 4
	m := NewModel(3, cfg)
	for _, tc := range []struct {
		name string
		cfg  func(*Config)
		from []int32
	}{
		{"row twice", nil, []int32{0, 0, 1}},
		{"row out of range", nil, []int32{0, 3}},
		{"other dim", func(c *Config) { c.Dim = 5 }, []int32{0, 1, 2}},
		{"hs added", func(c *Config) { c.HS = true }, []int32{0, 1, 2}},
		{"negative dropped", func(c *Config) { c.Negative, c.HS = 0, true }, []int32{0, 1, 2}},
	} {
		c := cfg
		if tc.cfg != nil {
			tc.cfg(&c)
		}
		if _, err := Grow(m, c, tc.from); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
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
