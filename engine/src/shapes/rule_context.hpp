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

// Contents of small tensors learnt during the pass (Shape outputs, Concat of them, arithmetic on
// them, If conditions, ...), so that a Reshape whose target shape is computed at run time still
// gets an output shape.
using KnownValues = std::unordered_map<const Value*, Elements>;

// A dim a rule computed that contradicts the known dim already on the value (the importer's, or
// a declared value_info): the known one is kept.
struct ShapeConflict {
    const Graph* graph = nullptr;
    int node = -1;
    std::string value;
    Shape kept, computed;
};

// What the pass shares between the rules of all nodes.
struct PassState {
    KnownValues known;
    std::vector<ShapeConflict> conflicts;
};

// Tensors larger than this are never read or tracked as values: shape arguments are tiny, and
// this bounds the work on hostile files.
inline constexpr uint64_t kMaxValueElements = 4096;
// Floating-point contents matter for shapes only as small arguments (Resize scales, a scale
// factor in size arithmetic); larger float tensors are data and are never decoded.
inline constexpr uint64_t kMaxRealElements = 64;

// Contents of a small integer tensor (at most kMaxValueElements, bytes present); nullopt otherwise.
std::optional<std::vector<int64_t>> small_int_contents(const Weight& w);
// Contents of a small tensor of any integer, bool or float32/float64 dtype as elements; nullopt
// for other dtypes, large tensors or missing bytes.
std::optional<Elements> small_contents(const Weight& w);

class RuleContext {
public:
    RuleContext(Graph& graph, int node_index, PassState& state,
                const std::function<void(Graph&)>& infer_subgraph);

    const Node& node() const { return graph_.nodes[node_index_]; }
    // What evaluation showed about a control-flow node (If condition, Loop trip count).
    ControlFacts& facts() { return graph_.nodes[node_index_].evaluated; }
    const Graph& graph() const { return graph_; }

    size_t input_count() const { return node().inputs.size(); }
    bool has_input(size_t i) const { return input(i) != nullptr; }
    // The value read as input i, resolved through enclosing graphs; nullptr when absent.
    const Value* input(size_t i) const;
    // nullopt when the input is absent or its rank is unknown.
    const std::optional<Shape>& input_shape(size_t i) const;
    DType input_dtype(size_t i) const;

    // Contents of input i when it is a small tensor known now: a weight, a Constant, a graph
    // input given with --input-value, or a value computed earlier in the pass.
    std::optional<Elements> input_values(size_t i) const;
    // Known contents of any value (a subgraph's output, ...).
    std::optional<Elements> values_of(const Value& v) const;
    // The same when every element is a known integer.
    std::optional<std::vector<int64_t>> input_ints(size_t i) const;
    // The same as numbers whatever the dtype (integer or floating point), e.g. Resize scales.
    std::optional<std::vector<double>> input_numbers(size_t i) const;
    // Integers an op takes as attribute `attr` in older opsets and as input `i` in newer ones
    // (Squeeze axes, Split sizes, Pad pads...). Empty when neither is given; nullopt when the
    // input is given but its contents are not known.
    std::optional<std::vector<int64_t>> ints_from_attr_or_input(const std::string& attr, size_t i) const;

    size_t output_count() const { return node().outputs.size(); }
    bool has_output(size_t i) const { return i < output_count() && node().outputs[i] >= 0; }
    // Fills output i's shape and dtype where they are missing, and refines a shape of the same
    // rank dim by dim: an unknown dim takes the computed size or symbol. A known dim or dtype is
    // never overwritten; a computed dim that contradicts it is recorded as a conflict. Absent
    // outputs are ignored.
    void set_output(size_t i, std::optional<Shape> shape, DType dtype);
    // Records the contents of output i (a small tensor) for later rules.
    void set_output_values(size_t i, Elements values);
    // The shape and dtype output i has now (after set_output).
    const std::optional<Shape>& output_shape(size_t i) const;
    DType output_dtype(size_t i) const;

    // Runs shape inference on a subgraph of this node (If branches, Loop body) now, so that the
    // rule can read its outputs.
    void infer_subgraph(Graph& subgraph) const { infer_subgraph_(subgraph); }

    [[noreturn]] void fail(const std::string& message) const { throw ShapeError(message); }

private:
    Graph& graph_;
    int node_index_;
    PassState& state_;
    const std::function<void(Graph&)>& infer_subgraph_;
};

}  // namespace winglet::shapes
