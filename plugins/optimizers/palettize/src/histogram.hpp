#pragma once
// The histogram path's data (internal to kmeans1d.cpp): a fine histogram with exact per-bin
// sums, the values of the few bins a Voronoi threshold cuts, and from the two, exact Lloyd
// statistics on the real data without another pass over it.

#include "nearest.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace winglet::palettize::detail {

// Values per private histogram; fixed so the merge order does not depend on the thread count.
constexpr size_t kHistogramChunk = size_t{1} << 20;

struct ValueRange {
    float lo = 0;
    float hi = 0;
};

// `bins` equal bins over [lo, hi] (lo < hi). Per bin: the count and the sums of d and d^2 with
// d = x - edge(bin). Values that share a bin are close, so these sums lose nothing to
// cancellation, and any centroid c's SSE over a bin follows without cancellation to speak of:
//   sum (x - c)^2 = S2 + 2 (edge - c) S1 + n (edge - c)^2.
class Histogram {
public:
    Histogram(const float* data, size_t n, ValueRange range, size_t bins)
        : data_(data), n_(n), bins_(bins), lo_(range.lo),
          scale_(static_cast<double>(bins) / (static_cast<double>(range.hi) - range.lo)),
          last_bin_(static_cast<double>(bins - 1)),
          width_((static_cast<double>(range.hi) - range.lo) / static_cast<double>(bins)),
          chunks_((n + kHistogramChunk - 1) / kHistogramChunk), chunk_counts_(chunks_ * bins, 0) {
        // One record per bin, so a value touches one cache line, not three.
        struct Partial {
            double sum = 0;
            double sum_sq = 0;
            uint64_t count = 0;
        };
        std::vector<Partial> partials(chunks_ * bins);
        tbb::parallel_for(size_t{0}, chunks_, [&](size_t chunk) {
            Partial* partial = partials.data() + chunk * bins;
            const size_t end = std::min(n_, (chunk + 1) * kHistogramChunk);
            // Bins of a block first, then the updates: the bin arithmetic of many values can
            // overlap instead of queueing behind read-modify-writes of the bins.
            constexpr size_t kBlock = 512;
            uint32_t block_bins[kBlock];
            for (size_t begin = chunk * kHistogramChunk; begin < end; begin += kBlock) {
                const size_t count = std::min(kBlock, end - begin);
                for (size_t i = 0; i < count; ++i) block_bins[i] = static_cast<uint32_t>(bin_of(data_[begin + i]));
                for (size_t i = 0; i < count; ++i) {
                    const uint32_t bin = block_bins[i];
                    const double d = static_cast<double>(data_[begin + i]) - edge(bin);
                    Partial& p = partial[bin];
                    p.sum += d;
                    p.sum_sq += d * d;
                    ++p.count;
                }
            }
        });
        count_.resize(bins);
        sum_.resize(bins);
        sum_sq_.resize(bins);
        tbb::parallel_for(tbb::blocked_range<size_t>(0, bins, 4096), [&](const tbb::blocked_range<size_t>& r) {
            for (size_t bin = r.begin(); bin != r.end(); ++bin) {
                double count = 0, sum = 0, sum_sq = 0;
                for (size_t chunk = 0; chunk < chunks_; ++chunk) {  // chunk order
                    const Partial& p = partials[chunk * bins + bin];
                    chunk_counts_[chunk * bins + bin] = static_cast<uint32_t>(p.count);
                    count += static_cast<double>(p.count);
                    sum += p.sum;
                    sum_sq += p.sum_sq;
                }
                count_[bin] = count;
                sum_[bin] = sum;
                sum_sq_[bin] = sum_sq;
            }
        });
    }

    // Monotone in x (a subtraction and a multiplication by a positive constant, both rounded
    // monotonically), so bin order is value order; the same function maps data and thresholds.
    size_t bin_of(float x) const {
        const double position = std::clamp((static_cast<double>(x) - lo_) * scale_, 0.0, last_bin_);
        return static_cast<size_t>(static_cast<int64_t>(position));  // signed: one instruction on x86-64
    }
    double edge(size_t bin) const { return lo_ + static_cast<double>(bin) * width_; }

    size_t bins() const { return bins_; }
    double count(size_t bin) const { return count_[bin]; }
    double sum(size_t bin) const { return sum_[bin]; }         // of x - edge(bin)
    double sum_sq(size_t bin) const { return sum_sq_[bin]; }   // of (x - edge(bin))^2
    size_t chunks() const { return chunks_; }
    uint32_t chunk_count(size_t chunk, size_t bin) const { return chunk_counts_[chunk * bins_ + bin]; }
    const float* data() const { return data_; }
    size_t size() const { return n_; }

private:
    const float* data_;
    size_t n_;
    size_t bins_;
    double lo_, scale_, last_bin_, width_;
    size_t chunks_;
    std::vector<uint32_t> chunk_counts_;  // chunk-major
    std::vector<double> count_, sum_, sum_sq_;
};

// Bins holding a threshold between consecutive centroids, ascending, possibly repeated.
inline std::vector<size_t> threshold_bins(const Histogram& h, const std::vector<float>& centroids) {
    std::vector<size_t> bins;
    for (const float t : float_thresholds(centroids)) bins.push_back(h.bin_of(t));
    return bins;
}

// The values of chosen bins, grouped by bin and in data order within a bin: the only values
// a Lloyd step has to look at one by one, because a threshold cuts their bin.
class CutBinValues {
public:
    bool has(size_t bin) const { return !slot_.empty() && slot_[bin] != kNone; }
    const float* begin(size_t bin) const { return values_.data() + offset_[slot_[bin]]; }
    const float* end(size_t bin) const { return values_.data() + offset_[slot_[bin] + 1]; }

