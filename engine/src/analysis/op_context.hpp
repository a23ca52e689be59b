// What a cost rule sees of one node: its inputs and outputs resolved through enclosing graphs,
// their dims with unknowns taken as 1, and arithmetic that reports overflow with the op's name.
#pragma once

#include "analysis/shape_math.hpp"
#include "graph/graph.hpp"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace winglet::analysis {

class OpContext {
public:
    OpContext(const Graph& graph, const Node& node);

    const Node& node() const { return node_; }
    const Graph& graph() const { return graph_; }
    // "op 'name' (OpType)", the prefix of every message about this op.
    std::string label() const;

    // Input/output i resolved through enclosing scopes; nullptr when absent (optional input left
    // empty, or fewer inputs than i).
    const Value* input(size_t i) const;
    const Value* output(size_t i) const;
    bool has_input(size_t i) const { return input(i) != nullptr; }
    size_t input_count() const { return node_.inputs.size(); }

    // Dims with unknowns taken as 1 (the analyzer flags the op); empty when absent or rank unknown.
    Dims input_dims(size_t i) const;
    Dims output_dims(size_t i) const;
    uint64_t input_elements(size_t i) const { return product(input_dims(i)); }
    uint64_t output_elements(size_t i) const { return product(output_dims(i)); }
    // Output i's element count for elementwise ops: the IR's dims where known, the numpy
    // broadcast of all inputs where not (or when the output's rank is unknown).
    uint64_t broadcast_output_elements(size_t i = 0) const;

    // Overflow-checked arithmetic: throws InputError naming the op and its input shapes.
    uint64_t mul(uint64_t a, uint64_t b) const;
    uint64_t add(uint64_t a, uint64_t b) const;
    uint64_t product(const Dims& dims) const;
    uint64_t product(std::initializer_list<uint64_t> factors) const;
    uint64_t product(const Dims& dims, size_t begin, size_t end) const;

    // A note for Report::warnings (e.g. an Einsum equation that does not parse).
    void warn(const std::string& message) { warnings_.push_back(label() + ": " + message); }
    const std::vector<std::string>& warnings() const { return warnings_; }

private:
    const Value* resolve(int value_index) const;
    [[noreturn]] void overflow() const;

    const Graph& graph_;
    const Node& node_;
    std::vector<std::string> warnings_;
};

// Whether `node` is the default-domain ONNX op `op_type` ("" and "ai.onnx" name that domain).
inline bool is_onnx_op(const Node& node, std::string_view op_type) {
    return node.op_type == op_type && (node.domain.empty() || node.domain == "ai.onnx");
}

// 1 when optional input `input` is present (a bias, a summed tensor), else 0: for rules that
// add per-element work for each optional operand.
inline uint64_t present(const OpContext& op, size_t input) { return op.has_input(input) ? 1 : 0; }

}  // namespace winglet::analysis
