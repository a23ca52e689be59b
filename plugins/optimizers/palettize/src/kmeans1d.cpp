// 1-D k-means for palettization.
//
// Exact path (<= exact_limit distinct values): the distinct values, weighted by multiplicity,
// go through the exact DP of partition_dp.hpp (monotone optimal split, divide and conquer,
// O(k m log m); see the citation there).
//
// Histogram path (more distinct values): one O(n) pass builds a fine histogram over [min, max]
// with exact per-bin sums (histogram.hpp); the same DP runs on the non-empty bins, each one point
// at its values' mean weighted by its count (a bin's own scatter is a constant that no bin
// partition changes). Then Lloyd steps on the real data: the nearest-centroid statistics come
// exactly from the bins no threshold cuts plus, value by value, the few bins a threshold cuts
// (collected once in a pass over the data), so a step costs O(bins), not O(n). The SSE of each
// centroid set is measured that way and the best set is kept, so the result's SSE is never
// above the DP centroids' (each Lloyd step cannot raise it anyway, see lloyd_update).
//
// Determinism: the parallel passes cut the data into fixed-size chunks, whatever the number of
// threads, and merge per-chunk results in chunk order; the DP's parallel rows are independent.

#include "kmeans1d.hpp"

#include "histogram.hpp"
#include "nearest.hpp"
#include "partition_dp.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

namespace winglet::palettize {
namespace {

using detail::ClusterSums;
using detail::ValueRange;

// Lloyd steps move thresholds little after the DP; collecting the bins this close to each
// threshold usually spares a second collection pass.
constexpr size_t kCutBinReach = 2;

// ---------------------------------------------------------------- input checks

[[noreturn]] void throw_non_finite(const std::string& who, const float* data, size_t n) {
    size_t i = 0;
    while (i < n && std::isfinite(data[i])) ++i;
    const char* what = std::isnan(data[i]) ? "NaN" : (data[i] > 0 ? "+Inf" : "-Inf");
    throw std::invalid_argument(who + ": value " + std::to_string(i) + " is " + what +
                                "; only finite weights can be clustered (non-finite weight)");
}

// Min and max (exact in any order), and a check that every value is finite.
ValueRange finite_range(const std::string& who, const float* data, size_t n) {
    struct Acc {
        float lo, hi;
        bool finite;
    };
    const Acc init{std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(), true};
    const Acc acc = tbb::parallel_reduce(
        tbb::blocked_range<size_t>(0, n, size_t{1} << 16), init,
        [data](const tbb::blocked_range<size_t>& r, Acc a) {
            for (size_t i = r.begin(); i != r.end(); ++i) {
                const float x = data[i];
                a.finite = a.finite & (std::fabs(x) <= FLT_MAX);  // false for NaN as well
                a.lo = std::min(a.lo, x);
                a.hi = std::max(a.hi, x);
            }
            return a;
        },
        [](const Acc& a, const Acc& b) {
            return Acc{std::min(a.lo, b.lo), std::max(a.hi, b.hi), a.finite && b.finite};
        });
    if (!acc.finite) throw_non_finite(who, data, n);
    return {acc.lo, acc.hi};
}

// ---------------------------------------------------------------- distinct values

struct WeightedPoints {
    std::vector<double> points;   // ascending
    std::vector<double> weights;  // > 0
};

float canonical(float x) { return x + 0.0f; }  // -0 becomes +0: one value, one key

WeightedPoints distinct_by_sorting(const float* data, size_t n) {
    std::vector<float> sorted(n);
    std::transform(data, data + n, sorted.begin(), canonical);
    std::sort(sorted.begin(), sorted.end());
    WeightedPoints out;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && sorted[j] == sorted[i]) ++j;
        out.points.push_back(sorted[i]);
        out.weights.push_back(static_cast<double>(j - i));
        i = j;
    }
    return out;
}

