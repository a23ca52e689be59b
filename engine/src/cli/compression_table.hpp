// The text view of what a recipe did: per compressed op, the technique, the bits before and after
// and the error; then the totals before and after.
#pragma once

#include "report/report.hpp"

#include <ostream>

namespace winglet::cli {

void print_compression(std::ostream& out, const Report& report);

}  // namespace winglet::cli
