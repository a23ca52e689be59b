#include "cli/cli.hpp"
#include "core/errors.hpp"

#include <filesystem>

namespace winglet::cli {

void load_plugins(PluginRegistry& registry, const GlobalOptions& global) {
    for (const std::string& dir : global.plugin_paths) {
        std::error_code ec;
        if (!std::filesystem::is_directory(dir, ec))
            throw PluginError("plugin directory '" + dir + "' (from --plugin-path) does not exist");
    }
    registry.load_directories(PluginRegistry::search_path(global.plugin_paths));
}

}  // namespace winglet::cli
