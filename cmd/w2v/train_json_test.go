package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrainJSONSummary checks --json's summary: one object on standard
// output with the words trained and a falling loss per epoch, which the
// summary on standard error prints too.
func TestTrainJSONSummary(t *testing.T) {
	corpus := smallCorpus(t, 100_000)
	out := filepath.Join(t.TempDir(), "v.txt")
	code, stdout, stderr := w2v(t, "", "train", corpus, "-o", out, "--dim", "16", "--epochs", "3", "--threads", "1", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var s struct {
		Output   string  `json:"output"`
		Words    int64   `json:"words"`
		Speed    float64 `json:"words_per_second"`
		LossUnit string  `json:"loss_unit"`
		Epochs   []struct {
			Epoch int     `json:"epoch"`
			Loss  float64 `json:"loss"`
			Sum   float64 `json:"loss_sum"`
			Count int64   `json:"count"`
		} `json:"epochs"`
	}
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatalf("%v in %q", err, stdout)
	}
	if s.Output != out || s.Words < 200_000 || s.Speed <= 0 || s.LossUnit != "pair" || len(s.Epochs) != 3 {
		t.Fatalf("summary %+v", s)
	}
	for i, e := range s.Epochs {
		if e.Epoch != i+1 || e.Count <= 0 || e.Loss != e.Sum/float64(e.Count) || e.Loss <= 0 {
			t.Errorf("epoch %+v", e)
		}
	}
	if s.Epochs[2].Loss >= s.Epochs[0].Loss {
		t.Errorf("loss did not fall: %+v", s.Epochs)
	}
	if !strings.Contains(stderr, "loss per pair by epoch: ") {
		t.Errorf("summary lacks the loss per epoch:\n%s", stderr)
	}
}
