package job

import (
	"reflect"
	"testing"

	"github.com/w2vtool/w2v/internal/vocab"
)

func TestGrowWords(t *testing.T) {
	// The model knows a (10), b (4), c (2); the new text has b 7, d 6, e 3, c 1.
	words, counts := []string{"a", "b", "c"}, []int64{10, 4, 2}
	fresh := vocab.New([]string{"b", "d", "e", "c"}, []int64{7, 6, 3, 1})
	for _, tc := range []struct {
		name       string
		minCount   int64
		maxWords   int
		words      []string
		counts     []int64
		from       []int32
		epochWords int64
		added      int
	}{
		// b's summed count passes a's; c stays though the new text has it
		// once; e (3) is below --min-count 5 in the new text.
		{"min-count 5", 5, 0, []string{"b", "a", "d", "c"}, []int64{11, 10, 6, 3}, []int32{1, 0, -1, 2}, 7 + 6 + 1, 1},
		{"min-count 3", 3, 0, []string{"b", "a", "d", "c", "e"}, []int64{11, 10, 6, 3, 3}, []int32{1, 0, -1, 2, -1}, 7 + 6 + 3 + 1, 2},
		// The cap keeps the model's words and the most frequent new ones.
		{"max-vocab 4", 1, 4, []string{"b", "a", "d", "c"}, []int64{11, 10, 6, 3}, []int32{1, 0, -1, 2}, 7 + 6 + 1, 1},
		{"max-vocab below the model", 1, 2, []string{"b", "a", "c"}, []int64{11, 10, 3}, []int32{1, 0, 2}, 7 + 1, 0},
	} {
		w, c, from, ew, added := growWords(words, counts, fresh, tc.minCount, tc.maxWords)
		if !reflect.DeepEqual(w, tc.words) || !reflect.DeepEqual(c, tc.counts) || !reflect.DeepEqual(from, tc.from) || ew != tc.epochWords || added != tc.added {
			t.Errorf("%s: got %v %v %v %d %d, want %v %v %v %d %d", tc.name, w, c, from, ew, added,
				tc.words, tc.counts, tc.from, tc.epochWords, tc.added)
		}
	}
}
