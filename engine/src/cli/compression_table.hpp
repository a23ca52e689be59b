// The text view of what a recipe did: per compressed op, the technique, the bits before and after
// and the error; then the totals before and after.
#pragma once

#include "report/report.hpp"

#include <cstdint>
#include <ostream>
#include <string>

namespace winglet::cli {

// The compressed model `optimize -o` wrote, shown beside the storage the optimizers report.
struct WrittenModel {
    std::string path;
    uint64_t bytes = 0;
};

void print_compression(std::ostream& out, const Report& report, const WrittenModel* written = nullptr);

}  // namespace winglet::cli