// Counts distinct values in an open-addressing table and gives up past `limit` of them, which
// for continuous weights happens within the first few thousand values.
std::optional<WeightedPoints> distinct_by_hashing(const float* data, size_t n, size_t limit) {
    int log2_capacity = 4;
    while ((size_t{1} << log2_capacity) < 2 * (limit + 1)) ++log2_capacity;
    const size_t mask = (size_t{1} << log2_capacity) - 1;
    std::vector<uint32_t> keys(mask + 1);
    std::vector<uint64_t> counts(mask + 1, 0);
    size_t distinct = 0;
    for (size_t i = 0; i < n; ++i) {
        const float x = canonical(data[i]);
        uint32_t key;
        std::memcpy(&key, &x, sizeof key);
        size_t slot = static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> (64 - log2_capacity));
        while (counts[slot] != 0 && keys[slot] != key) slot = (slot + 1) & mask;
        if (counts[slot] == 0) {
            if (++distinct > limit) return std::nullopt;
            keys[slot] = key;
        }
        ++counts[slot];
    }
    std::vector<std::pair<float, uint64_t>> pairs;
    pairs.reserve(distinct);
    for (size_t slot = 0; slot <= mask; ++slot) {
        if (counts[slot] == 0) continue;
        float x;
        std::memcpy(&x, &keys[slot], sizeof x);
        pairs.emplace_back(x, counts[slot]);
    }
    std::sort(pairs.begin(), pairs.end());
    WeightedPoints out;
    for (const auto& [x, count] : pairs) {
        out.points.push_back(x);
        out.weights.push_back(static_cast<double>(count));
    }
    return out;
}

// The distinct values with their counts, or nothing if there are more than `limit`.
std::optional<WeightedPoints> distinct_values(const float* data, size_t n, size_t limit) {
    if (n <= limit) return distinct_by_sorting(data, n);
    return distinct_by_hashing(data, n, limit);
}

void check_weighted_points(const double* x, const double* w, size_t m, int k) {
    if (m == 0) throw std::invalid_argument("optimal_partition: no points (empty input)");
    if (k < 1) throw std::invalid_argument("optimal_partition: k must be >= 1, got " + std::to_string(k));
    for (size_t i = 0; i < m; ++i) {
        if (!std::isfinite(x[i]))
            throw std::invalid_argument("optimal_partition: point " + std::to_string(i) + " is not finite");
        if (!(w[i] > 0) || !std::isfinite(w[i]))
            throw std::invalid_argument("optimal_partition: weight " + std::to_string(i) + " must be finite and > 0");
        if (i > 0 && x[i] < x[i - 1]) throw std::invalid_argument("optimal_partition: points must be sorted ascending");
    }
}

}  // namespace

WeightedClustering optimal_partition(const double* x, const double* w, size_t m, int k) {
    check_weighted_points(x, w, m, k);
    const size_t clusters = std::min(static_cast<size_t>(k), m);
    WeightedClustering out;
    if (clusters == m) {
        for (size_t i = 0; i < m; ++i) out.starts.push_back(i);
    } else if (clusters == 1) {
        out.starts = {0};
    } else {
        out.starts = detail::optimal_starts(x, w, m, clusters);
    }
    // Means and SSE straight from the points (two passes), not from the DP's prefix sums.
    long double total = 0;
    for (size_t c = 0; c < clusters; ++c) {
        const size_t begin = out.starts[c], end = c + 1 < clusters ? out.starts[c + 1] : m;
        long double sw = 0, swx = 0;
        for (size_t i = begin; i < end; ++i) {
            sw += w[i];
            swx += static_cast<long double>(w[i]) * x[i];
        }
        const long double mean = swx / sw;
        for (size_t i = begin; i < end; ++i) total += w[i] * (x[i] - mean) * (x[i] - mean);
        out.means.push_back(static_cast<double>(mean));
    }
    out.sse = static_cast<double>(total);
    return out;
}

