#include "palettize.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace winglet::palettize {
namespace {

// A row-major tensor seen as [outer, channels, inner] around the channel axis.
struct Layout {
    size_t outer = 1;
    size_t channels = 1;
    size_t inner = 1;
};

Layout layout_of(const std::vector<int64_t>& dims, int axis) {
    Layout l;
    for (size_t d = 0; d < dims.size(); ++d) {
        const auto extent = static_cast<size_t>(dims[d]);
        if (static_cast<int>(d) < axis) l.outer *= extent;
        else if (static_cast<int>(d) == axis) l.channels = extent;
        else l.inner *= extent;
    }
    return l;
}

size_t element_count(const std::vector<int64_t>& dims) {
    size_t count = 1;
    for (size_t d = 0; d < dims.size(); ++d) {
        if (dims[d] <= 0) {
            throw std::invalid_argument("palettize: empty tensor: dimension " + std::to_string(d) + " is " +
                                        std::to_string(dims[d]) + " (every dimension must be >= 1)");
        }
        if (__builtin_mul_overflow(count, static_cast<size_t>(dims[d]), &count))
            throw std::invalid_argument("palettize: element count overflows size_t");
    }
    return count;
}

// Throws for the first non-finite weight, named by its index in the whole tensor.
void check_finite(const float* w, size_t n) {
    const size_t first_bad = tbb::parallel_reduce(
        tbb::blocked_range<size_t>(0, n, size_t{1} << 16), n,
        [w](const tbb::blocked_range<size_t>& r, size_t bad) {
            for (size_t i = r.begin(); i != r.end() && i < bad; ++i) {
                if (!std::isfinite(w[i])) return i;
            }
            return bad;
        },
        [](size_t a, size_t b) { return std::min(a, b); });
    if (first_bad == n) return;
    const float x = w[first_bad];
    const char* what = std::isnan(x) ? "NaN" : (x > 0 ? "+Inf" : "-Inf");
    throw std::invalid_argument("palettize: weight " + std::to_string(first_bad) + " is " + what +
                                "; only finite weights can be palettized (non-finite weight)");
}

// Clusters channels [c0, c1) of every outer slice with one LUT and writes their indices.
void palettize_group(const float* w, const Layout& l, size_t c0, size_t c1, int k, const KMeans1DOptions& options,
                     float* lut, uint8_t* indices) {
    const size_t slab = (c1 - c0) * l.inner;  // contiguous values of the group per outer index
    KMeans1DResult result;
    if (l.outer == 1 || c1 - c0 == l.channels) {  // one contiguous run: no copies
        const size_t offset = c0 * l.inner;
        result = kmeans_1d_assign(w + offset, l.outer * slab, k, indices + offset, options);
    } else {
        std::vector<float> values(l.outer * slab);
        std::vector<uint8_t> group_indices(values.size());
        for (size_t o = 0; o < l.outer; ++o)
            std::copy_n(w + (o * l.channels + c0) * l.inner, slab, values.begin() + o * slab);
        result = kmeans_1d_assign(values.data(), values.size(), k, group_indices.data(), options);
        for (size_t o = 0; o < l.outer; ++o)
            std::copy_n(group_indices.begin() + o * slab, slab, indices + (o * l.channels + c0) * l.inner);
    }
    std::copy(result.centroids.begin(), result.centroids.end(), lut);
    std::fill(lut + result.centroids.size(), lut + k, result.centroids.back());
}

}  // namespace

size_t PalettizedTensor::lut_count() const {
    return bits >= 1 && bits <= 8 ? luts.size() >> bits : 0;
}

uint64_t PalettizedTensor::storage_bits() const {
    return static_cast<uint64_t>(bits) * indices.size() + uint64_t{32} * luts.size();
}

std::vector<float> PalettizedTensor::decode() const {
    const size_t elements = element_count(dims);
    const bool axis_ok = dims.empty() ? axis == 0 : axis >= 0 && axis < static_cast<int>(dims.size());
    if (bits < 1 || bits > 8 || !axis_ok || group_size < 1 || indices.size() != elements)
        throw std::invalid_argument("PalettizedTensor::decode: inconsistent tensor (bits, axis, group_size or indices)");
    const Layout l = layout_of(dims, axis);
    const size_t k = size_t{1} << bits;
    const auto per_lut = static_cast<size_t>(group_size);
    if (luts.size() != (l.channels + per_lut - 1) / per_lut * k)
        throw std::invalid_argument("PalettizedTensor::decode: luts.size() does not match the groups");
    std::vector<float> out(elements);
    size_t i = 0;
    for (size_t o = 0; o < l.outer; ++o) {
        for (size_t c = 0; c < l.channels; ++c) {
            const float* lut = luts.data() + c / per_lut * k;
            for (size_t e = 0; e < l.inner; ++e, ++i) out[i] = lut[indices[i]];
        }
    }
    return out;
}

PalettizedTensor palettize(const float* w, const std::vector<int64_t>& dims, const PalettizeOptions& options) {
    if (options.bits < 1 || options.bits > 8)
        throw std::invalid_argument("palettize: bits must be in 1..8, got " + std::to_string(options.bits));
    const size_t elements = element_count(dims);
    if (!w) throw std::invalid_argument("palettize: weights pointer is null");
    const int rank = static_cast<int>(dims.size());
    if (rank == 0 ? options.axis != 0 : options.axis < 0 || options.axis >= rank) {
        throw std::invalid_argument("palettize: axis " + std::to_string(options.axis) + " out of range for a rank-" +
                                    std::to_string(rank) + " tensor (need 0.." + std::to_string(std::max(rank - 1, 0)) +
                                    ")");
    }
    const Layout l = layout_of(dims, options.axis);
    size_t per_lut = l.channels;
    if (options.grouping == Grouping::PerGroupedChannel) {
        if (rank == 0) throw std::invalid_argument("palettize: PerGroupedChannel needs a channel axis; got a scalar");
        if (options.group_size < 1 || static_cast<size_t>(options.group_size) > l.channels) {
            throw std::invalid_argument("palettize: group_size " + std::to_string(options.group_size) +
                                        " does not fit: dims[axis] = " + std::to_string(l.channels) +
                                        ", need 1.." + std::to_string(l.channels));
        }
        per_lut = static_cast<size_t>(options.group_size);
    }
    const size_t groups = (l.channels + per_lut - 1) / per_lut;

    const int k = 1 << options.bits;
    PalettizedTensor out;
    out.bits = options.bits;
    out.dims = dims;
    out.axis = options.axis;
    out.group_size = static_cast<int64_t>(per_lut);
    out.luts.resize(groups * static_cast<size_t>(k));
    out.indices.resize(elements);
    tbb::parallel_for(size_t{0}, groups, [&](size_t g) {
        const size_t c0 = g * per_lut, c1 = std::min(l.channels, c0 + per_lut);
        try {
            palettize_group(w, l, c0, c1, k, options.kmeans, out.luts.data() + g * static_cast<size_t>(k),
                            out.indices.data());
        } catch (const std::invalid_argument&) {
            // Most likely a non-finite weight: name the first in the whole tensor rather than
            // by its place in the group (any other error goes on unchanged).
            check_finite(w, elements);
            throw;
        }
    });
    return out;
}

}  // namespace winglet::palettize
