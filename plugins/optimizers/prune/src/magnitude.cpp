#include "checks.hpp"
#include "pruning.hpp"

#include <algorithm>
#include <cmath>

namespace winglet::prune {

PruneResult prune_magnitude(const float* w, size_t n, double sparsity) {
    const char* fn = "prune_magnitude";
    require_fraction(fn, "sparsity", sparsity);
    require_finite(fn, w, static_cast<int64_t>(n));
    PruneResult r;
    r.values.assign(w, w + n);
    const uint64_t k = share_of(sparsity, n);
    if (k == 0) return r;

    // The k-th smallest magnitude t splits the tensor: everything below t is pruned, and of
    // the weights equal to t, the lowest indices fill the remaining count. O(n) on average,
    // and the pruned set is exactly the first k of the order (|w|, index).
    std::vector<float> magnitudes(n);
    for (size_t i = 0; i < n; ++i) magnitudes[i] = std::fabs(w[i]);
    std::nth_element(magnitudes.begin(), magnitudes.begin() + static_cast<std::ptrdiff_t>(k - 1), magnitudes.end());
    const float threshold = magnitudes[k - 1];
    uint64_t below = 0;
    for (size_t i = 0; i < n; ++i) below += std::fabs(w[i]) < threshold;
    uint64_t ties_left = k - below;
    for (size_t i = 0; i < n; ++i) {
        const float m = std::fabs(w[i]);
        if (m < threshold) {
            r.values[i] = 0.0f;
        } else if (m == threshold && ties_left > 0) {
            r.values[i] = 0.0f;
            --ties_left;
        }
    }
    r.zeros = k;
    return r;
}

}  // namespace winglet::prune
