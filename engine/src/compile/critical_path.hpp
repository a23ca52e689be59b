// The critical path of a compiled plan's timeline: the chain of ops, each waiting on the one
// before (for its data or for its unit), that ends last. Shortening anything off it does not
// shorten the inference. Works on any target's plan: it reads only starts, latencies, units and
// groups, plus the data edges of the report.
#pragma once

#include "report/report.hpp"

#include <vector>

namespace winglet {

// Indices into report.ops, in execution order; every member of a fused group on the path is
// included. Empty when the report has no plan.
std::vector<size_t> critical_path(const Report& report);

}  // namespace winglet
