// Ops whose output has the shape of an input or of their broadcast inputs: unary math and
// activations, binary and variadic arithmetic, comparisons, Where, normalizations, Softmax,
// Cast, Dropout, (De)QuantizeLinear.
#include "shapes/rules.hpp"

#include <algorithm>
#include <cstdint>

namespace winglet::shapes {
namespace {

// Broadcast shape of inputs [first, end); nullopt when any present input's rank is unknown.
std::optional<Shape> broadcast_inputs(const RuleContext& ctx, size_t first = 0) {
    std::optional<Shape> out;
    for (size_t i = first; i < ctx.input_count(); ++i) {
        if (!ctx.has_input(i)) continue;
        const std::optional<Shape>& shape = ctx.input_shape(i);
        if (!shape) return std::nullopt;
        out = out ? broadcast_shapes(*out, *shape) : *shape;
    }
    return out;
}

void broadcast_rule(RuleContext& ctx, DType dtype) {
    ctx.set_output(0, broadcast_inputs(ctx), dtype == DType::Undefined ? ctx.input_dtype(0) : dtype);
}

// LayerNormalization's Mean and InvStdDev: the input shape with the normalized axes set to 1.
void layer_norm_rule(RuleContext& ctx) {
    same_as_input(ctx);
    const auto& x = ctx.input_shape(0);
    std::optional<Shape> stats;
    if (x) {
        const size_t axis = normalize_axis(ctx.node().attr_int("axis", -1), x->size());
        stats = *x;
        for (size_t i = axis; i < stats->size(); ++i) (*stats)[i] = Dim::of(1);
    }
    const auto stash = dtype_from_code(static_cast<uint32_t>(ctx.node().attr_int("stash_type", 1)));
    for (size_t out = 1; out < 3; ++out) ctx.set_output(out, stats, stash.value_or(DType::Float32));
}

void cast_rule(RuleContext& ctx) { same_as_input(ctx, 0, 0, dtype_attribute(ctx, "to", DType::Undefined)); }

void quantize_rule(RuleContext& ctx) {
    const DType zero_point = ctx.input_dtype(2);
    const DType fallback = zero_point != DType::Undefined ? zero_point : DType::UInt8;
    same_as_input(ctx, 0, 0, dtype_attribute(ctx, "output_dtype", fallback));
}

void dequantize_rule(RuleContext& ctx) {
    const DType scale = ctx.input_dtype(1);
    same_as_input(ctx, 0, 0, scale != DType::Undefined ? scale : DType::Float32);
}

void dynamic_quantize_rule(RuleContext& ctx) {
    same_as_input(ctx, 0, 0, DType::UInt8);
    ctx.set_output(1, Shape{}, DType::Float32);
    ctx.set_output(2, Shape{}, DType::UInt8);
}

}  // namespace

void add_elementwise_rules(RuleTable& t) {
    add_rule(t, {"Abs", "Acos", "Acosh", "Asin", "Asinh", "Atan", "Atanh", "Ceil", "Cos", "Cosh", "Erf",
                 "Exp", "Floor", "Log", "Reciprocal", "Round", "Sign", "Sin", "Sinh", "Sqrt", "Tan",
                 "Tanh", "BitwiseNot",
                 // activations
                 "Relu", "LeakyRelu", "PRelu", "Elu", "Selu", "Celu", "Gelu", "Sigmoid", "HardSigmoid",
                 "HardSwish", "Mish", "Softplus", "Softsign", "ThresholdedRelu", "Clip", "Shrink",
                 // softmax family and normalizations that keep the shape
                 "Softmax", "LogSoftmax", "Hardmax", "InstanceNormalization", "GroupNormalization",
                 "LpNormalization", "MeanVarianceNormalization", "LRN",
                 // same shape as the data input
                 "CumSum", "Trilu", "ReverseSequence", "Scatter", "ScatterElements", "ScatterND"},
             [](RuleContext& ctx) { same_as_input(ctx); });
    add_rule(t, {"IsNaN", "IsInf"}, [](RuleContext& ctx) { same_as_input(ctx, 0, 0, DType::Bool); });
    add_rule(t, {"Not"}, [](RuleContext& ctx) { same_as_input(ctx, 0, 0, DType::Bool); });
    add_rule(t, {"Neg"}, [](RuleContext& ctx) { same_as_input(ctx); });

    add_rule(t, {"Add", "Sub", "Mul", "Div", "Pow", "Mod", "BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor", "Sum",
                 "Mean", "Max", "Min"},
             [](RuleContext& ctx) { broadcast_rule(ctx, DType::Undefined); });
    add_rule(t, {"Equal", "And", "Or", "Xor", "Less", "Greater", "LessOrEqual", "GreaterOrEqual"},
             [](RuleContext& ctx) { broadcast_rule(ctx, DType::Bool); });
    add_rule(t, {"Where"}, [](RuleContext& ctx) { ctx.set_output(0, broadcast_inputs(ctx), ctx.input_dtype(1)); });

    add_rule(t, {"Identity"}, [](RuleContext& ctx) { same_as_input(ctx); });
    add_rule(t, {"Dropout"}, [](RuleContext& ctx) {
        same_as_input(ctx);
        same_as_input(ctx, 1, 0, DType::Bool);   // the mask
    });
    add_rule(t, {"Cast"}, cast_rule);
    add_rule(t, {"CastLike"}, [](RuleContext& ctx) { same_as_input(ctx, 0, 0, ctx.input_dtype(1)); });

    add_rule(t, {"BatchNormalization"}, [](RuleContext& ctx) {
        same_as_input(ctx);
        // Training-mode outputs (running/saved mean and variance) are per channel, like scale.
        for (size_t out = 1; out < ctx.output_count(); ++out) same_as_input(ctx, out, 1);
    });
    add_rule(t, {"LayerNormalization"}, layer_norm_rule);

    add_rule(t, {"QuantizeLinear"}, quantize_rule);
    add_rule(t, {"DequantizeLinear"}, dequantize_rule);
    add_rule(t, {"DynamicQuantizeLinear"}, dynamic_quantize_rule);
}

}  // namespace winglet::shapes
