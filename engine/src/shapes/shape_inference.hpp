// The engine's own shape inference: fills the shapes and dtypes the importer's inference left
// out (a model whose opset is newer than libonnx knows, values left untyped), for common ops.
#pragma once

#include "graph/graph.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace winglet {

struct ShapeInferenceStats {
    uint64_t inferred = 0;        // values (node outputs) whose shape this pass filled
    uint64_t still_unknown = 0;   // node outputs whose shape is still unknown afterwards
    std::vector<std::string> ops_without_rule;   // sorted op types ("domain:Op" outside ONNX's)
};

// Fills Value::shape / Value::dtype for values that lack them, walking nodes in topological order
// and recursing into subgraphs (Attribute::graph). The graph and its subgraphs must be linked
// (Graph::link). Never overwrites a known shape or dtype. Ops without a rule leave their outputs
// unknown and are listed; it throws InputError only for shapes that provably cannot hold (MatMul
// inner dims 3 vs 4, an axis out of range), naming the node.
ShapeInferenceStats infer_missing_shapes(Graph& graph);

// Replaces symbolic dims named in `overrides` with the given sizes everywhere in the graph (graph
// inputs, values, subgraphs); returns the names that matched no dim. Throws UsageError for a
// negative size. Shapes already derived from a symbol are not recomputed, so apply overrides
// before inference where possible.
std::vector<std::string> apply_dim_overrides(Graph& graph, const std::map<std::string, int64_t>& overrides);

}  // namespace winglet
