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

// Integer arithmetic and equality on shape values (Mul of a Gather'ed dim by 64, Equal of a rank
// to 3, ...). Unknown when an operand is unknown, except for x*1, x+0, x-0, x/1 (which keep a
// symbol) and a symbol compared with itself.
SymbolicInt combine(char op, const SymbolicInt& a, const SymbolicInt& b) {
    if (op == '=') {
        if (a.value && b.value) return SymbolicInt::of(*a.value == *b.value ? 1 : 0);
        const bool same_symbol = !a.value && !b.value && !a.symbol.empty() && a.symbol == b.symbol;
        return same_symbol ? SymbolicInt::of(1) : SymbolicInt{};
    }
    const bool b_is_identity = b.value && *b.value == ((op == '*' || op == '/') ? 1 : 0);
    if (b_is_identity) return a;
    if ((op == '*' && a.value == 1) || (op == '+' && a.value == 0)) return b;
    if (!a.value || !b.value) return SymbolicInt{};
    int64_t r = 0;
    bool overflow = false;
    switch (op) {
        case '+': overflow = __builtin_add_overflow(*a.value, *b.value, &r); break;
        case '-': overflow = __builtin_sub_overflow(*a.value, *b.value, &r); break;
        case '*': overflow = __builtin_mul_overflow(*a.value, *b.value, &r); break;
        default:
            if (*b.value == 0 || (*a.value == INT64_MIN && *b.value == -1)) return SymbolicInt{};
            r = *a.value / *b.value;   // integer Div truncates, as runtimes do
    }
    return overflow ? SymbolicInt{} : SymbolicInt::of(r);
}

void arithmetic_values(RuleContext& ctx, char op) {
    for (size_t i = 0; i < 2; ++i) {
        const auto& shape = ctx.input_shape(i);
        if (!shape || shape->size() > 1) return;   // values are tracked flat: scalars and 1-D only
    }
    auto a = ctx.input_values(0);
    auto b = ctx.input_values(1);
    if (!a || !b || (a->size() != b->size() && a->size() != 1 && b->size() != 1)) return;
    const size_t n = std::max(a->size(), b->size());
    SymbolicInts out(n);
    for (size_t i = 0; i < n; ++i)
        out[i] = combine(op, (*a)[a->size() == 1 ? 0 : i], (*b)[b->size() == 1 ? 0 : i]);
    ctx.set_output_values(0, std::move(out));
}

void arithmetic_rule(RuleContext& ctx, char op) {
    broadcast_rule(ctx, op == '=' ? DType::Bool : DType::Undefined);
    arithmetic_values(ctx, op);
}

// Known integer contents mapped element by element (Neg, Not, Cast to bool); unknown elements
// stay unknown.
void map_values(RuleContext& ctx, int64_t (*fn)(int64_t)) {
    auto values = ctx.input_values(0);
    if (!values) return;
    for (SymbolicInt& v : *values) v = v.value ? SymbolicInt::of(fn(*v.value)) : SymbolicInt{};
    ctx.set_output_values(0, std::move(*values));
}

int64_t negate(int64_t v) { return v == INT64_MIN ? v : -v; }   // wraps like the runtime would
int64_t logical_not(int64_t v) { return v == 0 ? 1 : 0; }
int64_t to_bool(int64_t v) { return v != 0 ? 1 : 0; }

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

// Contents pass through casts between integer types (and to bool); a float cast would make a
// later Div inexact, so it drops them.
void cast_rule(RuleContext& ctx) {
    const DType to = dtype_attribute(ctx, "to", DType::Undefined);
    same_as_input(ctx, 0, 0, to);
    if (to == DType::Bool) map_values(ctx, to_bool);
    else if (to != DType::Undefined && !dtype_is_float(to) && to != DType::String) forward_values(ctx);
}

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
    add_rule(t, {"Not"}, [](RuleContext& ctx) { same_as_input(ctx, 0, 0, DType::Bool); map_values(ctx, logical_not); }, true);
    add_rule(t, {"Neg"}, [](RuleContext& ctx) { same_as_input(ctx); map_values(ctx, negate); }, true);

    add_rule(t, {"Pow", "Mod", "BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor", "Sum", "Mean", "Max", "Min"},
             [](RuleContext& ctx) { broadcast_rule(ctx, DType::Undefined); });
    add_rule(t, {"Add"}, [](RuleContext& ctx) { arithmetic_rule(ctx, '+'); }, true);
    add_rule(t, {"Sub"}, [](RuleContext& ctx) { arithmetic_rule(ctx, '-'); }, true);
    add_rule(t, {"Mul"}, [](RuleContext& ctx) { arithmetic_rule(ctx, '*'); }, true);
    add_rule(t, {"Div"}, [](RuleContext& ctx) { arithmetic_rule(ctx, '/'); }, true);
    add_rule(t, {"Equal"}, [](RuleContext& ctx) { arithmetic_rule(ctx, '='); }, true);
    add_rule(t, {"And", "Or", "Xor", "Less", "Greater", "LessOrEqual", "GreaterOrEqual"},
             [](RuleContext& ctx) { broadcast_rule(ctx, DType::Bool); });
    add_rule(t, {"Where"}, [](RuleContext& ctx) { ctx.set_output(0, broadcast_inputs(ctx), ctx.input_dtype(1)); });

    add_rule(t, {"Identity"}, [](RuleContext& ctx) { same_as_input(ctx); forward_values(ctx); }, true);
    add_rule(t, {"Dropout"}, [](RuleContext& ctx) {
        same_as_input(ctx);
        same_as_input(ctx, 1, 0, DType::Bool);   // the mask
    });
    add_rule(t, {"Cast"}, cast_rule, true);
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
