// Runs an importer plugin on a model file and returns the engine's graph.
#pragma once

#include "graph/graph.hpp"
#include "plugins/registry.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace winglet {

struct ImportOptions {
    std::map<std::string, int64_t> dim_overrides;  // --dim NAME=VALUE
    // --input NAME=DIMS: replaces an input's stored shape (symbolic, anonymous or 0 dims alike).
    std::map<std::string, std::vector<int64_t>> input_shapes;
    // --input-value NAME=V[,V...]: an input's contents, for shape arithmetic and If/Loop control only.
    std::map<std::string, std::vector<std::string>> input_values;
    std::string format;                            // force an importer by format name; "" = probe
};

// Memory-maps `path`, picks an importer (by format or by probing), lets it build the graph through
// the host builder, then links the graph, fixes the inputs the options give, completes shapes with
// the engine's own rules (evaluating shape arithmetic) and computes the content hash. Weights stay
// in the mapped file when the importer borrows them. Throws InputError (bad file), PluginError (no
// importer, or the importer failed), UsageError (an --input/--input-value naming no input).
Model import_model(const PluginRegistry& registry, const std::filesystem::path& path,
                   const ImportOptions& options = {});

}  // namespace winglet
