// The analysis of a compressed model: the uncompressed report with each compressed weight at its
// stored size, the compression of each op, and for channel pruning the MACs and FLOPs the removed
// channels no longer cost in the pruned op and downstream.
#pragma once

#include "compression/apply_recipe.hpp"
#include "graph/graph.hpp"
#include "report/report.hpp"

namespace winglet {

// `inspect_report` is the uncompressed analysis (no plan). Warnings of `result` are appended.
Report compressed_report(const Model& model, const Report& inspect_report, const CompressionResult& result);

// The fraction of output channels (along `axis`) of `values` that are not all zero.
double kept_channel_fraction(const std::vector<float>& values, const std::vector<int64_t>& dims, int axis);

}  // namespace winglet
