#include "decoders.hpp"

#include "tensors.hpp"

namespace winglet::onnx_model {
namespace {

using Section = DecodeGraph::Section;
constexpr Section kTensor = Section::Tensor;

constexpr int64_t kDequantizeOpset = 10;         // DequantizeLinear, per tensor
constexpr int64_t kPerAxisDequantizeOpset = 13;  // DequantizeLinear with `axis` and 1-D scales
constexpr int64_t kRangeOpset = 11;              // Range

// A tensor seen as [outer, channels, inner] around `axis`.
struct AxisLayout {
    int64_t outer = 1, channels = 1, inner = 1;
};

AxisLayout layout_around(const std::vector<int64_t>& dims, int axis) {
    AxisLayout l;
    for (size_t d = 0; d < dims.size(); ++d) {
        if (static_cast<int>(d) < axis) l.outer *= dims[d];
        else if (static_cast<int>(d) == axis) l.channels = dims[d];
        else l.inner *= dims[d];
    }
    return l;
}

// [C, 1, ..., 1]: one value per index along `axis`, broadcasting against dims (right-aligned).
std::vector<int64_t> channel_broadcast_dims(const TensorEdit& e) {
    std::vector<int64_t> dims(e.dims.size() - static_cast<size_t>(e.axis), 1);
    dims[0] = e.dims[static_cast<size_t>(e.axis)];
    return dims;
}

std::string int64_scalar(DecodeGraph& g, int64_t v) { return g.int64_scalar("winglet_int64_" + std::to_string(v), v); }

// A per-block parameter stored as [outer, blocks, 1, inner], repeated over its block and cut to the
// tensor's dims. Tile, Reshape and Slice only copy, so this is exact.
std::string expand_blocks(const TensorEdit& e, const std::string& param, DecodeGraph& g, const std::string& base) {
    const AxisLayout l = layout_around(e.dims, e.axis);
    const int64_t blocks = (l.channels + e.block_size - 1) / e.block_size;
    const std::string tiled = g.fresh(base + "_tiled");
    g.node(kTensor, "Tile", {param, g.int64_list("winglet_repeats", {1, 1, e.block_size, 1})}, tiled);
    if (blocks * e.block_size == l.channels) return g.reshape(kTensor, tiled, e.dims, g.fresh(base + "_expanded"));
    const std::string rows = g.reshape(kTensor, tiled, {l.outer, blocks * e.block_size, l.inner}, g.fresh(base + "_rows"));
    const std::string cut = g.slice(kTensor, rows, 1, 0, l.channels, g.fresh(base + "_cut"));
    return g.reshape(kTensor, cut, e.dims, g.fresh(base + "_expanded"));
}

// Table g starts at g * 2^bits in the flat LUT: offset(c) = (c / block_size) * 2^bits along the axis,
// computed by Range from opset 11 (once for all tensors with the same channels, groups, bits and
// broadcast shape), stored before.
std::string lut_offsets(const TensorEdit& e, DecodeGraph& g) {
    const std::vector<int64_t> dims = channel_broadcast_dims(e);
    const int64_t channels = dims[0];
    if (g.opset() < kRangeOpset) {
        std::vector<int64_t> offsets(static_cast<size_t>(channels));
        for (int64_t c = 0; c < channels; ++c) offsets[static_cast<size_t>(c)] = (c / e.block_size) << e.bits;
        return g.initializer(e.name + "_lut_offset", onnx::TensorProto::INT64, dims, offsets.data(),
                             offsets.size() * sizeof(int64_t));
    }
    std::string key = "lut_offset/" + std::to_string(e.block_size) + "/" + std::to_string(e.bits);
    for (int64_t d : dims) key += "/" + std::to_string(d);
    return g.shared_value(key, [&] {
        const std::string channel = g.fresh(e.name + "_channel");
        g.node(kTensor, "Range", {int64_scalar(g, 0), int64_scalar(g, channels), int64_scalar(g, 1)}, channel);
        const std::string group = g.fresh(e.name + "_group");
        g.node(kTensor, "Div", {channel, int64_scalar(g, e.block_size)}, group);
        const std::string offset = g.fresh(e.name + "_lut_offset");
        g.node(kTensor, "Mul", {group, int64_scalar(g, int64_t{1} << e.bits)}, offset);
        return dims.size() == 1 ? offset : g.reshape(kTensor, offset, dims, g.fresh(e.name + "_lut_offset_shaped"));
    });
}

}  // namespace

void decode_linear(const TensorEdit& e, const std::string& out, DecodeGraph& g, PackedFields& packed) {
    const bool narrow = e.bits < 8;
    const bool dequantize_linear = !narrow && (e.granularity == Granularity::PerTensor    ? g.opset() >= kDequantizeOpset
                                               : e.granularity == Granularity::PerChannel ? g.opset() >= kPerAxisDequantizeOpset
                                                                                          : false);
    // Shape of the scales (and zero points): ONNX's for DequantizeLinear; otherwise one that
    // broadcasts against the codes ([C,1,...,1]) or, per block, [outer, blocks, 1, inner].
    std::vector<int64_t> param_dims;
    if (e.granularity == Granularity::PerChannel) {
        param_dims = dequantize_linear ? std::vector<int64_t>{e.dims[static_cast<size_t>(e.axis)]} : channel_broadcast_dims(e);
    } else if (e.granularity == Granularity::PerBlock) {
        const AxisLayout l = layout_around(e.dims, e.axis);
        param_dims = {l.outer, (l.channels + e.block_size - 1) / e.block_size, 1, l.inner};
    }
    std::string scale =
        g.initializer(e.name + "_scale", onnx::TensorProto::FLOAT, param_dims, e.scales, e.param_count * sizeof(float));
    std::string codes, zero_point;
    if (narrow) {
        // Packed offset-binary; the unpack yields the signed codes as float32 (exact, |code| < 2^7).
        const std::string flat = packed.add_signed(g, e.bits, e.codes, e.count, e.name + "_codes");
        codes = g.reshape(kTensor, flat, e.dims, g.fresh(e.name + "_codes_shaped"));
        if (e.zero_points) {
            const std::string zp_flat = packed.add_signed(g, e.bits, e.zero_points, e.param_count, e.name + "_zero_point");
            zero_point = g.reshape(kTensor, zp_flat, param_dims, g.fresh(e.name + "_zero_point_shaped"));
        }
    } else {
        codes = g.initializer(e.name + "_quantized", onnx::TensorProto::INT8, e.dims, e.codes, e.count);
        if (e.zero_points)
            zero_point = g.initializer(e.name + "_zero_point", onnx::TensorProto::INT8, param_dims, e.zero_points, e.param_count);
        if (dequantize_linear) {
            std::vector<std::string> inputs{codes, scale};
            if (!zero_point.empty()) inputs.push_back(zero_point);
            onnx::NodeProto& n = g.node(kTensor, "DequantizeLinear", inputs, out);
            if (e.granularity == Granularity::PerChannel) add_int_attribute(n, "axis", e.axis);
            return;
        }
        codes = g.cast(kTensor, codes, onnx::TensorProto::FLOAT, g.fresh(e.name + "_codes_float"));
        if (!zero_point.empty())
            zero_point = g.cast(kTensor, zero_point, onnx::TensorProto::FLOAT, g.fresh(e.name + "_zero_point_float"));
    }
    if (e.granularity == Granularity::PerBlock) {
        scale = expand_blocks(e, scale, g, e.name + "_scale");
        if (!zero_point.empty()) zero_point = expand_blocks(e, zero_point, g, e.name + "_zero_point");
    }
    // float(code) - float(zp) is an exact small integer, so this is DequantizeLinear's
    // (float)(code - zp) * scale with its single rounding, in the product.
    if (!zero_point.empty()) {
        const std::string centered = g.fresh(e.name + "_centered");
        g.node(kTensor, "Sub", {codes, zero_point}, centered);
        codes = centered;
    }
    g.node(kTensor, "Mul", {codes, scale}, out);
}

void decode_lut(const TensorEdit& e, const std::string& out, DecodeGraph& g, PackedFields& packed) {
    const uint64_t entries = e.lut_count << e.bits;
    const std::string lut = g.initializer(e.name + "_lut", onnx::TensorProto::FLOAT, {static_cast<int64_t>(entries)},
                                          e.luts, entries * sizeof(float));
    // The indices' bit patterns travel in int8 (wg_compressed_desc::codes).
    const std::string flat =
        packed.add_unsigned(g, e.bits, reinterpret_cast<const uint8_t*>(e.codes), e.count, e.name + "_indices");
    std::string position = g.reshape(kTensor, flat, e.dims, g.fresh(e.name + "_indices_shaped"));
    if (e.axis >= 0) {
        const std::string offset = lut_offsets(e, g);
        const std::string sum = g.fresh(e.name + "_lut_position");
        g.node(kTensor, "Add", {position, offset}, sum);
        position = sum;
    }
    g.node(kTensor, "Gather", {lut, position}, out);
}

bool has_sparse_form(const TensorEdit& e) {
    return e.encoding == WG_ENCODING_DENSE && e.count > 0 &&
           (e.sparsity == WG_SPARSITY_UNSTRUCTURED || e.sparsity == WG_SPARSITY_N_M || e.sparsity == WG_SPARSITY_CHANNELS);
}

namespace {

// Channel pruning with a known axis: a channel is stored when any of its values is not zero.
bool by_channel(const TensorEdit& e) { return e.sparsity == WG_SPARSITY_CHANNELS && e.axis >= 0; }

std::vector<uint8_t> channel_mask(const TensorEdit& e) {
    const AxisLayout l = layout_around(e.dims, e.axis);
    std::vector<uint8_t> kept(static_cast<size_t>(l.channels), 0);
    for (int64_t o = 0; o < l.outer; ++o)
        for (int64_t c = 0; c < l.channels; ++c)
            for (int64_t i = 0; i < l.inner && !kept[static_cast<size_t>(c)]; ++i)
                kept[static_cast<size_t>(c)] = e.decoded[(o * l.channels + c) * l.inner + i] != 0.0f;
    return kept;
}

uint64_t count_set(const std::vector<uint8_t>& mask) {
    uint64_t n = 0;
    for (uint8_t m : mask) n += m;
    return n;
}

}  // namespace

uint64_t sparse_payload_bytes(const TensorEdit& e) {
    if (by_channel(e)) {
        const AxisLayout l = layout_around(e.dims, e.axis);
        return count_set(channel_mask(e)) * static_cast<uint64_t>(l.outer * l.inner) * sizeof(float) +
               (static_cast<uint64_t>(l.channels) + 7) / 8;
    }
    uint64_t nonzero = 0;
    for (uint64_t i = 0; i < e.count; ++i) nonzero += e.decoded[i] != 0.0f;
    return (nonzero + 1) * sizeof(float) + (e.count + 7) / 8;
}

// Element i (channel c) is kept when its mask bit is 1; CumSum(mask) * mask is then its 1-based
// rank among the kept ones, and 0 for the others, which Gather maps to a zero stored in slot 0
// (a leading 0 among the values; a zero channel padded in front of the kept ones). Zeros of
// either sign decode to +0.0.
void decode_sparse(const TensorEdit& e, const std::string& out, DecodeGraph& g, PackedFields& packed) {
    auto slots = [&](const std::string& mask) {
        const std::string rank = g.fresh(e.name + "_rank");
        g.node(kTensor, "CumSum", {mask, int64_scalar(g, 0)}, rank);
        const std::string slot = g.fresh(e.name + "_slot");
        g.node(kTensor, "Mul", {rank, mask}, slot);
        return slot;
    };
    if (by_channel(e)) {
        const AxisLayout l = layout_around(e.dims, e.axis);
        const std::vector<uint8_t> keep = channel_mask(e);
        std::vector<float> kept;
        for (int64_t o = 0; o < l.outer; ++o)
            for (int64_t c = 0; c < l.channels; ++c)
                if (keep[static_cast<size_t>(c)]) {
                    const float* slice = e.decoded + (o * l.channels + c) * l.inner;
                    kept.insert(kept.end(), slice, slice + l.inner);
                }
        std::vector<int64_t> kept_dims = e.dims;
        kept_dims[static_cast<size_t>(e.axis)] = static_cast<int64_t>(count_set(keep));
        const std::string values = g.initializer(e.name + "_kept_channels", onnx::TensorProto::FLOAT, kept_dims,
                                                 kept.data(), kept.size() * sizeof(float));
        std::vector<int64_t> pads(2 * e.dims.size(), 0);
        pads[static_cast<size_t>(e.axis)] = 1;  // one zero channel in front
        const std::string padded = g.fresh(e.name + "_channels");
        g.node(kTensor, "Pad", {values, g.int64_list("winglet_pads", pads)}, padded);
        const std::string mask = packed.add_unsigned(g, 1, keep.data(), keep.size(), e.name + "_channel_mask");
        add_int_attribute(g.node(kTensor, "Gather", {padded, slots(mask)}, out), "axis", e.axis);
        return;
    }
    std::vector<uint8_t> keep(e.count);
    std::vector<float> values{0.0f};
    for (uint64_t i = 0; i < e.count; ++i) {
        keep[i] = e.decoded[i] != 0.0f;
        if (keep[i]) values.push_back(e.decoded[i]);
    }
    const std::string stored = g.initializer(e.name + "_values", onnx::TensorProto::FLOAT,
                                             {static_cast<int64_t>(values.size())}, values.data(),
                                             values.size() * sizeof(float));
    const std::string mask = packed.add_unsigned(g, 1, keep.data(), keep.size(), e.name + "_mask");
    const std::string position = g.reshape(kTensor, slots(mask), e.dims, g.fresh(e.name + "_slot_shaped"));
    g.node(kTensor, "Gather", {stored, position}, out);
}

}  // namespace winglet::onnx_model
