package checkpoint

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/skipgram"
	"github.com/w2vtool/w2v/internal/subword"
)

func sample() *Checkpoint {
	cfg := skipgram.DefaultConfig()
	cfg.Dim, cfg.HS = 3, true
	m := skipgram.NewModel(4, cfg)
	for i := range m.Out {
		m.Out[i] = float32(i) / 7
	}
	return &Checkpoint{
		Job: Job{Inputs: []Input{{Name: "a.txt", Size: 123, Sample: 77}}, Output: "v.txt", MinCount: 5, MaxSentence: 10000, MaxWordBytes: 100, Threads: 2,
			SaveModel: "m.w2vm", EpochWords: 4321},
		Config: cfg,
		Words:  []string{"the", "of", "naïve", "x"},
		Counts: []int64{9, 5, 2, 1},
		State:  skipgram.State{Done: 42, Workers: []skipgram.WorkerState{{Epoch: 1, Sentences: 3, Local: 7, RNG: 99}, {}}},
		Model:  m,
	}
}

func TestRoundTrip(t *testing.T) {
	c := sample()
	var buf bytes.Buffer
	if err := Write(&buf, c); err != nil {
		t.Fatal(err)
	}
	got, err := Read(bytes.NewReader(buf.Bytes()), "c.ckpt", int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Fatalf("read back %+v\nwant %+v", got, c)
	}
}

// TestRoundTripSubwords checks that the buckets' rows travel with the
// words' and that the row lists come back with the model.
func TestRoundTripSubwords(t *testing.T) {
	c := subwordSample(t)
	var buf bytes.Buffer
	if err := Write(&buf, c); err != nil {
		t.Fatal(err)
	}
	got, err := Read(bytes.NewReader(buf.Bytes()), "c.ckpt", int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Model.In) != (4+5)*3 || got.Model.Sub == nil {
		t.Fatalf("read back %d input values, row lists %v; want (4 words + 5 buckets) × 3 and lists", len(got.Model.In), got.Model.Sub)
	}
	if !reflect.DeepEqual(got, c) {
		t.Fatalf("read back %+v\nwant %+v", got, c)
	}

	// A header whose buckets do not match the matrix is refused.
	c.Config.Subwords.Buckets = 6
	buf.Reset()
	if err := Write(&buf, c); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(bytes.NewReader(buf.Bytes()), "c.ckpt", int64(buf.Len())); err == nil || !strings.Contains(err.Error(), "input rows") {
		t.Errorf("buckets not matching the matrix: err = %v", err)
	}
}

func TestReadRejectsDamage(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	flipped := bytes.Clone(good)
	flipped[len(flipped)-10] ^= 1
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "too short"},
		{"not a checkpoint", []byte("hello world, this is text"), "not a w2v checkpoint"},
		{"truncated", good[:len(good)-20], "truncated or corrupt"},
		{"bit flip", flipped, "checksum mismatch"},
		{"trailing junk", append(bytes.Clone(good), 0), "truncated or corrupt"},
	}
	for _, tt := range tests {
		_, err := Read(bytes.NewReader(tt.data), "c.ckpt", int64(len(tt.data)))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "c.ckpt") {
			t.Errorf("%s: err = %v, want %q naming the file", tt.name, err, tt.want)
		}
		// Only a file that does not start as a checkpoint is "not one";
		// a damaged checkpoint is a different complaint.
		if notOne := tt.name == "empty" || tt.name == "not a checkpoint"; errors.Is(err, ErrNotCheckpoint) != notOne {
			t.Errorf("%s: errors.Is(err, ErrNotCheckpoint) = %t, want %t", tt.name, !notOne, notOne)
		}
	}
}

func TestFingerprint(t *testing.T) {
	text := []byte(strings.Repeat("the quick brown fox jumps over the lazy dog\n", 20000))
	fp := func(b []byte) uint64 {
		t.Helper()
		h, err := Fingerprint(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	base := fp(text)
	if again := fp(bytes.Clone(text)); again != base {
		t.Fatalf("same content fingerprints %x then %x", base, again)
	}
	edit := func(off int) []byte {
		b := bytes.Clone(text)
		b[off] ^= 0x20
		return b
	}
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"first byte changed", edit(0)},
		{"last byte changed", edit(len(text) - 1)},
		{"a middle block changed", edit((len(text) - fingerprintBlockSize) * 32 / (fingerprintBlocks - 1))},
		{"one byte shorter", text[:len(text)-1]},
		{"empty", nil},
	} {
		if got := fp(tc.b); got == base {
			t.Errorf("%s: fingerprint unchanged", tc.name)
		}
	}
	short := []byte("tiny corpus")
	if fp(short) == fp([]byte("tiny corpvs")) {
		t.Error("a file shorter than a block: change not seen")
	}
	if fp(nil) == 0 {
		t.Error("fingerprint 0, which means none was taken")
	}
}

