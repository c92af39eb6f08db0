package query

import (
	"context"
	"fmt"

	"github.com/w2vtool/w2v/internal/search"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// Norms returns the lengths v's rows had in their file.
func Norms(v *vecfile.Vectors) []float32 {
	norms := make([]float32, v.Len())
	for i := range norms {
		norms[i] = v.Norm(i)
	}
	return norms
}

// BuildIndex links v's rows (read normalised) into a graph for approximate
// search, calibrates its default search breadth (search.CalibrateEf, on
// search.CalibrationSample rows drawn with opts.Seed, opts.Threads
// threads), and returns it in the form the native file stores, with what
// the calibration measured.
func BuildIndex(ctx context.Context, v *vecfile.Vectors, opts search.GraphOptions) (*vecfile.Graph, search.Calibration, error) {
	if !v.Normalized() {
		return nil, search.Calibration{}, fmt.Errorf("query: the index is built over normalised rows")
	}
	norms := Norms(v)
	g, err := search.BuildGraph(ctx, v.Matrix(), v.Dim(), norms, opts)
	if err != nil {
		return nil, search.Calibration{}, err
	}
	s := search.New(v.Matrix(), v.Dim(), 0)
	s.Metric, s.Norms, s.Threads = g.Metric, norms, opts.Threads
	c, err := search.CalibrateEf(ctx, s, g, search.CalibrationSample, opts.Seed)
	if err != nil {
		return nil, search.Calibration{}, fmt.Errorf("query: calibrating the index: %w", err)
	}
	return &vecfile.Graph{
		Metric: uint32(g.Metric), M: g.M, MaxNorm: g.MaxNorm, Entry: g.Entry,
		Levels: g.Levels, Links0: g.Links0, Upper: g.Upper, Ef: c.Ef,
	}, c, nil
}

// OpenIndex returns the graph stored with v for searching, or nil when v
// has none.
func OpenIndex(v *vecfile.Vectors) (*search.Graph, error) {
	fg := v.Graph()
	if fg == nil {
		return nil, nil
	}
	l := search.GraphLinks{
		Metric: search.Metric(fg.Metric), M: fg.M, MaxNorm: fg.MaxNorm, Entry: fg.Entry,
		Levels: fg.Levels, Links0: fg.Links0, Upper: fg.Upper, Ef: fg.Ef,
	}
	return search.OpenGraph(l, v.Matrix(), v.Dim(), Norms(v))
}
