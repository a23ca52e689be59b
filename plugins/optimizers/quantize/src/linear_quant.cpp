#include "linear_quant.hpp"

#include "axis_view.hpp"
#include "granularity_passes.hpp"

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

namespace winglet::quantize {
namespace {

[[noreturn]] void reject(const std::string& what) { throw std::invalid_argument("quantize: " + what); }

int64_t element_count(const std::vector<int64_t>& dims) {
    int64_t n = 1;
    for (size_t d = 0; d < dims.size(); ++d) {
        if (dims[d] < 0)
            reject("dims[" + std::to_string(d) + "] = " + std::to_string(dims[d]) + " is negative");
        if (dims[d] != 0 && n > std::numeric_limits<int64_t>::max() / dims[d])
            reject("the element count of the dims overflows int64");
        n *= dims[d];
    }
    return n;
}

// ONNX axes: [-rank, rank), negative counting from the end.
int normalized_axis(int axis, size_t rank) {
    const int r = static_cast<int>(rank);
    if (axis < -r || axis >= r) {
        reject("axis " + std::to_string(axis) + " is out of range for a rank-" + std::to_string(r) +
               " tensor (expected " + std::to_string(-r) + ".." + std::to_string(r - 1) + ")");
    }
    return axis < 0 ? axis + r : axis;
}

[[noreturn]] void reject_first_non_finite(const float* w, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        if (!std::isfinite(w[i])) {
            std::ostringstream what;
            what << "weight at flat index " << i << " is not finite (" << w[i] << ")";
            reject(what.str());
        }
    }
    reject("a weight is not finite");  // unreachable: a pass saw one
}

// The tensor's metadata and buffers, sized, before any weight is read.
QuantizedTensor layout_for(const std::vector<int64_t>& dims, const QuantOptions& o) {
    if (o.bits != 8 && o.bits != 4 && o.bits != 2)
        reject("bits must be 8, 4 or 2 (got " + std::to_string(o.bits) + ")");
    const int64_t n = element_count(dims);
    QuantizedTensor t;
    t.bits = o.bits;
    t.symmetric = o.symmetric;
    t.granularity = o.granularity;
    t.dims = dims;
    if (o.granularity != Granularity::PerTensor) t.axis = normalized_axis(o.axis, dims.size());
    if (o.granularity == Granularity::PerBlock) {
        if (o.block_size < 1) reject("block_size " + std::to_string(o.block_size) + " must be at least 1");
        t.block_size = o.block_size;
    }
    t.codes.resize(static_cast<size_t>(n));
    int64_t groups = 1;
    for (int64_t d : t.scale_dims()) groups *= d;
    t.scales.assign(static_cast<size_t>(groups), 1.0f);
    t.zero_points.assign(static_cast<size_t>(groups), 0);
    return t;
}

}  // namespace

CodeRange code_range(int bits, bool symmetric) {
    if (bits != 8 && bits != 4 && bits != 2)
        reject("bits must be 8, 4 or 2 (got " + std::to_string(bits) + ")");
    const int half = 1 << (bits - 1);
    return symmetric ? CodeRange{-(half - 1), half - 1} : CodeRange{-half, half - 1};
}

std::vector<int64_t> QuantizedTensor::scale_dims() const {
    switch (granularity) {
    case Granularity::PerTensor: return {};
    case Granularity::PerChannel: return {dims[axis]};
    case Granularity::PerBlock: {
        std::vector<int64_t> s = dims;
        s[axis] = ceil_div(dims[axis], block_size);
        return s;
    }
    }
    return {};
}

std::vector<float> QuantizedTensor::dequantize() const {
    std::vector<float> out(codes.size());
    const AxisView v = granularity == Granularity::PerTensor
                           ? AxisView{1, static_cast<int64_t>(codes.size()), 1}
                           : view_around(dims, axis);
    const int64_t blocks = granularity == Granularity::PerBlock ? ceil_div(v.extent, block_size) : 0;
    int64_t at = 0;
    for (int64_t o = 0; o < v.outer; ++o) {
        for (int64_t a = 0; a < v.extent; ++a) {
            for (int64_t i = 0; i < v.inner; ++i, ++at) {
                const int64_t s = granularity == Granularity::PerTensor  ? 0
                                  : granularity == Granularity::PerChannel ? a
                                                                          : (o * blocks + a / block_size) * v.inner + i;
                const int32_t centered = static_cast<int32_t>(codes[at]) - zero_points[s];
                out[at] = static_cast<float>(centered) * scales[s];
            }
        }
    }
    return out;
}

uint64_t QuantizedTensor::storage_bits() const {
    const uint64_t b = static_cast<uint64_t>(bits);
    return b * codes.size() + 32u * scales.size() + (symmetric ? 0u : b * zero_points.size());
}

QuantizedTensor quantize(const float* w, const std::vector<int64_t>& dims, const QuantOptions& options) {
    QuantizedTensor t = layout_for(dims, options);
    const int64_t n = static_cast<int64_t>(t.codes.size());
    if (n == 0) return t;
    if (w == nullptr) reject("weights pointer is null for " + std::to_string(n) + " elements");
    bool finite = true;
    switch (t.granularity) {
    case Granularity::PerTensor: finite = quantize_per_tensor(w, t); break;
    case Granularity::PerChannel: finite = quantize_per_channel(w, view_around(t.dims, t.axis), t); break;
    case Granularity::PerBlock: finite = quantize_per_block(w, view_around(t.dims, t.axis), t); break;
    }
    if (!finite) reject_first_non_finite(w, n);
    return t;
}

}  // namespace winglet::quantize
