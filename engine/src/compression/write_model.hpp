// Writes the compressed model through a model writer plugin (ABI 1.2 export_model).
#pragma once

#include "compression/apply_recipe.hpp"
#include "graph/graph.hpp"
#include "plugins/registry.hpp"

#include <filesystem>
#include <string>

namespace winglet {

// `format` "" means the model's own format. PluginError when no exporter writes that format or it
// fails; OutputError when the file cannot be written (nothing is left behind then).
void write_compressed_model(const PluginRegistry& registry, const Model& model, const CompressionResult& result,
                            const std::string& format, const std::string& producer, const std::filesystem::path& path);

}  // namespace winglet
