// The terminal view of a compiled report: per-op placement and costs, then the plan's totals.
#pragma once

#include "report/report.hpp"

#include <cstddef>
#include <ostream>
#include <string>

namespace winglet::cli {

// `report` must carry a plan (attach_plan). `top` > 0 shows only the N slowest ops.
void print_compiled(std::ostream& out, const Report& report, size_t top);

// A long fallback reason cut to `width` characters with an ellipsis.
std::string shorten(const std::string& text, size_t width);

}  // namespace winglet::cli
