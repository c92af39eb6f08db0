package skipgram

import (
	"errors"
	"fmt"
)

// ErrDiverged is the error Train returns, wrapped, when training has blown
// up: a score or a vector value became NaN or infinite. A learning rate far
// too high for the data is the usual cause.
var ErrDiverged = errors.New("training diverged")

// divergence returns the error training stops with once it has diverged,
// about done words into the run.
func (t *Trainer) divergence(done int64) error {
	return fmt.Errorf("skipgram: %w after %d of %d words (scores became NaN or infinite): the learning rate %g is probably too high",
		ErrDiverged, done, t.planned, t.cfg.Alpha)
}

// checkFinite returns the divergence error if any value of the model is NaN
// or infinite. Workers stop as soon as a score is, but a value can overflow
// in the last steps without being scored again, and must not reach a
// vectors file.
func (t *Trainer) checkFinite() error {
	m := t.model
	for _, mat := range [][]float32{m.In, m.Out, m.OutHS} {
		for _, v := range mat {
			if v-v != 0 { // NaN and ±Inf only
				return t.divergence(t.done.Load())
			}
		}
	}
	return nil
}