// subwordSample is sample with n-gram buckets, its input values distinct.
func subwordSample(t *testing.T) *Checkpoint {
	c := sample()
	c.Config.Subwords = subword.Config{MinN: 2, MaxN: 3, Buckets: 5}
	m, err := skipgram.NewSubwordModel(c.Words, c.Config)
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.In {
		m.In[i] = float32(i)
	}
	c.Model = m
	return c
}

// TestReadHeader checks that the header comes back without the matrices,
// and that a file whose size does not fit its header is refused as Read
// refuses it.
func TestReadHeader(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    *Checkpoint
	}{
		{"words", sample()},
		{"subwords", subwordSample(t)},
	} {
		var buf bytes.Buffer
		if err := Write(&buf, tc.c); err != nil {
			t.Fatal(err)
		}
		got, err := ReadHeader(bytes.NewReader(buf.Bytes()), "c.ckpt", int64(buf.Len()))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		want := *tc.c
		want.Model = nil
		if !reflect.DeepEqual(got, &want) {
			t.Errorf("%s: read back %+v\nwant %+v", tc.name, got, &want)
		}
		good := buf.Bytes()
		for _, bad := range []struct {
			name string
			data []byte
			want string
		}{
			{"truncated", good[:len(good)-20], "truncated or corrupt"},
			{"trailing junk", append(bytes.Clone(good), 0), "truncated or corrupt"},
			{"not a checkpoint", []byte("hello world, this is text"), "not a w2v checkpoint"},
		} {
			_, err := ReadHeader(bytes.NewReader(bad.data), "c.ckpt", int64(len(bad.data)))
			if err == nil || !strings.Contains(err.Error(), bad.want) || !strings.Contains(err.Error(), "c.ckpt") {
				t.Errorf("%s, %s: err = %v, want %q naming the file", tc.name, bad.name, err, bad.want)
			}
		}
	}
}

// TestReadWithGrowTo checks that GrowTo leaves the values as Read reads
// them and gives each matrix room for the grown words' rows only: the
// input and output matrices a row per added word, and the inner nodes',
// which number one fewer than the words, as many.
func TestReadWithGrowTo(t *testing.T) {
	noHS := sample()
	noHS.Config.HS, noHS.Model.OutHS = false, nil
	for _, tc := range []struct {
		name                       string
		c                          *Checkpoint
		growTo                     int
		wantIn, wantOut, wantInner int // capacities in rows
	}{
		{"no growth asked", sample(), 0, 4, 4, 3},
		{"fewer words than the file's", sample(), 2, 4, 4, 3},
		{"words", sample(), 7, 7, 7, 6},
		{"words, no inner nodes", noHS, 7, 7, 7, 0},
		{"subwords", subwordSample(t), 0, 4 + 5, 4, 3},
		{"subwords grown", subwordSample(t), 10, 10 + 5, 10, 9},
	} {
		var buf bytes.Buffer
		if err := Write(&buf, tc.c); err != nil {
			t.Fatal(err)
		}
		got, err := ReadWith(bytes.NewReader(buf.Bytes()), "c.ckpt", int64(buf.Len()), ReadOptions{GrowTo: tc.growTo})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !reflect.DeepEqual(got, tc.c) {
			t.Errorf("%s: read back %+v\nwant %+v", tc.name, got, tc.c)
		}
		m := got.Model
		if cap(m.In) != tc.wantIn*3 || cap(m.Out) != tc.wantOut*3 || cap(m.OutHS) != tc.wantInner*3 {
			t.Errorf("%s: capacities %d, %d and %d values, want %d, %d and %d rows × 3",
				tc.name, cap(m.In), cap(m.Out), cap(m.OutHS), tc.wantIn, tc.wantOut, tc.wantInner)
		}
	}
}
