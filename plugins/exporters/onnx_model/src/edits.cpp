#include "edits.hpp"

#include "tensors.hpp"

#include <winglet/plugin.hpp>

#include <cstdio>

namespace winglet::onnx_model {
namespace {

[[noreturn]] void invalid(const std::string& message) { throw sdk::Error(WG_ERR_INVALID_ARGUMENT, message); }

std::string exact(float v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));
    return buf;
}

uint64_t ceil_div(uint64_t a, uint64_t b) { return a / b + (a % b != 0); }

void read_linear(TensorEdit& t, const wg_compressed_desc& c) {
    const std::string where = t.where();
    const int rank = static_cast<int>(t.dims.size());
    if (c.param_rank && !c.param_dims) invalid(where + ": param_dims missing");
    const std::vector<int64_t> param_dims(c.param_dims, c.param_dims + c.param_rank);
    t.param_count = element_count(param_dims, where + " scales");
    if (!c.scales) invalid(where + ": scales missing for a linear encoding");
    t.scales = c.scales;
    t.zero_points = c.zero_points;
    t.block_size = c.block_size;
    if (c.block_size < 0) invalid(where + ": negative block_size " + std::to_string(c.block_size));
    const int lo = -(1 << (t.bits - 1)), hi = (1 << (t.bits - 1)) - 1;
    for (uint64_t i = 0; i < t.count; ++i)
        if (t.codes[i] < lo || t.codes[i] > hi)
            invalid(where + ": code " + std::to_string(t.codes[i]) + " at element " + std::to_string(i) +
                    " does not fit " + std::to_string(t.bits) + " signed bits");
    // Zero points are packed at the codes' width.
    for (uint64_t i = 0; t.zero_points && i < t.param_count; ++i)
        if (t.zero_points[i] < lo || t.zero_points[i] > hi)
            invalid(where + ": zero point " + std::to_string(t.zero_points[i]) + " at " + std::to_string(i) +
                    " does not fit " + std::to_string(t.bits) + " signed bits");
    if (c.param_axis == -1) {
        if (c.block_size != 0) invalid(where + ": per-block scales need a param_axis");
        if (t.param_count != 1)
            invalid(where + ": per-tensor scales (param_axis -1) must be one value, param_dims are " +
                    dims_text(param_dims));
        t.granularity = Granularity::PerTensor;
        t.axis = -1;
        return;
    }
    if (c.param_axis < 0 || c.param_axis >= rank)
        invalid(where + ": param_axis " + std::to_string(c.param_axis) + " is not an axis of a rank-" +
                std::to_string(rank) + " tensor (or -1)");
    t.axis = c.param_axis;
    const uint64_t channels = static_cast<uint64_t>(t.dims[static_cast<size_t>(t.axis)]);
    if (c.block_size == 0) {
        // One scale per channel: {C} (ONNX per-axis), or C with ones on every other axis.
        bool ok = t.param_count == channels;
        if (param_dims.size() > 1) {
            ok = ok && static_cast<int>(param_dims.size()) == rank;
            for (int d = 0; ok && d < rank; ++d)
                ok = d == t.axis || param_dims[static_cast<size_t>(d)] == 1;
        }
        if (!ok)
            invalid(where + ": per-channel scales along axis " + std::to_string(t.axis) + " of " +
                    dims_text(t.dims) + " must have shape [" + std::to_string(channels) + "], param_dims are " +
                    dims_text(param_dims));
        t.granularity = Granularity::PerChannel;
        return;
    }
    std::vector<int64_t> expected = t.dims;
    expected[static_cast<size_t>(t.axis)] =
        static_cast<int64_t>(ceil_div(channels, static_cast<uint64_t>(c.block_size)));
    if (param_dims != expected)
        invalid(where + ": per-block scales (block " + std::to_string(c.block_size) + " along axis " +
                std::to_string(t.axis) + ") must have shape " + dims_text(expected) + ", param_dims are " +
                dims_text(param_dims));
    t.granularity = Granularity::PerBlock;
}

