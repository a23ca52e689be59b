#include "lowering.hpp"

#include <algorithm>

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

// The dtype the op computes in: its first activation input's (its output's when it has none).
wg_dtype activation_dtype(const sdk::OpView& op) {
    for (uint64_t k = 0; k < op.input_count(); ++k)
        if (const auto v = op.input(k); v && !v->is_weight()) return v->dtype();
    const auto out = op.output(0);
    return out ? out->dtype() : WG_DTYPE_UNDEFINED;
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
    for (uint64_t i = 0; i < graph.op_count(); ++i) {
        const sdk::OpView op = graph.op(i);
        const wg_op_record& rec = op.record();
        const wg_dtype model = activation_dtype(op);
        OpDesc d;
        d.type = std::string(op.op_type());
        d.folded = d.type == "Constant";
        d.dtype = spec_dtype(model);
        d.dtype_name = model_dtype_name(model);
        // Re-typing float32 scales every byte count of the op by the width ratio.
        double scale = 1;
        if (float_as && d.dtype == DType::fp32) {
            scale = width(*float_as) / width(DType::fp32);
            d.dtype = float_as;
        }
        d.kernel = largest_kernel(op);
        d.depthwise = is_depthwise(op);
        const auto y = op.output(0);
        d.rank = y ? y->rank() : 0;
        d.dynamic = has_unknown_dim(op);
        d.macs = static_cast<double>(rec.macs);
        d.flops = static_cast<double>(rec.flops);
        d.weight_bytes = static_cast<double>(rec.weight_bytes) * scale;
        d.input_bytes = static_cast<double>(rec.input_bytes) * scale;
        d.output_bytes = static_cast<double>(rec.output_bytes) * scale;
        d.multiplier = rec.multiplier > 0 ? rec.multiplier : 1;
        for (uint64_t k = 0; k < op.input_count(); ++k) {
            const auto v = op.input(k);
            if (!v || v->is_weight() || v->producer() < 0 || static_cast<uint64_t>(v->producer()) >= i)
                continue;  // graph inputs and weights need no producer; a back edge cannot happen
            d.inputs.push_back({static_cast<size_t>(v->producer()), static_cast<double>(v->bytes()) * scale});
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
