#include "checks.hpp"
#include "pruning.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace winglet::prune {

ChannelPruneResult prune_channels(const float* w, const std::vector<int64_t>& dims, double fraction, Norm norm,
                                  int axis) {
    const char* fn = "prune_channels";
    require_fraction(fn, "fraction", fraction);
    const int64_t count = element_count(fn, dims);
    const AxisView v = view_around(dims, normalized_axis(fn, axis, dims.size()));
    require_finite(fn, w, count);

    // Rank on sum |w| (L1) or sum w^2 (L2): the square root is monotone but can merge distinct
    // sums into one double, which would turn an order into a tie. Sums run in one fixed order.
    const int64_t channels = v.extent;
    std::vector<double> key(static_cast<size_t>(channels), 0.0);
    for (int64_t o = 0; o < v.outer; ++o) {
        for (int64_t c = 0; c < channels; ++c) {
            const float* run = w + (o * channels + c) * v.inner;
            double s = 0.0;
            for (int64_t i = 0; i < v.inner; ++i) {
                const double x = run[i];
                s += norm == Norm::L1 ? std::fabs(x) : x * x;
            }
            key[c] += s;
        }
    }

    ChannelPruneResult r;
    r.norms.resize(key.size());
    for (size_t c = 0; c < key.size(); ++c) r.norms[c] = norm == Norm::L1 ? key[c] : std::sqrt(key[c]);

    const uint64_t wanted = share_of(fraction, static_cast<uint64_t>(channels));
    const int64_t removing = channels == 0 ? 0 : std::min<int64_t>(static_cast<int64_t>(wanted), channels - 1);
    std::vector<int64_t> order(static_cast<size_t>(channels));
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](int64_t a, int64_t b) { return key[a] < key[b] || (key[a] == key[b] && a < b); });
    r.removed.assign(order.begin(), order.begin() + removing);
    std::sort(r.removed.begin(), r.removed.end());
    std::vector<bool> gone(static_cast<size_t>(channels), false);
    for (int64_t c : r.removed) gone[c] = true;
    for (int64_t c = 0; c < channels; ++c)
        if (!gone[c]) r.kept.push_back(c);

    r.values.assign(w, w + count);
    for (int64_t o = 0; o < v.outer; ++o)
        for (int64_t c : r.removed) std::fill_n(r.values.begin() + (o * channels + c) * v.inner, v.inner, 0.0f);
    return r;
}

}  // namespace winglet::prune
