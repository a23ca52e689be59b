// A deliberately plain re-statement of the quantization rules, written apart from the library
// for the tests to compare against: multi-index arithmetic for the group of every element,
// float min/max, one scalar std::nearbyint(x / scale) per element in ONNX's order (round, add the
// zero point, saturate). Slow and obvious on purpose; shares no code with src/.
#pragma once

#include "linear_quant.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace winglet::quantize::test {

struct ReferenceResult {
    std::vector<int64_t> scale_dims;
    std::vector<float> scales;
    std::vector<int> zero_points;
    std::vector<int> codes;
};

inline int ref_qmax(int bits) { return (1 << (bits - 1)) - 1; }
inline int ref_qmin(int bits, bool symmetric) { return symmetric ? -ref_qmax(bits) : -(1 << (bits - 1)); }

// Scale-tensor index of the element at `flat` (row-major over dims).
inline int64_t ref_group(int64_t flat, const std::vector<int64_t>& dims, const std::vector<int64_t>& scale_dims,
                         Granularity g, int axis, int64_t block) {
    if (g == Granularity::PerTensor) return 0;
    std::vector<int64_t> index(dims.size());
    for (int d = static_cast<int>(dims.size()) - 1; d >= 0; --d) {
        index[d] = flat % dims[d];
        flat /= dims[d];
    }
    if (g == Granularity::PerChannel) return index[axis];
    index[axis] /= block;
    int64_t s = 0;
    for (size_t d = 0; d < dims.size(); ++d) s = s * scale_dims[d] + index[d];
    return s;
}

inline ReferenceResult reference_quantize(const std::vector<float>& w, const std::vector<int64_t>& dims,
                                          const QuantOptions& o) {
    const int axis = o.axis < 0 ? o.axis + static_cast<int>(dims.size()) : o.axis;
    ReferenceResult r;
    if (o.granularity == Granularity::PerChannel) r.scale_dims = {dims[axis]};
    if (o.granularity == Granularity::PerBlock) {
        r.scale_dims = dims;
        r.scale_dims[axis] = (dims[axis] + o.block_size - 1) / o.block_size;
    }
    int64_t groups = 1;
    for (int64_t d : r.scale_dims) groups *= d;

    std::vector<float> lo(groups, 0.0f), hi(groups, 0.0f);  // ranges always include 0
    std::vector<int64_t> group(w.size());
    for (size_t i = 0; i < w.size(); ++i) {
        group[i] = ref_group(static_cast<int64_t>(i), dims, r.scale_dims, o.granularity, axis, o.block_size);
        lo[group[i]] = std::min(lo[group[i]], w[i]);
        hi[group[i]] = std::max(hi[group[i]], w[i]);
    }

    const int qmin = ref_qmin(o.bits, o.symmetric), qmax = ref_qmax(o.bits);
    for (int64_t g = 0; g < groups; ++g) {
        float scale = 1.0f;
        int zp = 0;
        if (lo[g] != 0.0f || hi[g] != 0.0f) {
            scale = o.symmetric ? std::max(std::fabs(lo[g]), hi[g]) / static_cast<float>(qmax)
                                : static_cast<float>((static_cast<double>(hi[g]) - lo[g]) / (qmax - qmin));
            if (scale == 0.0f) scale = std::numeric_limits<float>::denorm_min();
            if (!o.symmetric)
                zp = std::clamp(static_cast<int>(std::nearbyint(static_cast<float>(qmin) - lo[g] / scale)), qmin, qmax);
        }
        r.scales.push_back(scale);
        r.zero_points.push_back(zp);
    }
    for (size_t i = 0; i < w.size(); ++i) {
        const float q = std::nearbyint(w[i] / r.scales[group[i]]);
        r.codes.push_back(std::clamp(static_cast<int>(q) + r.zero_points[group[i]], qmin, qmax));
    }
    return r;
}

}  // namespace winglet::quantize::test
