// Compiles an analysed model for one device through its target plugin.
#pragma once

#include "compile/plan.hpp"
#include "graph/graph.hpp"
#include "plugins/registry.hpp"
#include "report/report.hpp"

#include <map>
#include <string>

namespace winglet {

struct CompileOptions {
    std::map<std::string, std::string> target_options;  // --option KEY=VALUE, passed to the target
    // What else shapes the graph the target sees, for cache keys only (not passed to the target):
    // a recipe's fingerprint when compiling a compressed model.
    std::string variant;
};

// Hands `model` (with its inspect `report`) to the target plugin that offers `device_id` and
// returns the plan it built, with a result for every op of report.ops and a summary.
// This is the one place a plan is made, always by calling the target: cached_compile
// (compile/plan_cache.hpp) wraps it with the result cache.
// Throws UsageError (unknown device, listing the known ones), InputError (the target cannot
// serve this model: WG_ERR_UNSUPPORTED/FORMAT), PluginError (the target failed or built an
// invalid or incomplete plan).
CompiledPlan compile_model(const PluginRegistry& registry, const Model& model, const Report& report,
                           const std::string& device_id, const CompileOptions& options = {});

// Throws UsageError naming the available devices when no loaded target offers `device_id`.
void require_device(const PluginRegistry& registry, const std::string& device_id);

// Copies the plan into the report for exporters: each op's result, and the summary with units;
// then marks the critical path and plans each unit's activation memory.
void attach_plan(Report& report, const CompiledPlan& plan);

}  // namespace winglet
