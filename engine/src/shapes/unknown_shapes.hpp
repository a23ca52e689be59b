// Why values keep unknown shapes after the shape pass, and which command-line inputs would fix
// them: the report lists each value with the op where its unknown dims start, so a user sees
// "depends on the contents of 'sr'" rather than a bare count.
#pragma once

#include "shapes/rule_context.hpp"
#include "shapes/shape_inference.hpp"

#include <set>
#include <string>

namespace winglet::shapes {

bool is_onnx_domain(const std::string& domain);
// "Op" in the default domain, "domain:Op" elsewhere.
std::string op_label(const Node& node);
// "'name' (Op)", with " in subgraph 'g'" inside one.
std::string op_description(const Graph& graph, int index);
// "node " + op_description.
std::string node_label(const Graph& graph, int index);

// Fills stats.unknown (every node output of `root` and its subgraphs whose rank is unknown or that
// has a dim which is neither a number nor a named dim, with the reason; named dims are the
// analysis' assumed dims) and stats.suggestions (--input / --input-value options that would
// resolve some of them).
void explain_unknown_shapes(const Graph& root, const PassState& state, const std::set<std::string>& ops_without_rule,
                            ShapeInferenceStats& stats);

}  // namespace winglet::shapes
