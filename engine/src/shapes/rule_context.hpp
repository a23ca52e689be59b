// What a shape rule sees of one node: its inputs' shapes, dtypes and constant contents, and where
// it writes what it inferred.
#pragma once

#include "graph/graph.hpp"
#include "shapes/dims.hpp"

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace winglet::shapes {

// Contents of small integer tensors learnt during the pass (Shape outputs, Concat of them, ...),
// so that a Reshape whose target shape is computed at run time still gets an output shape.
using KnownValues = std::unordered_map<const Value*, SymbolicInts>;

// Tensors larger than this are never read or tracked as values: shape arguments are tiny, and
// this bounds the work on hostile files.
inline constexpr uint64_t kMaxValueElements = 4096;

// Contents of a small integer tensor (at most kMaxValueElements, bytes present); nullopt otherwise.
std::optional<std::vector<int64_t>> small_int_contents(const Weight& w);

class RuleContext {
public:
    RuleContext(Graph& graph, int node_index, KnownValues& known,
                const std::function<void(Graph&)>& infer_subgraph);

    const Node& node() const { return graph_.nodes[node_index_]; }
    const Graph& graph() const { return graph_; }

    size_t input_count() const { return node().inputs.size(); }
    bool has_input(size_t i) const { return input(i) != nullptr; }
    // The value read as input i, resolved through enclosing graphs; nullptr when absent.
    const Value* input(size_t i) const;
    // nullopt when the input is absent or its rank is unknown.
    const std::optional<Shape>& input_shape(size_t i) const;
    DType input_dtype(size_t i) const;

    // Contents of input i when it is a small integer tensor known now: a weight, a Constant, or
    // a value computed from shapes earlier in the pass.
    std::optional<SymbolicInts> input_values(size_t i) const;
    // The same when every element is a known integer.
    std::optional<std::vector<int64_t>> input_ints(size_t i) const;
    // Contents of a small numeric weight (integer or float32/float64), e.g. Resize scales.
    std::optional<std::vector<double>> input_numbers(size_t i) const;
    // Integers an op takes as attribute `attr` in older opsets and as input `i` in newer ones
    // (Squeeze axes, Split sizes, Pad pads...). Empty when neither is given; nullopt when the
    // input is given but its contents are not known.
    std::optional<std::vector<int64_t>> ints_from_attr_or_input(const std::string& attr, size_t i) const;

    size_t output_count() const { return node().outputs.size(); }
    bool has_output(size_t i) const { return i < output_count() && node().outputs[i] >= 0; }
    // Fills output i's shape and dtype where they are missing; a known shape or dtype is never
    // overwritten. Absent outputs are ignored.
    void set_output(size_t i, std::optional<Shape> shape, DType dtype);
    // Records the contents of output i (a small integer tensor) for later rules.
    void set_output_values(size_t i, SymbolicInts values);

    // Runs shape inference on a subgraph of this node (If branches, Loop body) now, so that the
    // rule can read its outputs.
    void infer_subgraph(Graph& subgraph) const { infer_subgraph_(subgraph); }

    [[noreturn]] void fail(const std::string& message) const { throw ShapeError(message); }

private:
    Graph& graph_;
    int node_index_;
    KnownValues& known_;
    const std::function<void(Graph&)>& infer_subgraph_;
};

}  // namespace winglet::shapes
