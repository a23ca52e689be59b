// The whole plan: placement, fusion, then list scheduling in graph order. A group starts when
// its unit is free and every input from outside the group is ready; it ends latency_us *
// multiplier later. Model latency = the last end.
#pragma once

#include "model.hpp"

namespace winglet::spec_target {

Plan make_plan(const DeviceSpec& spec, const std::vector<OpDesc>& ops);

}  // namespace winglet::spec_target
