// Where target plugins find device description files: the directories the user names in
// $WINGLET_DEVICE_PATH first, then the files shipped with the plugin, installed at a path relative
// to the plugin's shared object (or, in a build tree, read from the source tree).
#pragma once

#include <filesystem>
#include <vector>

namespace winglet::targets {

// The ':'-separated directories of $WINGLET_DEVICE_PATH, in order (empty entries skipped).
std::vector<std::filesystem::path> device_path_from_environment();

// `relative_to_module` resolved against the directory of the shared object (or executable) that
// holds `anchor`, when that directory exists; otherwise `source_tree_dir`.
std::filesystem::path installed_or_source_dir(const void* anchor, const char* relative_to_module,
                                              const std::filesystem::path& source_tree_dir);

// The *.toml files directly in each directory: directories in order, files sorted by name within
// one. A missing or unreadable directory contributes nothing.
std::vector<std::filesystem::path> toml_files_in(const std::vector<std::filesystem::path>& dirs);

}  // namespace winglet::targets
