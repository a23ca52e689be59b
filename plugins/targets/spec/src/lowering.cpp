#include "lowering.hpp"

#include <algorithm>
#include <cmath>

namespace winglet::spec_target {

namespace {

std::optional<DType> spec_dtype(wg_dtype d) {
    switch (d) {
        case WG_DTYPE_FLOAT32: return DType::fp32;
        case WG_DTYPE_FLOAT16: return DType::fp16;
        case WG_DTYPE_BFLOAT16: return DType::bf16;
        case WG_DTYPE_INT8:
        case WG_DTYPE_UINT8: return DType::int8;
        case WG_DTYPE_INT4:
        case WG_DTYPE_UINT4: return DType::int4;
        default: return std::nullopt;
    }
}

// Names for the dtypes no spec can list, so a fallback reason reads "int64 not supported".
std::string model_dtype_name(wg_dtype d) {
    switch (d) {
        case WG_DTYPE_INT16: return "int16";
        case WG_DTYPE_UINT16: return "uint16";
        case WG_DTYPE_INT32: return "int32";
        case WG_DTYPE_UINT32: return "uint32";
        case WG_DTYPE_INT64: return "int64";
        case WG_DTYPE_UINT64: return "uint64";
        case WG_DTYPE_FLOAT64: return "float64";
        case WG_DTYPE_BOOL: return "bool";
        case WG_DTYPE_STRING: return "string";
        default: return "dtype " + std::to_string(d);
    }
}

double width(DType d) {
    switch (d) {
        case DType::fp32: return 4;
        case DType::fp16:
        case DType::bf16: return 2;
        case DType::int8: return 1;
        case DType::int4: return 0.5;
    }
    return 4;
}

// The op's first activation (non-weight) input, if any.
std::optional<sdk::ValueView> first_activation(const sdk::OpView& op) {
    for (uint64_t k = 0; k < op.input_count(); ++k)
        if (const auto v = op.input(k); v && !v->is_weight()) return v;
    return std::nullopt;
}

// The dtype the op computes in: its first activation input's (its output's when it has none).
wg_dtype activation_dtype(const sdk::OpView& op) {
    if (const auto v = first_activation(op)) return v->dtype();
    const auto out = op.output(0);
    return out ? out->dtype() : WG_DTYPE_UNDEFINED;
}

// A value the recipe marked for int8 execution although the model holds it in another dtype.
bool marked_int8(const std::optional<sdk::ValueView>& v) {
    return v && v->compute_dtype() == WG_DTYPE_INT8 && v->dtype() != WG_DTYPE_INT8 && v->dtype() != WG_DTYPE_UINT8;
}

// Bytes per element of a dtype, to count the elements of a weight whose shape is not known.
double element_bytes(wg_dtype d) {
    switch (d) {
        case WG_DTYPE_UINT8: case WG_DTYPE_INT8: case WG_DTYPE_BOOL: return 1;
        case WG_DTYPE_UINT16: case WG_DTYPE_INT16: case WG_DTYPE_FLOAT16: case WG_DTYPE_BFLOAT16: return 2;
        case WG_DTYPE_INT64: case WG_DTYPE_UINT64: case WG_DTYPE_FLOAT64: return 8;
        case WG_DTYPE_INT4: case WG_DTYPE_UINT4: return 0.5;
        default: return 4;
    }
}

double element_count(const sdk::ValueView& v) {
    if (const auto shape = v.known_shape()) {
        double n = 1;
        for (int64_t dim : *shape) n *= static_cast<double>(dim);
        return n;
    }
    return static_cast<double>(v.bytes()) / element_bytes(v.dtype());
}

Sparsity sparsity_of(uint32_t pattern) {
    switch (pattern) {
        case WG_SPARSITY_UNSTRUCTURED: return Sparsity::unstructured;
        case WG_SPARSITY_N_M: return Sparsity::n_m;
        case WG_SPARSITY_CHANNELS: return Sparsity::channels;
        default: return Sparsity::none;
    }
}

struct CompressedWeights {
    bool any = false;        // the op reads at least one compressed weight
    double stored_here = 0;  // stored bytes of the coded ones it is the first to read
};

// What a recipe did to the op's weights, through the ABI's value fields only, into `d`. The host's
// record counts a compressed weight at its stored size, with its first reader (the analysis'
// convention), so `stored_here` is the part of the record's weight bytes never to re-type.
CompressedWeights read_compression(const sdk::OpView& op, std::vector<bool>& weight_seen, OpDesc& d) {
    CompressedWeights out;
    bool have_main = false, have_sparsity = false;
    for (uint64_t k = 0; k < op.input_count(); ++k) {
        const auto v = op.input(k);
        if (!v || !v->is_weight()) continue;
        const auto index = static_cast<size_t>(op.input_index(k));
        const bool first_reader = !weight_seen[index];
        weight_seen[index] = true;
        if (!v->compressed()) {
            if (!have_main && !d.weight_dtype) d.weight_dtype = spec_dtype(v->dtype());  // until one is
            continue;
        }
        out.any = true;
        // Codes (quantized, palettized) keep their stored size under any dtype; a pruned weight
        // stores its values as they are, so the dtype option re-types it like any other.
        if (first_reader && v->decode() != WG_DECODE_NONE) out.stored_here += std::ceil(v->stored_bytes());
        if (!have_main) {  // the first compressed weight is the op's main weight
            d.weight_dtype = spec_dtype(v->compute_dtype());
            have_main = true;
        }
        const double elements = element_count(*v);
        if (v->decode() == WG_DECODE_LUT) d.lut_elements += elements;
        else if (v->decode() == WG_DECODE_DEQUANTIZE) d.dequantize_elements += elements;
        if (!have_sparsity && v->sparsity_pattern() != WG_SPARSITY_NONE) {
            have_sparsity = true;
            d.sparsity = sparsity_of(v->sparsity_pattern());
            d.sparsity_n = v->sparsity_n();
            d.sparsity_m = v->sparsity_m();
            d.sparsity_fraction = v->sparsity();
        }
    }
    return out;
}

// Whether a recipe runs the op in int8: its compressed weight computes in int8 and its first
// activation input is marked int8; an op with no compressed weight and no MACs (Relu, Add, pooling
// between two int8 ops) when both its first activation input and its first output are marked.
bool recipe_runs_int8(const sdk::OpView& op, bool has_compressed_weight) {
    const auto x = first_activation(op);
    if (has_compressed_weight) {
        for (uint64_t k = 0; k < op.input_count(); ++k)
            if (const auto v = op.input(k); v && v->is_weight() && v->compressed())
                return v->compute_dtype() == WG_DTYPE_INT8 && x && x->compute_dtype() == WG_DTYPE_INT8;
        return false;
    }
    return op.record().macs == 0 && marked_int8(x) && marked_int8(op.output(0));
}

bool has_unknown_dim(const sdk::OpView& op) {
    for (uint64_t k = 0; k < op.input_count(); ++k)
        if (const auto v = op.input(k); v && !v->known_shape()) return true;
    for (uint64_t k = 0; k < op.output_count(); ++k)
        if (const auto v = op.output(k); v && !v->known_shape()) return true;
    return false;
}

// kernel_shape when given, else a Conv weight's spatial dims [C_out, C_in/g, k...].
int64_t largest_kernel(const sdk::OpView& op) {
    std::vector<int64_t> k = op.attr_ints("kernel_shape");
    if (k.empty() && op.op_type().find("Conv") != std::string_view::npos)
        if (const auto w = op.input(1); w && w->rank() >= 3)
            for (uint32_t d = 2; d < w->rank(); ++d) k.push_back(w->dim(d));
    return k.empty() ? 0 : *std::max_element(k.begin(), k.end());
}

bool is_depthwise(const sdk::OpView& op) {
    const int64_t group = op.attr_int("group", 1);
    const auto x = op.input(0);
    return group > 1 && x && x->dim(1) == group;
}

}  // namespace

LoweredGraph lower(const sdk::GraphView& graph, std::optional<DType> float_as) {
    LoweredGraph out;
    out.ops.reserve(graph.op_count());
    std::vector<bool> weight_seen(graph.value_count(), false);
    for (uint64_t i = 0; i < graph.op_count(); ++i) {
        const sdk::OpView op = graph.op(i);
        const wg_op_record& rec = op.record();
        const wg_dtype model = activation_dtype(op);
        OpDesc d;
        d.type = std::string(op.op_type());
        d.folded = d.type == "Constant";
        d.dtype = spec_dtype(model);
        d.dtype_name = model_dtype_name(model);
        const CompressedWeights weights = read_compression(op, weight_seen, d);
        // Re-typing scales the op's activation bytes by the width ratio: to int8 when the recipe
        // runs it in int8, to D for a float32 op under dtype=D. The option also re-types the
        // op's float32 weights, but never stored codes.
        double activation_scale = 1, weight_scale = 1;
        if (float_as && d.dtype == DType::fp32) weight_scale = width(*float_as) / width(DType::fp32);
        const bool is_float = d.dtype == DType::fp32 || d.dtype == DType::fp16 || d.dtype == DType::bf16;
        if (is_float && recipe_runs_int8(op, weights.any)) {
            activation_scale = width(DType::int8) / width(*d.dtype);
            d.dtype = DType::int8;
        } else if (float_as && d.dtype == DType::fp32) {
            activation_scale = weight_scale;
            d.dtype = float_as;
        }
        d.kernel = largest_kernel(op);
        d.depthwise = is_depthwise(op);
        const auto y = op.output(0);
        d.rank = y ? y->rank() : 0;
        d.dynamic = has_unknown_dim(op);
        d.macs = static_cast<double>(rec.macs);
        d.flops = static_cast<double>(rec.flops);
        const double record_weights = static_cast<double>(rec.weight_bytes);
        const double stored = std::min(weights.stored_here, record_weights);
        d.weight_bytes = (record_weights - stored) * weight_scale + stored;
        d.input_bytes = static_cast<double>(rec.input_bytes) * activation_scale;
        d.output_bytes = static_cast<double>(rec.output_bytes) * activation_scale;
        // 0 for an op that does not run (the If branch not taken or not counted); only a
        // malformed (negative or NaN) count falls back to one execution.
        d.multiplier = rec.multiplier >= 0 ? rec.multiplier : 1;
        for (uint64_t k = 0; k < op.input_count(); ++k) {
            const auto v = op.input(k);
            if (!v || v->is_weight() || v->producer() < 0 || static_cast<uint64_t>(v->producer()) >= i)
                continue;  // graph inputs and weights need no producer; a back edge cannot happen
            d.inputs.push_back({static_cast<size_t>(v->producer()), static_cast<double>(v->bytes()) * activation_scale});
        }
        out.ops.push_back(std::move(d));
    }
    const wg_report* report = graph.raw().report;
    if (report && report->totals) {
        const double scale = float_as ? width(*float_as) / width(DType::fp32) : 1;
        out.peak_activation_bytes = static_cast<double>(report->totals->peak_activation_bytes) * scale;
    }
    return out;
}

}  // namespace winglet::spec_target
