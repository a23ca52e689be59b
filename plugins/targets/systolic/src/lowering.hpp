// From the host's graph view to the planner's plain inputs: Conv/Gemm/MatMul shapes as GEMMs.
#pragma once

#include "plan.hpp"

#include <winglet/plugin.hpp>

#include <vector>

namespace systolic {

std::vector<OpInput> lower(const winglet::sdk::GraphView& graph);

}  // namespace systolic