void read_lut(TensorEdit& t, const wg_compressed_desc& c) {
    const std::string where = t.where();
    if (c.lut_count < 1 || !c.luts) invalid(where + ": look-up tables missing");
    if (c.lut_count > (uint64_t{1} << 40)) invalid(where + ": lut_count " + std::to_string(c.lut_count) + " is too large");
    t.lut_count = c.lut_count;
    t.luts = c.luts;
    const uint32_t entries = 1u << t.bits;
    for (uint64_t i = 0; i < t.count; ++i) {
        const unsigned index = static_cast<uint8_t>(t.codes[i]);
        if (index >= entries)
            invalid(where + ": index " + std::to_string(index) + " at element " + std::to_string(i) +
                    " does not fit " + std::to_string(t.bits) + " bits");
    }
    if (c.block_size < 0) invalid(where + ": negative block_size " + std::to_string(c.block_size));
    if (c.block_size == 0) {
        if (c.lut_count != 1)
            invalid(where + ": " + std::to_string(c.lut_count) +
                    " look-up tables but block_size 0 (one table for the whole tensor)");
        t.axis = -1;
        return;
    }
    const int rank = static_cast<int>(t.dims.size());
    if (c.param_axis < 0 || c.param_axis >= rank)
        invalid(where + ": grouping axis " + std::to_string(c.param_axis) + " is not an axis of a rank-" +
                std::to_string(rank) + " tensor");
    const uint64_t channels = static_cast<uint64_t>(t.dims[static_cast<size_t>(c.param_axis)]);
    const uint64_t groups = ceil_div(channels, static_cast<uint64_t>(c.block_size));
    if (c.lut_count != groups && !(channels == 0 && c.lut_count == 1))
        invalid(where + ": " + std::to_string(c.lut_count) + " look-up tables, but " + std::to_string(channels) +
                " channels along axis " + std::to_string(c.param_axis) + " in groups of " +
                std::to_string(c.block_size) + " need " + std::to_string(groups));
    t.block_size = c.block_size;
    t.axis = c.lut_count == 1 ? -1 : c.param_axis;  // a single group is one table
}

// The stored form must decode to `decoded` exactly (float32 equality): the written model has to
// compute what winglet measured. LINEAR as DequantizeLinear does, (float)(code - zp) * scale.
void check_decodes(const TensorEdit& t) {
    uint64_t extent = 1, inner = 1;
    if (t.axis >= 0) {
        extent = static_cast<uint64_t>(t.dims[static_cast<size_t>(t.axis)]);
        for (size_t d = static_cast<size_t>(t.axis) + 1; d < t.dims.size(); ++d) inner *= static_cast<uint64_t>(t.dims[d]);
    }
    const uint64_t blocks = t.block_size > 0 ? ceil_div(extent, static_cast<uint64_t>(t.block_size)) : 0;
    for (uint64_t i = 0; i < t.count; ++i) {
        const uint64_t c = t.axis >= 0 ? i / inner % extent : 0;
        float value;
        if (t.encoding == WG_ENCODING_LINEAR) {
            uint64_t p = 0;
            if (t.granularity == Granularity::PerChannel) p = c;
            if (t.granularity == Granularity::PerBlock)
                p = (i / inner / extent * blocks + c / static_cast<uint64_t>(t.block_size)) * inner + i % inner;
            const int32_t zp = t.zero_points ? t.zero_points[p] : 0;
            value = static_cast<float>(static_cast<int32_t>(t.codes[i]) - zp) * t.scales[p];
        } else {
            const uint64_t group = t.axis >= 0 ? c / static_cast<uint64_t>(t.block_size) : 0;
            value = t.luts[(group << t.bits) + static_cast<uint8_t>(t.codes[i])];
        }
        if (value != t.decoded[i])
            invalid(t.where() + ": the stored form decodes element " + std::to_string(i) + " to " +
                    exact(value) + " but `decoded` has " + exact(t.decoded[i]) +
                    "; the written model would not compute the values winglet measured");
    }
}

}  // namespace

TensorEdit read_edit(const wg_tensor_edit* e, uint64_t index) {
    const std::string which = "tensor edit " + std::to_string(index);
    if (!e || !WG_HAS_FIELD(e, wg_tensor_edit, compressed)) invalid(which + " is missing or too small");
    if (!e->name || !*e->name) invalid(which + " has no name");
    TensorEdit t;
    t.name = e->name;
    const std::string where = t.where();
    if (e->rank && !e->dims) invalid(where + ": dims missing");
    t.dims.assign(e->dims, e->dims + e->rank);
    t.count = element_count(t.dims, where);
    t.original_dtype = e->original_dtype;
    const wg_compressed_desc* c = e->compressed;
    if (!c || !WG_HAS_FIELD(c, wg_compressed_desc, luts)) invalid(where + ": compressed form missing or too small");
    if (!c->decoded && t.count) invalid(where + ": decoded values missing");
    t.decoded = c->decoded;
    t.encoding = c->encoding;
    switch (c->encoding) {
        case WG_ENCODING_DENSE:
            t.sparsity = c->sparsity_pattern;
            // Channel pruning names its axis; without one the writer stores a mask per element.
            if (t.sparsity == WG_SPARSITY_CHANNELS && c->param_axis >= 0 &&
                c->param_axis < static_cast<int32_t>(t.dims.size()))
                t.axis = c->param_axis;
            return t;
        case WG_ENCODING_LINEAR:
        case WG_ENCODING_LUT:
            if (c->code_bits < 1 || c->code_bits > 8)
                invalid(where + ": code_bits " + std::to_string(c->code_bits) + " is not 1..8");
            if (!c->codes && t.count) invalid(where + ": codes missing");
            t.bits = c->code_bits;
            t.codes = c->codes;
            if (c->encoding == WG_ENCODING_LINEAR)
                read_linear(t, *c);
            else
                read_lut(t, *c);
            check_decodes(t);
            return t;
        default:
            invalid(where + ": unknown encoding " + std::to_string(c->encoding));
    }
}

}  // namespace winglet::onnx_model
