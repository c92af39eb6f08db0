package search

import "fmt"

// Metric is how the closeness of two vectors is measured.
type Metric int

const (
	// Cosine ranks rows by the cosine of their angle with the query: the
	// dot product of unit-length rows.
	Cosine Metric = iota
	// Dot ranks rows by their inner product with the query, using each
	// row's length before normalisation.
	Dot
	// Euclidean ranks rows by their distance from the query, nearest first,
	// using each row's length before normalisation. Its scores are negated
	// distances, so that higher is better for every metric.
	Euclidean
)

func (m Metric) String() string {
	switch m {
	case Cosine:
		return "cosine"
	case Dot:
		return "dot"
	case Euclidean:
		return "euclidean"
	}
	return fmt.Sprintf("Metric(%d)", int(m))
}

// ParseMetric returns the metric named "cosine", "dot" or "euclidean".
func ParseMetric(name string) (Metric, error) {
	for _, m := range []Metric{Cosine, Dot, Euclidean} {
		if m.String() == name {
			return m, nil
		}
	}
	return 0, fmt.Errorf("unknown metric %q (want cosine, dot or euclidean)", name)
}

// scoreRows turns the cosines cos of rows base, base+1, … with a query
// vector q (not normalised; qq = ‖q‖²) into the metric's scores, given the
// rows' lengths norms. For Cosine q must have unit length and the cosines
// are the scores.
func (m Metric) scoreRows(cos []float32, base int, norms []float32, qq float32) {
	switch m {
	case Dot:
		for i, c := range cos {
			cos[i] = c * norms[base+i]
		}
	case Euclidean:
		for i, c := range cos {
			n := norms[base+i]
			// ‖q − x‖² = ‖q‖² + ‖x‖² − 2 q·x; the square root is taken only
			// for the hits kept, so ranking uses the negated square.
			cos[i] = 2*c*n - n*n - qq
		}
	}
}
