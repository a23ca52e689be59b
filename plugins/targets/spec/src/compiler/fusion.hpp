// Fusion: runs of consecutive ops on one unit that match one of the unit's [[fusion]] patterns,
// each op the sole consumer of the one before, become one group (one kernel, intermediates on chip).
#pragma once

#include "model.hpp"

namespace winglet::spec_target {

// Sets group / group_head in `plan` (whose `unit`s are already placed). Longest pattern wins.
void fuse(const DeviceSpec& spec, const std::vector<OpDesc>& ops, std::vector<OpPlan>& plan);

}  // namespace winglet::spec_target
