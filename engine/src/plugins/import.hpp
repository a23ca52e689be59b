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
    std::string format;                            // force an importer by format name; "" = probe
};

// Memory-maps `path`, picks an importer (by format or by probing), lets it build the graph through
// the host builder, then links the graph, fills missing shapes with the engine's own rules and
// computes the content hash. Weights stay in the mapped file when the importer borrows them.
// Throws InputError (bad file), PluginError (no importer, or the importer failed).
Model import_model(const PluginRegistry& registry, const std::filesystem::path& path,
                   const ImportOptions& options = {});

}  // namespace winglet
