#include "checks.hpp"
#include "pruning.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace winglet::prune {

PruneResult prune_n_m(const float* w, const std::vector<int64_t>& dims, int n, int m, int axis) {
    const char* fn = "prune_n_m";
    if (m < 1) throw std::invalid_argument(std::string(fn) + ": m " + std::to_string(m) + " must be at least 1");
    if (n < 0) throw std::invalid_argument(std::string(fn) + ": n " + std::to_string(n) + " must not be negative");
    if (n > m) {
        throw std::invalid_argument(std::string(fn) + ": n " + std::to_string(n) + " is greater than m " +
                                    std::to_string(m) + " (keep N of every M)");
    }
    const int64_t count = element_count(fn, dims);
    const AxisView v = view_around(dims, normalized_axis(fn, axis, dims.size()));
    require_finite(fn, w, count);

    PruneResult r;
    r.values.assign(w, w + count);
    std::vector<int64_t> group;  // positions along the axis of one group, in prune order
    group.reserve(static_cast<size_t>(m));
    for (int64_t o = 0; o < v.outer; ++o) {
        for (int64_t i = 0; i < v.inner; ++i) {
            const int64_t base = o * v.extent * v.inner + i;
            auto magnitude = [&](int64_t a) { return std::fabs(w[base + a * v.inner]); };
            for (int64_t first = 0; first < v.extent; first += m) {
                const int64_t length = std::min<int64_t>(m, v.extent - first);
                const int64_t keep = std::min<int64_t>(n, length);
                group.clear();
                for (int64_t a = first; a < first + length; ++a) group.push_back(a);
                // Ascending (|w|, index): the first length - keep are pruned.
                std::sort(group.begin(), group.end(), [&](int64_t a, int64_t b) {
                    const float ma = magnitude(a), mb = magnitude(b);
                    return ma < mb || (ma == mb && a < b);
                });
                for (int64_t p = 0; p < length - keep; ++p) r.values[base + group[p] * v.inner] = 0.0f;
                r.zeros += static_cast<uint64_t>(length - keep);
            }
        }
    }
    return r;
}

}  // namespace winglet::prune
