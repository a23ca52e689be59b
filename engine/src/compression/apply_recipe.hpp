// The optimize stage of the data path (import -> analyze -> optimize -> compile -> export): picks
// the recipe entry of every op, compresses each chosen weight through its optimizer plugin and
// measures the error it carries.
#pragma once

#include "compression/op_compression.hpp"
#include "compression/recipe.hpp"
#include "graph/graph.hpp"
#include "plugins/registry.hpp"
#include "report/report.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace winglet {

struct CompressionResult {
    std::vector<std::shared_ptr<const OpCompression>> ops;  // per report op; null where untouched
    std::vector<std::string> warnings;                      // selectors that matched nothing, ...
    std::string fingerprint;  // recipe content + optimizer plugins and versions: part of cache keys
};

// Checks every entry before any work: known technique (a loaded optimizer), options the plugin
// accepts. InputError naming the recipe line otherwise.
void check_recipe(const PluginRegistry& registry, const Recipe& recipe);

// The entry for each op of `report` (nullptr: leave it), following the recipe's rules: the default
// for every op with a weight matrix or kernel, overrides in order (later wins), exclusions last.
// `top_latency` ranks ops by the compiled latency in `report`; UsageError when it has no plan.
std::vector<const RecipeEntry*> select_entries(const Model& model, const Report& report, const Recipe& recipe,
                                               std::vector<std::string>& warnings);

// Compresses the weights `select_entries` chose. A weight read by several ops is compressed once,
// by the first. Shows progress on a terminal.
CompressionResult apply_recipe(const PluginRegistry& registry, const Model& model, const Report& report,
                               const Recipe& recipe);

}  // namespace winglet
