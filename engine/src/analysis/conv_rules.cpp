// Convolutions.
//   Conv:          X [N, C, d1..dn], W [M, C/group, k1..kn]
//                  MACs = output elements (N*M*o1..on) * (C/group * k1..kn), i.e. each output
//                  element is a dot product over one group's channels and the kernel window.
//                  Groups act through W's second dim; dilation, strides, pads and auto_pad
//                  through the output size, read from the IR (shape inference fills it).
//   ConvTranspose: X [N, C, d1..dn], W [C, M/group, k1..kn]
//                  MACs = input elements * (M/group * k1..kn): every input element is scattered
//                  over a kernel window of each output channel of its group (fvcore's
//                  convention; outputs later cropped by pads are still counted).
//   FLOPs = 2 * MACs + 1 per output element for a bias, + the fused activation (FusedConv) or
//   requantization (QLinearConv: scale multiply, round, zero-point add = 3 per output element).
#include "analysis/activation_costs.hpp"
#include "analysis/contraction.hpp"
#include "analysis/rule_registry.hpp"

namespace winglet::analysis {

namespace {

// Conv-like ops: the weight's dims after the first (C/group * kernel) are the MACs behind one
// output element.
Contraction conv_contraction(const OpContext& op, size_t w_input) {
    const Dims w = op.input_dims(w_input);
    const uint64_t outputs = op.output_elements(0);
    return {op.mul(outputs, op.product(w, 1, w.size())), outputs};
}

// Conv: X, W, B.
OpCost conv(OpContext& op) { return with_epilogue(op, conv_contraction(op, 1), present(op, 2)); }

// ConvInteger: X, W, x_zero_point, w_zero_point. Zero-point handling is not counted.
OpCost conv_integer(OpContext& op) { return with_epilogue(op, conv_contraction(op, 1), 0); }

// QLinearConv: x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B.
OpCost qlinear_conv(OpContext& op) {
    return with_epilogue(op, conv_contraction(op, 3), present(op, 8) + kRequantizeFlops);
}

// com.microsoft FusedConv: X, W, B, Z (a tensor added to the result), activation attribute.
OpCost fused_conv(OpContext& op) {
    const uint64_t per_output = present(op, 2) + present(op, 3) + fused_activation_flops(op);
    return with_epilogue(op, conv_contraction(op, 1), per_output);
}

OpCost conv_transpose(OpContext& op) {
    const Dims w = op.input_dims(1);
    const uint64_t macs = op.mul(op.input_elements(0), op.product(w, 1, w.size()));
    return with_epilogue(op, {macs, op.output_elements(0)}, present(op, 2));
}

constexpr CostRule kConv{"conv", conv};
constexpr CostRule kConvInteger{"conv_integer", conv_integer};
constexpr CostRule kQLinearConv{"qlinear_conv", qlinear_conv};
constexpr CostRule kFusedConv{"fused_conv", fused_conv};
constexpr CostRule kConvTranspose{"conv_transpose", conv_transpose};

}  // namespace

void add_conv_rules(RuleTable& table) {
    table.add(kOnnxDomain, "Conv", kConv);
    table.add(kOnnxDomain, "ConvInteger", kConvInteger);
    table.add(kOnnxDomain, "QLinearConv", kQLinearConv);
    table.add(kOnnxDomain, "ConvTranspose", kConvTranspose);
    table.add(kMicrosoftDomain, "FusedConv", kFusedConv);
    table.add(kMicrosoftDomain, "QLinearConv", kQLinearConv);
}

}  // namespace winglet::analysis
