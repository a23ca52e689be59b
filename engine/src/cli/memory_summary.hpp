// The memory lines of a compiled report in text: what each memory (flash or storage, and RAM)
// holds against what the device has, and each unit's working set against its on-chip memory with
// the ops that spill and what they cost.
#pragma once

#include "report/report.hpp"

#include <ostream>

namespace winglet::cli {

// `report` must carry a plan.
void print_memory(std::ostream& out, const Report& report);

}  // namespace winglet::cli