    // True if every non-empty bin a threshold of `centroids` falls in is collected.
    bool covers(const Histogram& h, const std::vector<float>& centroids) const {
        for (const size_t bin : threshold_bins(h, centroids))
            if (h.count(bin) > 0 && !has(bin)) return false;
        return true;
    }

    // One pass over the data: collects the bins within `reach` bins of every threshold (so
    // the small moves of later Lloyd steps stay covered). Each chunk writes at offsets known
    // from the per-chunk counts, so the layout does not depend on scheduling.
    void collect(const Histogram& h, const std::vector<float>& centroids, size_t reach) {
        std::vector<size_t> wanted;
        for (const size_t bin : threshold_bins(h, centroids)) {
            for (size_t b = bin >= reach ? bin - reach : 0; b <= std::min(h.bins() - 1, bin + reach); ++b)
                if (h.count(b) > 0) wanted.push_back(b);
        }
        std::sort(wanted.begin(), wanted.end());
        wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());

        const size_t slots = wanted.size(), chunks = h.chunks();
        slot_.assign(h.bins(), kNone);
        offset_.assign(slots + 1, 0);
        for (size_t s = 0; s < slots; ++s) {
            slot_[wanted[s]] = static_cast<uint32_t>(s);
            offset_[s + 1] = offset_[s] + static_cast<size_t>(h.count(wanted[s]));
        }
        std::vector<size_t> cursor(chunks * slots);
        for (size_t s = 0; s < slots; ++s) {
            size_t at = offset_[s];
            for (size_t chunk = 0; chunk < chunks; ++chunk) {
                cursor[chunk * slots + s] = at;
                at += h.chunk_count(chunk, wanted[s]);
            }
        }
        values_.resize(offset_[slots]);
        tbb::parallel_for(size_t{0}, chunks, [&](size_t chunk) {
            size_t* next = cursor.data() + chunk * slots;
            const size_t end = std::min(h.size(), (chunk + 1) * kHistogramChunk);
            for (size_t i = chunk * kHistogramChunk; i < end; ++i) {
                const uint32_t s = slot_[h.bin_of(h.data()[i])];
                if (s != kNone) values_[next[s]++] = h.data()[i];
            }
        });
    }

private:
    static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
    std::vector<uint32_t> slot_;   // per bin
    std::vector<size_t> offset_;   // per slot, + 1
    std::vector<float> values_;
};

// Per-cluster sums of d = x - centroid over ALL the data, nearest-centroid assignment, for
// strictly ascending centroids: a bin no threshold cuts goes whole to one cluster (its sums,
// shifted from its edge to the centroid); a cut bin's values go one by one. Needs
// cut.covers(h, centroids).
inline std::vector<ClusterSums> cluster_sums(const Histogram& h, const CutBinValues& cut,
                                             const std::vector<float>& centroids) {
    const std::vector<size_t> cut_bins = threshold_bins(h, centroids);
    const NearestCentroid nearest(centroids);
    std::vector<ClusterSums> sums(centroids.size());
    size_t below = 0;  // thresholds in bins before the current one
    for (size_t bin = 0; bin < h.bins(); ++bin) {
        while (below < cut_bins.size() && cut_bins[below] < bin) ++below;
        const double n = h.count(bin);
        if (n == 0) continue;
        if (below < cut_bins.size() && cut_bins[below] == bin) {
            for (const float* x = cut.begin(bin); x != cut.end(bin); ++x) {
                const size_t j = nearest(*x);
                sums[j].add(static_cast<double>(*x) - centroids[j]);
            }
        } else {
            ClusterSums& s = sums[below];
            const double shift = h.edge(bin) - centroids[below];
            s.count += n;
            s.sum += h.sum(bin) + n * shift;
            s.sum_sq += h.sum_sq(bin) + 2 * shift * h.sum(bin) + n * shift * shift;
        }
    }
    return sums;
}

// Every value's nearest-centroid index through its bin: a bin no threshold cuts maps to one
// cluster, a bin one threshold cuts needs one comparison. Binary search when a bin holds two.
inline void assign_by_bins(const Histogram& h, const std::vector<float>& centroids, uint8_t* indices) {
    const std::vector<float> thresholds = float_thresholds(centroids);
    const std::vector<size_t> cut_bins = threshold_bins(h, centroids);
    if (std::adjacent_find(cut_bins.begin(), cut_bins.end()) != cut_bins.end()) {
        assign_by_search(h.data(), h.size(), centroids, indices);
        return;
    }
    std::vector<uint8_t> base(h.bins());
    std::vector<float> cut(h.bins(), std::numeric_limits<float>::infinity());
    size_t below = 0;
    for (size_t bin = 0; bin < h.bins(); ++bin) {
        while (below < cut_bins.size() && cut_bins[below] < bin) ++below;
        base[bin] = static_cast<uint8_t>(below);
        if (below < cut_bins.size() && cut_bins[below] == bin) cut[bin] = thresholds[below];
    }
    tbb::parallel_for(tbb::blocked_range<size_t>(0, h.size(), kPassChunk), [&](const tbb::blocked_range<size_t>& r) {
        for (size_t i = r.begin(); i != r.end(); ++i) {
            const float x = h.data()[i];
            const size_t bin = h.bin_of(x);
            indices[i] = static_cast<uint8_t>(base[bin] + (x > cut[bin] ? 1 : 0));
        }
    });
}

}  // namespace winglet::palettize::detail
