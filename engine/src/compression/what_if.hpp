// The what-if alternatives of a compiled model: each standard technique applied to every
// compressible weight and compiled for the same device, so a report can show per op what each
// choice would change (the HTML report's what-if panel) without running winglet again.
#pragma once

#include "graph/graph.hpp"
#include "plugins/registry.hpp"
#include "report/report.hpp"

#include <functional>
#include <string>
#include <vector>

namespace winglet {

struct WhatIfChoice {
    std::string id;
    std::string label;
    std::string technique;
    std::string recipe;  // the entry's TOML lines
};

// none, int8, int4, 4- and 6-bit palettes, 2:4 and 50 % magnitude pruning.
const std::vector<WhatIfChoice>& standard_what_if_choices();

// Compiles `report` (analysed, not compressed) into a plan; `variant` tells compressed plans apart
// in the plan cache.
using CompileReport = std::function<void(Report& report, const std::string& variant)>;

// `uncompressed` is the compiled report of the model without compression; it becomes the "none"
// alternative. A technique whose optimizer plugin is not loaded is skipped with a warning.
std::vector<Alternative> compute_alternatives(const PluginRegistry& registry, const Model& model,
                                              const std::shared_ptr<const Report>& uncompressed,
                                              const CompileReport& compile, std::vector<std::string>& warnings);

}  // namespace winglet