namespace {

void sort_unique(std::vector<float>& centroids) {
    std::sort(centroids.begin(), centroids.end());
    centroids.erase(std::unique(centroids.begin(), centroids.end()), centroids.end());
}

// Float centroids from a clustering's means, each clamped into [lo of its cluster, hi of its
// cluster] (rounding can leave a mean a hair outside; inside, float rounding keeps disjoint
// clusters' centroids strictly ascending).
std::vector<float> float_centroids(const WeightedClustering& clustering, const WeightedPoints& points) {
    std::vector<float> centroids;
    for (size_t c = 0; c < clustering.starts.size(); ++c) {
        const size_t end = c + 1 < clustering.starts.size() ? clustering.starts[c + 1] : points.points.size();
        const double lo = points.points[clustering.starts[c]], hi = points.points[end - 1];
        centroids.push_back(static_cast<float>(std::clamp(clustering.means[c], lo, hi)));
    }
    sort_unique(centroids);
    return centroids;
}

// Each centroid moves to its cluster's mean. Rounded to float, the new centroid is the float
// nearest the mean, never farther from it than the old float centroid, so for the old
// assignment the SSE cannot grow, and reassigning to the nearest cannot raise it either. An
// empty cluster keeps its centroid.
std::vector<float> lloyd_update(const std::vector<float>& centroids, const std::vector<ClusterSums>& sums) {
    std::vector<float> next = centroids;
    for (size_t j = 0; j < next.size(); ++j) {
        if (sums[j].count > 0) next[j] = static_cast<float>(centroids[j] + sums[j].sum / sums[j].count);
    }
    sort_unique(next);
    return next;
}

// ---------------------------------------------------------------- the two paths

KMeans1DResult exact_kmeans(const WeightedPoints& distinct, int k, const float* data, size_t n, uint8_t* indices) {
    const size_t m = distinct.points.size();
    KMeans1DResult result;
    result.exact = true;
    result.centroids = float_centroids(optimal_partition(distinct.points.data(), distinct.weights.data(), m, k), distinct);
    const detail::NearestCentroid nearest(result.centroids);
    long double sse = 0;
    for (size_t i = 0; i < m; ++i) {
        const double d = distinct.points[i] - result.centroids[nearest(static_cast<float>(distinct.points[i]))];
        sse += distinct.weights[i] * d * d;
    }
    result.sse = result.dp_sse = static_cast<double>(sse);
    if (indices) detail::assign_by_search(data, n, result.centroids, indices);
    return result;
}

// The histogram's non-empty bins as weighted points at their values' means.
WeightedPoints bin_points(const detail::Histogram& h, ValueRange range) {
    WeightedPoints out;
    for (size_t bin = 0; bin < h.bins(); ++bin) {
        const double n = h.count(bin);
        if (n == 0) continue;
        const double mean = std::clamp(h.edge(bin) + h.sum(bin) / n, double{range.lo}, double{range.hi});
        // Rounding may put two adjacent bins' means an ulp out of order; the DP needs them sorted.
        out.points.push_back(out.points.empty() ? mean : std::max(mean, out.points.back()));
        out.weights.push_back(n);
    }
    return out;
}

KMeans1DResult histogram_kmeans(const float* data, size_t n, int k, ValueRange range, const KMeans1DOptions& options,
                                uint8_t* indices) {
    KMeans1DResult result;
    if (range.lo == range.hi) {  // one distinct value (reachable only with exact_limit == 0)
        result.centroids = {range.lo};
        if (indices) std::fill(indices, indices + n, uint8_t{0});
        return result;
    }
    // Bins beyond n / 16 would mostly hold single values and only slow the DP; 64 per cluster
    // keep it fine enough for the Lloyd steps to finish the job.
    const size_t bins = std::min(options.histogram_bins, std::max(n / 16, size_t{64} * static_cast<size_t>(k)));
    const detail::Histogram hist(data, n, range, bins);
    const WeightedPoints points = bin_points(hist, range);
    std::vector<float> current =
        float_centroids(optimal_partition(points.points.data(), points.weights.data(), points.points.size(), k), points);

    detail::CutBinValues cut;
    std::vector<float> best;
    double best_sse = std::numeric_limits<double>::infinity();
    for (int applied = 0;; ++applied) {
        if (!cut.covers(hist, current)) cut.collect(hist, current, kCutBinReach);
        const std::vector<ClusterSums> sums = detail::cluster_sums(hist, cut, current);
        const double sse = detail::total_sse(sums);
        if (applied == 0) result.dp_sse = sse;
        if (sse < best_sse) {  // strict: a tie keeps the earlier centroids
            best_sse = sse;
            best = current;
            result.lloyd_passes = applied;
        }
        if (applied == options.refine_iterations) break;
        std::vector<float> next = lloyd_update(current, sums);
        if (next == current) break;  // converged: the next step would repeat this one
        current = std::move(next);
    }
    if (indices) detail::assign_by_bins(hist, best, indices);
    result.centroids = std::move(best);
    result.sse = best_sse;
    return result;
}

KMeans1DResult kmeans(const float* data, size_t n, int k, uint8_t* indices, const KMeans1DOptions& options,
                      const std::string& who) {
    if (n == 0) throw std::invalid_argument(who + ": empty input (n == 0)");
    if (!data) throw std::invalid_argument(who + ": data is null");
    if (k < 1) throw std::invalid_argument(who + ": k must be >= 1, got " + std::to_string(k));
    if (indices && k > 256)
        throw std::invalid_argument(who + ": k must be <= 256 for uint8 indices, got " + std::to_string(k));
    if (options.histogram_bins < 1 || options.histogram_bins > (size_t{1} << 30))
        throw std::invalid_argument(who + ": histogram_bins must be in 1..2^30");
    if (options.refine_iterations < 0) throw std::invalid_argument(who + ": refine_iterations must be >= 0");
    const ValueRange range = finite_range(who, data, n);
    if (const std::optional<WeightedPoints> distinct = distinct_values(data, n, options.exact_limit))
        return exact_kmeans(*distinct, k, data, n, indices);
    return histogram_kmeans(data, n, k, range, options, indices);
}

}  // namespace

