#pragma once
// Optimal (or, for large inputs, near-optimal) 1-D k-means: the look-up tables of weight
// palettization. See kmeans1d.cpp for the algorithms and their guarantees.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace winglet::palettize {

struct KMeans1DResult {
    std::vector<float> centroids;   // strictly ascending, size <= k (fewer only when there are fewer distinct values,
                                    // or on the histogram path when fewer than k bins are occupied)
    double sse = 0;                 // sum of squared errors of the data against its nearest centroid
    bool exact = false;             // true: exact DP on the distinct values (optimal up to rounding the centroids
                                    // to float); false: histogram DP + Lloyd
    double dp_sse = 0;              // SSE of the DP's centroids before Lloyd (== sse when exact)
    int lloyd_passes = 0;           // Lloyd steps behind the returned centroids
};

struct KMeans1DOptions {
    size_t exact_limit = 4096;      // up to this many DISTINCT values: exact DP on the sorted values
    size_t histogram_bins = 1 << 14;// (1e7 weights: same MSE as 1 << 16, DP 4x cheaper) above it: weighted DP on a fine histogram, then Lloyd refinement on the real data
                                    // (at most max(n / 16, 64 k) bins are used: finer only slows the DP)
    int refine_iterations = 3;      // Lloyd passes on the full data after the DP (each never increases SSE; exact
                                    // statistics from the histogram plus the values of the bins a threshold cuts)
};

// Clusters n finite values into at most k >= 1 centroids. Deterministic: the same bits for any
// run and any TBB thread count. Throws std::invalid_argument for n == 0, k < 1, NaN or Inf.
KMeans1DResult kmeans_1d(const float* data, size_t n, int k, const KMeans1DOptions& = {});

// kmeans_1d plus every value's nearest-centroid index (k <= 256, so indices fit a byte), from
// one more parallel pass over the data.
KMeans1DResult kmeans_1d_assign(const float* data, size_t n, int k, uint8_t* indices,
                                const KMeans1DOptions& = {});

// Index of the nearest centroid (ties -> lower index) for every value; centroids ascending,
// 1..256 of them.
void assign_nearest(const float* data, size_t n, const std::vector<float>& centroids, uint8_t* indices);

// The exact DP itself, on m weighted points sorted ascending (weights > 0): the partition into
// min(k, m) contiguous clusters with the least weighted SSE about the cluster means.
struct WeightedClustering {
    std::vector<size_t> starts;     // first point of each cluster; starts[0] == 0
    std::vector<double> means;      // weighted mean of each cluster
    double sse = 0;                 // weighted SSE of the points about their cluster's mean
};
WeightedClustering optimal_partition(const double* points, const double* weights, size_t m, int k);

}  // namespace winglet::palettize
