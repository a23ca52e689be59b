// Shared pieces of the `winglet` subcommands.
#pragma once

#include "plugins/registry.hpp"

#include <string>
#include <vector>

namespace winglet::cli {

struct GlobalOptions {
    std::vector<std::string> plugin_paths;  // --plugin-path, searched first
};

// Loads plugins from the search path. An explicitly named directory that does not exist is an
// error (PluginError); the environment's and the default one are optional.
void load_plugins(PluginRegistry& registry, const GlobalOptions& global);

// Each subcommand parses its own arguments (args excludes the subcommand name) and returns an
// exit code; errors propagate as the exceptions of core/errors.hpp.
int run_plugins(const GlobalOptions& global, const std::vector<std::string>& args);
int run_inspect(const GlobalOptions& global, const std::vector<std::string>& args);
int run_targets(const GlobalOptions& global, const std::vector<std::string>& args);
int run_compile(const GlobalOptions& global, const std::vector<std::string>& args);
int run_cache(const GlobalOptions& global, const std::vector<std::string>& args);
int run_optimizers(const GlobalOptions& global, const std::vector<std::string>& args);
int run_optimize(const GlobalOptions& global, const std::vector<std::string>& args);
int run_compare(const GlobalOptions& global, const std::vector<std::string>& args);

}  // namespace winglet::cli
