#pragma once
// Nearest-centroid assignment for strictly ascending float centroids, ties to the lower index.
// Internal to kmeans1d.cpp.

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace winglet::palettize::detail {

// Values per chunk of a parallel pass. Fixed, so per-chunk partial sums merged in chunk order
// give the same bits for any thread count.
constexpr size_t kPassChunk = size_t{1} << 15;

// x (a float) belongs above centroid j exactly when x > (c[j] + c[j+1]) / 2. That midpoint of
// two floats is exact in double; the largest float not above it is an equivalent float
// threshold: x > t  <=>  x > midpoint, for every float x.
inline std::vector<float> float_thresholds(const std::vector<float>& centroids) {
    std::vector<float> t;
    for (size_t j = 0; j + 1 < centroids.size(); ++j) {
        const double mid = (static_cast<double>(centroids[j]) + centroids[j + 1]) / 2;
        float f = static_cast<float>(mid);
        if (f > mid) f = std::nextafter(f, -std::numeric_limits<float>::infinity());
        t.push_back(f);
    }
    return t;
}

// Branchless binary search over the thresholds, padded with +inf to 2^p - 1 entries.
class NearestCentroid {
public:
    explicit NearestCentroid(const std::vector<float>& centroids) {
        size_t padded = 1;
        while (padded < centroids.size()) padded <<= 1;
        half_ = padded / 2;
        thresholds_ = float_thresholds(centroids);
        thresholds_.resize(padded - 1, std::numeric_limits<float>::infinity());
    }
    size_t operator()(float x) const {
        size_t idx = 0;
        for (size_t half = half_; half > 0; half >>= 1) idx += thresholds_[idx + half - 1] < x ? half : 0;
        return idx;
    }

private:
    std::vector<float> thresholds_;
    size_t half_ = 0;
};

// Every value's nearest-centroid index, in parallel.
inline void assign_by_search(const float* data, size_t n, const std::vector<float>& centroids, uint8_t* indices) {
    const NearestCentroid nearest(centroids);
    tbb::parallel_for(tbb::blocked_range<size_t>(0, n, kPassChunk), [&](const tbb::blocked_range<size_t>& r) {
        for (size_t i = r.begin(); i != r.end(); ++i) indices[i] = static_cast<uint8_t>(nearest(data[i]));
    });
}

struct ClusterSums {  // over a cluster's values, of d = x - centroid
    double count = 0;
    double sum = 0;
    double sum_sq = 0;
    void add(double d) {
        count += 1;
        sum += d;
        sum_sq += d * d;
    }
};

inline double total_sse(const std::vector<ClusterSums>& sums) {
    double sse = 0;
    for (const ClusterSums& s : sums) sse += s.sum_sq;
    return sse;
}

}  // namespace winglet::palettize::detail
