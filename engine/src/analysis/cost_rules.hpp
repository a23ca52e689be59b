// Cost rules: how winglet counts the work of one operation. This comment is the contract users
// read; every rule file states its own formula next to the code.
//
// MAC   One multiply-accumulate (a * b + c). Counted only for contractions, the ops that
//       multiply operands and sum the products: Conv, ConvTranspose, ConvInteger, QLinearConv,
//       Gemm, MatMul, MatMulInteger, QLinearMatMul, Einsum, LSTM/GRU/RNN gate products (and the
//       com.microsoft FusedConv/FusedGemm/FusedMatMul). This is the convention behind the
//       published figures (ResNet-50 at 224x224: 4.1 GMACs) and the one fvcore, thop and
//       onnx-tool share for these ops.
// FLOP  2 per MAC (the multiply and the add), plus elementwise work: 1 FLOP per output element
//       per primitive arithmetic operation (add, sub, mul, div, compare/min/max, abs, neg,
//       round) and 1 per math function call (exp, log, sqrt, erf, tanh, sin, pow ...).
//       Composite activations count their primitives, written out per op in
//       elementwise_rules.cpp: Relu 1 (max), Sigmoid 4 (neg, exp, add, div), HardSwish 5,
//       Gelu 5 (div, erf, add, mul, mul) ... This is thop's (pytorch-OpCounter) unit-cost
//       convention; we deliberately do not use onnx-tool's x86 instruction weights (exp = 32),
//       which describe one CPU, not the model.
//       Bias adds, alpha/beta scaling and fused activations add FLOPs, never MACs.
//       Reductions of n elements cost n-1 adds (or compares); a mean adds one divide per output.
//       Normalizations, pooling, softmax, resize: see norm_rules.cpp, pool_rules.cpp,
//       reduce_rules.cpp, resize_rules.cpp.
// Data movement (Concat, Gather, Transpose, Reshape, Pad, Cast, Where, TopK, ...): 0 MACs and
//       0 FLOPs; their cost is the bytes they read and write.
// Bytes (computed by the analyzer for every op, rule or not): input_bytes = activations read
//       (distinct non-weight inputs; initializers and Constant-node outputs are weights),
//       output_bytes = activations written; weights: see weight_attribution.hpp.
// Shapes: rules read input and output dims from the IR (the importer's shape inference fills
// them) and never re-derive output sizes from attributes. Unknown dims are taken as 1 and the
// op is flagged (OpReport::assumed_dims). Every product is overflow-checked: a cost that does
// not fit 64 bits is an InputError naming the op and its input shapes.
// An op with no rule is reported with has_cost_rule = false and cost_rule = "none".
#pragma once

#include "analysis/op_context.hpp"

#include <cstdint>
#include <string_view>

namespace winglet::analysis {

struct OpCost {
    uint64_t macs = 0;
    uint64_t flops = 0;
};

struct CostRule {
    std::string_view name;              // shown as OpReport::cost_rule, e.g. "conv"
    OpCost (*estimate)(OpContext& op);  // MACs/FLOPs of one execution of the op
};

// The rule for an op type, or nullptr. "" and "ai.onnx" both name the default ONNX domain.
const CostRule* find_cost_rule(std::string_view domain, std::string_view op_type);

}  // namespace winglet::analysis
