// The table of shape rules by op type, filled by one function per family of ops.
#pragma once

#include "shapes/rule_context.hpp"

#include <functional>
#include <initializer_list>
#include <string>
#include <unordered_map>

namespace winglet::shapes {

struct ShapeRule {
    std::function<void(RuleContext&)> infer;
    // Also records output contents (Shape, Constant, Range...), so it runs even on nodes whose
    // outputs are already typed: a later Reshape may need what it computes.
    bool computes_values = false;
    // Computes the output's contents from known input contents (value_rules.cpp); runs after
    // `infer`, on every node whose op has one.
    std::function<void(RuleContext&)> evaluate;
    bool records_values() const { return computes_values || evaluate != nullptr; }
};

// Rules of the default ONNX domain, by op type.
using RuleTable = std::unordered_map<std::string, ShapeRule>;

inline void add_rule(RuleTable& table, std::initializer_list<const char*> op_types,
                     std::function<void(RuleContext&)> infer, bool computes_values = false) {
    for (const char* op : op_types) table[op] = ShapeRule{infer, computes_values, nullptr};
}

void add_elementwise_rules(RuleTable& table);   // unary, broadcasting, normalization, softmax
void add_spatial_rules(RuleTable& table);       // Conv, ConvTranspose, pooling, Resize, GridSample
void add_linalg_rules(RuleTable& table);        // Gemm, MatMul, Einsum (and integer/QLinear forms)
void add_reshape_rules(RuleTable& table);       // Reshape, Flatten, Transpose, (Un)Squeeze, Expand, Tile
void add_indexing_rules(RuleTable& table);      // Concat, Split, Slice, Gather, Pad, OneHot
void add_reduce_rules(RuleTable& table);        // Reduce*, ArgMax/ArgMin, TopK
void add_generator_rules(RuleTable& table);     // Shape, Size, Constant, ConstantOfShape, Range
void add_recurrent_rules(RuleTable& table);     // LSTM, GRU, RNN
void add_control_flow_rules(RuleTable& table);  // If, Loop
// Evaluators of small tensors' contents for ops that already have a shape rule (add them last).
void add_value_rules(RuleTable& table);

// Gives ops that have a shape rule an evaluator.
void set_evaluator(RuleTable& table, std::initializer_list<const char*> op_types,
                   std::function<void(RuleContext&)> evaluate);

// All rules, built once.
const RuleTable& shape_rules();

// Helpers several families share.

// Output i has input j's shape and dtype (or `dtype` when given).
void same_as_input(RuleContext& ctx, size_t output = 0, size_t input = 0, DType dtype = DType::Undefined);
// The dtype an attribute names by its ONNX code ("to", "dtype"); `fallback` when absent or unknown.
DType dtype_attribute(const RuleContext& ctx, const char* name, DType fallback);
// Length of a 1-D input (a shape, axes or repeats tensor) when known and reasonable.
std::optional<size_t> length_of_1d_input(const RuleContext& ctx, size_t input);
// The shape a "shape" input describes (Expand, ConstantOfShape): its contents as dims when known,
// else as many unknown dims as it has elements; nullopt when neither is known.
std::optional<Shape> shape_from_input(const RuleContext& ctx, size_t input);
// Passes input `input`'s known contents through to output 0 unchanged (Identity, Cast, Reshape...).
void forward_values(RuleContext& ctx, size_t input = 0);

// Rearranges input 0's known contents (shape `in`) into output 0 (shape `out`), for Slice and
// Transpose of small shape tensors: output element at multi-index `index` is input element
// `source(index, strides of in)`. Does nothing unless both shapes are fully known.
using SourceIndex = std::function<int64_t(const std::vector<int64_t>& index, const std::vector<int64_t>& in_strides)>;
void remap_values(RuleContext& ctx, const Shape& in, const Shape& out, const SourceIndex& source);

}  // namespace winglet::shapes
