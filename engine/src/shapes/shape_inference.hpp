// The engine's own shape inference: completes the shapes and dtypes the importer's inference left
// unknown, evaluating the small tensors shapes are computed from (Shape → Gather → Concat →
// Reshape, Range, Pad amounts, If conditions) as ONNX Runtime would for the given inputs.
#pragma once

#include "graph/graph.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace winglet {

struct ShapeInferenceStats {
    uint64_t inferred = 0;        // node outputs whose shape this pass filled in or refined
    uint64_t still_unknown = 0;   // node outputs whose rank or some unnamed dim is still unknown afterwards
    std::vector<std::string> ops_without_rule;   // sorted op types ("domain:Op" outside ONNX's)
    std::vector<UnknownShape> unknown;           // each of the still_unknown outputs, graph by graph
    // Command-line options that would resolve some of them ("--input-value sr=V: ...").
    std::vector<std::string> suggestions;
    // Notes for the user: dims a rule computed that contradict a known dim the importer gave (the
    // known one is kept); integer contents too large to evaluate.
    std::vector<std::string> notes;
};

struct ShapeInferenceOptions {
    // --input-value NAME=V[,V...]: contents of main-graph inputs, as text, parsed by the input's
    // dtype. They are used to evaluate shapes and If/Loop control, never to cost anything.
    std::map<std::string, std::vector<std::string>> input_values;
};

// Completes Value::shape / Value::dtype, walking nodes in topological order and recursing into
// subgraphs (Attribute::graph). The graph and its subgraphs must be linked (Graph::link). A known
// dim or dtype is never overwritten; an unknown or symbolic dim takes the size a rule computes.
// Records If conditions and Loop trip counts that evaluate in Node::evaluated. Ops without a rule
// leave their outputs unknown and are listed. Throws InputError for shapes that provably cannot
// hold (MatMul inner dims 3 vs 4, an axis out of range), naming the node, and UsageError for an
// --input-value that names no input or does not fit it.
ShapeInferenceStats infer_missing_shapes(Graph& graph, const ShapeInferenceOptions& options = {});

// Replaces symbolic dims named in `overrides` with the given sizes everywhere in the graph (graph
// inputs, values, subgraphs); returns the names that matched no dim. Throws UsageError for a
// negative size. Shapes already derived from a symbol are not recomputed, so apply overrides
// before inference where possible.
std::vector<std::string> apply_dim_overrides(Graph& graph, const std::map<std::string, int64_t>& overrides);

// --input NAME=DIMS: gives main-graph inputs these shapes, whatever their stored dims. Throws
// UsageError for a name that is not an input of the model (the inputs are listed).
void apply_input_shapes(Graph& graph, const std::map<std::string, std::vector<int64_t>>& shapes);

}  // namespace winglet
