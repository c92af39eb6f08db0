package explore

import "context"

// NormalizedSum is the centroid rule of KMeans, for the quality test.
var NormalizedSum = normalizedSum

// KMeansCentering is KMeans with center setting each centroid from the sum
// of its count rows: the quality test's broken variants.
func KMeansCentering(ctx context.Context, vecs []float32, dim int, o KMeansOptions, center func(c []float32, sum []float64, count int)) (*Clustering, error) {
	return kMeans(ctx, vecs, dim, o, func(km *kmeans) { km.center = center })
}
