// Elementwise ops: FLOPs = output elements x per-element cost, 0 MACs.
// Per-element costs count primitive operations (add, sub, mul, div, compare/min/max, abs, neg,
// round) and math function calls (exp, log, sqrt, erf, tanh, sin, pow, ...) as 1 FLOP each,
// following thop's unit-cost convention (see cost_rules.hpp). The formula each number counts is
// written next to it.
#include "analysis/activation_costs.hpp"
#include "analysis/rule_registry.hpp"

namespace winglet::analysis {

namespace {

struct ElementCost {
    std::string_view domain;
    std::string_view op;
    uint64_t flops;  // per output element
};

constexpr std::string_view ms = kMicrosoftDomain;
constexpr std::string_view onnx = kOnnxDomain;

// clang-format off
constexpr ElementCost kElementCosts[] = {
    // Activations.
    {onnx, "Relu", 1},             // max(x, 0)
    {onnx, "LeakyRelu", 2},        // compare, mul
    {onnx, "PRelu", 2},            // compare, mul (binary: slope is an input)
    {onnx, "ThresholdedRelu", 1},  // compare
    {onnx, "Sigmoid", 4},          // 1 / (1 + exp(-x)): neg, exp, add, div
    {onnx, "HardSigmoid", 4},      // max(0, min(1, a*x + b)): mul, add, min, max
    {onnx, "HardSwish", 5},        // x * HardSigmoid(x)
    {onnx, "Tanh", 1},             // math function
    {onnx, "Softplus", 3},         // log(exp(x) + 1)
    {onnx, "Softsign", 3},         // x / (1 + |x|)
    {onnx, "Elu", 4},              // x < 0 ? a*(exp(x) - 1) : x: compare, exp, sub, mul
    {onnx, "Selu", 5},             // Elu + scale: compare, exp, mul, sub, mul
    {onnx, "Celu", 7},             // max(0,x) + min(0, a*(exp(x/a) - 1))
    {onnx, "Mish", 5},             // x * tanh(softplus(x)): exp, add, log, tanh, mul
    {onnx, "Gelu", 5},             // 0.5*x*(1 + erf(x/sqrt2)): div, erf, add, mul, mul
    {onnx, "Clip", 2},             // min, max
    {onnx, "Shrink", 3},           // two compares, one add/sub
    {onnx, "Affine", 2},           // RNN activation a*x + b (opset-1 experimental op)
    {onnx, "ScaledTanh", 3},       // RNN activation a * tanh(b*x)
    // Math functions and simple unary ops: 1 each.
    {onnx, "Exp", 1}, {onnx, "Log", 1}, {onnx, "Sqrt", 1}, {onnx, "Reciprocal", 1},
    {onnx, "Erf", 1}, {onnx, "Sin", 1}, {onnx, "Cos", 1}, {onnx, "Tan", 1}, {onnx, "Asin", 1},
    {onnx, "Acos", 1}, {onnx, "Atan", 1}, {onnx, "Sinh", 1}, {onnx, "Cosh", 1},
    {onnx, "Asinh", 1}, {onnx, "Acosh", 1}, {onnx, "Atanh", 1}, {onnx, "Abs", 1},
    {onnx, "Neg", 1}, {onnx, "Sign", 1}, {onnx, "Ceil", 1}, {onnx, "Floor", 1},
    {onnx, "Round", 1}, {onnx, "Not", 1}, {onnx, "BitwiseNot", 1}, {onnx, "IsNaN", 1},
    {onnx, "IsInf", 1},
    // Binary arithmetic, comparison and logic: 1 per output element.
    {onnx, "Add", 1}, {onnx, "Sub", 1}, {onnx, "Mul", 1}, {onnx, "Div", 1}, {onnx, "Pow", 1},
    {onnx, "Mod", 1}, {onnx, "BitShift", 1}, {onnx, "And", 1}, {onnx, "Or", 1},
    {onnx, "Xor", 1}, {onnx, "Equal", 1}, {onnx, "Less", 1}, {onnx, "LessOrEqual", 1},
    {onnx, "Greater", 1}, {onnx, "GreaterOrEqual", 1}, {onnx, "BitwiseAnd", 1},
    {onnx, "BitwiseOr", 1}, {onnx, "BitwiseXor", 1},
    // Quantization.
    {onnx, "QuantizeLinear", 5},         // x / scale, round, + zero point, saturate (min, max)
    {onnx, "DequantizeLinear", 2},       // (x - zero point) * scale
    {onnx, "DynamicQuantizeLinear", 7},  // running min and max (2 compares) + QuantizeLinear
    // ONNX Runtime contrib ops.
    {ms, "Gelu", 5},       // as ONNX Gelu
    {ms, "FastGelu", 9},   // tanh form: x^3 (2 mul), mul, add, mul, tanh, add, mul, mul
    {ms, "BiasGelu", 6},   // bias add + Gelu
    {ms, "QuickGelu", 6},  // x * sigmoid(a*x): mul, sigmoid (4), mul
};  // clang-format on

constexpr uint64_t kGeluTanhFlops = 9;  // same count as FastGelu

const ElementCost* find_cost(std::string_view domain, std::string_view op) {
    for (const ElementCost& c : kElementCosts)
        if (c.op == op && c.domain == domain) return &c;
    return nullptr;
}

uint64_t per_element_flops(const Node& node) {
    if (node.op_type == "Gelu" && node.attr_string("approximate", "none") == "tanh")
        return kGeluTanhFlops;
    const std::string_view domain = node.domain == "ai.onnx" ? kOnnxDomain : node.domain;
    const ElementCost* cost = find_cost(domain, node.op_type);
    return cost ? cost->flops : 0;  // registered ops always have an entry
}

OpCost elementwise(OpContext& op) {
    return {0, op.mul(op.broadcast_output_elements(), per_element_flops(op.node()))};
}

// Sum/Max/Min of n inputs: n-1 binary ops per output element; Mean adds one divide.
OpCost variadic(OpContext& op) {
    uint64_t inputs = 0;
    for (size_t i = 0; i < op.input_count(); ++i) inputs += op.has_input(i) ? 1 : 0;
    const uint64_t per_element =
        op.node().op_type == "Mean" ? inputs : (inputs > 0 ? inputs - 1 : 0);
    return {0, op.mul(op.broadcast_output_elements(), per_element)};
}

constexpr CostRule kElementwise{"elementwise", elementwise};
constexpr CostRule kVariadic{"elementwise.variadic", variadic};

}  // namespace

std::optional<uint64_t> activation_flops(std::string_view name) {
    const ElementCost* cost = find_cost(kOnnxDomain, name);
    if (!cost) return std::nullopt;
    return cost->flops;
}

uint64_t fused_activation_flops(OpContext& op) {
    const std::string activation = op.node().attr_string("activation", "");
    if (activation.empty()) return 0;
    const auto flops = activation_flops(activation);
    if (!flops) op.warn("activation '" + activation + "' has no cost rule; counted as 1 FLOP");
    return flops.value_or(1);
}

void add_elementwise_rules(RuleTable& table) {
    for (const ElementCost& c : kElementCosts) table.add(c.domain, c.op, kElementwise);
    table.add(kOnnxDomain, {"Sum", "Max", "Min", "Mean"}, kVariadic);
}

}  // namespace winglet::analysis
