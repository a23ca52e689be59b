// Target-independent analysis: per-op MACs/FLOPs/params/bytes and model totals.
//
// Conventions (cost_rules.hpp has the per-op ones):
// - ops: every op in execution order (topological, file order on ties), each followed by the
//   ops of its subgraphs; rules for subgraphs, multipliers and If branches in op_walk.hpp.
// - OpReport::macs/flops are per execution; totals.macs/flops = sum of op value * multiplier.
// - params/weight_bytes: each weight attributed to its first reader (weight_attribution.hpp);
//   the totals are the plain sums, so a shared weight counts once.
// - peak_activation_bytes: liveness over the topological schedule (liveness.hpp): an
//   activation is live from its producer's step (graph inputs: the start) to its last
//   consumer's step (graph outputs: the end); the peak is the largest sum of live bytes at one
//   step, which includes the outputs the step writes and its inputs, plus the peak of the
//   costliest subgraph a control-flow op runs at that step.
// - Unknown dims are taken as 1: the op is flagged (assumed_dims), the symbols are listed in
//   Report::assumed_dims and a warning says so.
// - Report::warnings starts with the model's import warnings, then the analysis' own.
// Throws InputError for a cyclic graph or a count that overflows 64 bits (naming op and shapes).
#pragma once

#include "graph/graph.hpp"
#include "report/report.hpp"

namespace winglet {

// Costs every op of `model` (subgraphs included), computes totals and peak activation memory
// from liveness over the topological schedule. Unknown dims are taken as 1 and reported.
Report analyze(const Model& model);

}  // namespace winglet
