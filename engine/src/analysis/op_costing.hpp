// Costs one node: its rule's MACs/FLOPs and the activation bytes it reads and writes.
#pragma once

#include "graph/graph.hpp"
#include "report/report.hpp"

#include <set>
#include <string>
#include <vector>

namespace winglet::analysis {

// What the analysis tells the user besides the numbers.
struct AnalysisNotes {
    std::vector<std::string> warnings;
    std::set<std::string> assumed_dims;  // symbols taken as 1 ("?" for unnamed dims)
};

// The node's OpReport without the fields that depend on its place in the model (scope,
// in_subgraph, multiplier, params, weight_bytes). Activation bytes: distinct non-weight inputs
// read, non-weight outputs written.
OpReport cost_op(const Graph& graph, const Node& node, AnalysisNotes& notes);

}  // namespace winglet::analysis
