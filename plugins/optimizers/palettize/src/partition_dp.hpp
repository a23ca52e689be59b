#pragma once
// The exact DP behind optimal_partition (internal to kmeans1d.cpp).
//
// D[c][j], the least SSE of points [0, j) in c clusters, is min over i of D[c-1][i] + cost(i, j),
// cost(i, j) being the weighted SSE of points [i, j) about their mean, O(1) from prefix sums.
// cost obeys the quadrangle (Monge) inequality, so the best split i never decreases as j grows
// (the monotone optimal split property); each layer is then a monotone row-minima problem,
// solved here by divide and conquer in O(m log m): O(k m log m) in all. Grønlund, Larsen,
// Mathiasen, Nielsen, Schneider, Song, "Fast Exact k-Means, k-Medians and Bregman Divergence
// Clustering in 1D" (2017) show the property and solve the same layers with SMAWK in O(m).
// Divide and conquer is used because it measured faster here: m = 65536, k = 16 took 87 ms with
// a plain SMAWK (about 12 evaluations per row, each waiting on the one before), 62 ms with
// divide and conquer on one thread and 34 ms on two (its halves are independent).

#include <tbb/parallel_invoke.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace winglet::palettize::detail {

// A running sum carried as an unevaluated pair hi + lo (TwoSum, an error-free transformation),
// so a segment's sum, taken as the difference of two long prefixes, keeps nearly full precision
// instead of losing the digits the two prefixes share.
struct CompensatedSum {
    double hi = 0;
    double lo = 0;
    void add(double v) {
        const double s = hi + v;
        const double b = s - hi;
        lo += (hi - (s - b)) + (v - b);
        hi = s;
    }
};

inline double segment(const CompensatedSum& end, const CompensatedSum& begin) {
    return (end.hi - begin.hi) + (end.lo - begin.lo);
}

// Prefix sums of w, w*q and w*q^2 at one point index.
struct Prefix {
    CompensatedSum w, wq, wqq;
};

// Weighted SSE about their mean of the points between two prefixes (begin before end).
inline double segment_cost(const Prefix& begin, const Prefix& end) {
    const double s = segment(end.wq, begin.wq);
    return segment(end.wqq, begin.wqq) - s * s / segment(end.w, begin.w);
}

// The prefixes of all m points, with q = x - (weighted mean of all points): centering first
// keeps the sums of squares small, so they do not swamp a segment's scatter.
inline std::vector<Prefix> centered_prefixes(const double* x, const double* w, size_t m) {
    long double sw = 0, swx = 0;
    for (size_t i = 0; i < m; ++i) {
        sw += w[i];
        swx += static_cast<long double>(w[i]) * x[i];
    }
    const double mean = static_cast<double>(swx / sw);
    std::vector<Prefix> prefix(m + 1);
    for (size_t i = 0; i < m; ++i) {
        const double q = x[i] - mean;
        Prefix p = prefix[i];
        p.w.add(w[i]);
        p.wq.add(w[i] * q);
        p.wqq.add(w[i] * q * q);
        prefix[i + 1] = p;
    }
    return prefix;
}

// One layer: cur[j] = min over i in [col_lo, j) of prev[i] + cost(i, j), and its leftmost argmin.
class LayerMinima {
public:
    LayerMinima(const Prefix* prefix, const double* prev, double* cur, uint32_t* argmin)
        : prefix_(prefix), prev_(prev), cur_(cur), argmin_(argmin) {}

    // Rows [row_lo, row_hi), candidate columns [col_lo, col_hi] (each row also stops at j - 1).
    // Needs col_lo < row_lo.
    void solve(size_t row_lo, size_t row_hi, size_t col_lo, size_t col_hi) const {
        if (row_lo >= row_hi) return;
        const size_t row = row_lo + (row_hi - row_lo) / 2;
        const size_t last = std::min(col_hi, row - 1);
        const Prefix& end = prefix_[row];
        size_t best = col_lo;
        double best_value = prev_[col_lo] + segment_cost(prefix_[col_lo], end);
        for (size_t col = col_lo + 1; col <= last; ++col) {
            const double v = prev_[col] + segment_cost(prefix_[col], end);
            if (v < best_value) {
                best_value = v;
                best = col;
            }
        }
        cur_[row] = best_value;
        argmin_[row] = static_cast<uint32_t>(best);
        // Each row's answer depends only on its column range, so splitting across threads
        // gives the same bits as running sequentially.
        const auto above = [&] { solve(row_lo, row, col_lo, best); };
        const auto below = [&] { solve(row + 1, row_hi, best, col_hi); };
        if (row_hi - row_lo >= kParallelRows) {
            tbb::parallel_invoke(above, below);
        } else {
            above();
            below();
        }
    }

private:
    static constexpr size_t kParallelRows = 2048;
    const Prefix* prefix_;
    const double* prev_;
    double* cur_;
    uint32_t* argmin_;
};

// First point of each cluster of the optimal partition of m weighted points into 2..m-1
// clusters.
inline std::vector<size_t> optimal_starts(const double* x, const double* w, size_t m, size_t clusters) {
    const std::vector<Prefix> prefix = centered_prefixes(x, w, m);
    // Layer c needs rows j in [c, m - clusters + c] only: each later cluster needs a point.
    const size_t rows = m - clusters + 1;
    std::vector<uint32_t> argmin((clusters - 1) * (m + 1));  // layer c at (c - 2) * (m + 1)
    std::vector<double> prev(m + 1), cur(m + 1);
    for (size_t j = 1; j <= rows; ++j) prev[j] = segment_cost(prefix[0], prefix[j]);
    for (size_t c = 2; c <= clusters; ++c) {
        LayerMinima(prefix.data(), prev.data(), cur.data(), argmin.data() + (c - 2) * (m + 1))
            .solve(c, c + rows, c - 1, c + rows - 2);
        std::swap(prev, cur);
    }
    std::vector<size_t> starts(clusters, 0);
    size_t end = m;
    for (size_t c = clusters; c >= 2; --c) {
        end = argmin[(c - 2) * (m + 1) + end];
        starts[c - 1] = end;
    }
    return starts;
}

}  // namespace winglet::palettize::detail
