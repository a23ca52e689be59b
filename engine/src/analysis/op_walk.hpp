// The ops of a model in execution order, subgraphs included, each costed and placed: its scope
// and how many times it runs per inference.
//
// Subgraphs: each control-flow op is followed by the ops of its subgraphs, whose scope is
// prefixed with "<parent scope>/<parent node name>/<attribute name>" and in_subgraph = true.
//   Loop: the body runs M times when the trip count M evaluates (a constant, or computed from
//         constants and the given inputs by the shape pass; an upper bound when the loop also
//         has a condition); otherwise once per execution, with a warning.
//   Scan: the body runs once per element of the first scan input along its scan axis.
//   If:   both branches are listed. When the shape pass evaluated the condition, the branch
//         that runs is counted (its ops say branch "taken") and the other's ops get multiplier
//         0 ("not taken"). Otherwise the totals count the costlier one (by FLOPs, then MACs;
//         then_branch on a tie; "counted" / "not counted"), a worst-case latency bound, not an
//         average, with a warning. Ops nested in a branch that does not count inherit its status.
//   Other ops with subgraphs: bodies counted once per execution, with a warning.
#pragma once

#include "analysis/op_costing.hpp"
#include "graph/graph.hpp"
#include "report/report.hpp"

#include <cstdint>
#include <vector>

namespace winglet::analysis {

struct ScheduledOp {
    OpReport report;
    const Graph* graph = nullptr;  // the graph the node belongs to
    const Node* node = nullptr;
    uint64_t runs = 1;  // executions per inference (report.multiplier)
};

std::vector<ScheduledOp> walk_ops(const Graph& graph, const std::vector<int>& order,
                                  AnalysisNotes& notes);

}  // namespace winglet::analysis