KMeans1DResult kmeans_1d(const float* data, size_t n, int k, const KMeans1DOptions& options) {
    return kmeans(data, n, k, nullptr, options, "kmeans_1d");
}

KMeans1DResult kmeans_1d_assign(const float* data, size_t n, int k, uint8_t* indices, const KMeans1DOptions& options) {
    if (!indices && n > 0) throw std::invalid_argument("kmeans_1d_assign: indices is null");
    return kmeans(data, n, k, indices, options, "kmeans_1d_assign");
}

void assign_nearest(const float* data, size_t n, const std::vector<float>& centroids, uint8_t* indices) {
    if (centroids.empty() || centroids.size() > 256)
        throw std::invalid_argument("assign_nearest: need 1..256 centroids, got " + std::to_string(centroids.size()));
    for (size_t j = 0; j < centroids.size(); ++j) {
        if (!std::isfinite(centroids[j]))
            throw std::invalid_argument("assign_nearest: centroid " + std::to_string(j) + " is not finite");
        if (j > 0 && centroids[j] < centroids[j - 1])
            throw std::invalid_argument("assign_nearest: centroids must be ascending");
    }
    if (n == 0) return;
    if (!data || !indices) throw std::invalid_argument("assign_nearest: data or indices is null");
    finite_range("assign_nearest", data, n);
    // Equal centroids: search the distinct ones, then map to the first (lowest) equal index.
    std::vector<float> unique;
    std::vector<uint8_t> first_index;
    for (size_t j = 0; j < centroids.size(); ++j) {
        if (j == 0 || centroids[j] != centroids[j - 1]) {
            unique.push_back(centroids[j]);
            first_index.push_back(static_cast<uint8_t>(j));
        }
    }
    detail::assign_by_search(data, n, unique, indices);
    if (unique.size() != centroids.size()) {
        tbb::parallel_for(tbb::blocked_range<size_t>(0, n, detail::kPassChunk), [&](const tbb::blocked_range<size_t>& r) {
            for (size_t i = r.begin(); i != r.end(); ++i) indices[i] = first_index[indices[i]];
        });
    }
}

}  // namespace winglet::palettize
