#include "device_dirs.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <string>

namespace winglet::targets {

namespace fs = std::filesystem;

std::vector<fs::path> device_path_from_environment() {
    std::vector<fs::path> dirs;
    if (const char* env = std::getenv("WINGLET_DEVICE_PATH")) {
        std::stringstream list(env);
        for (std::string dir; std::getline(list, dir, ':');)
            if (!dir.empty()) dirs.emplace_back(dir);
    }
    return dirs;
}

fs::path installed_or_source_dir(const void* anchor, const char* relative_to_module, const fs::path& source_tree_dir) {
    Dl_info info{};
    if (dladdr(anchor, &info) && info.dli_fname) {
        std::error_code ec;
        const fs::path installed = fs::path(info.dli_fname).parent_path() / relative_to_module;
        if (fs::is_directory(installed, ec)) return installed.lexically_normal();
    }
    return source_tree_dir;
}

std::vector<fs::path> toml_files_in(const std::vector<fs::path>& dirs) {
    std::vector<fs::path> files;
    for (const fs::path& dir : dirs) {
        const size_t first = files.size();
        std::error_code ec;
        fs::directory_iterator entries(dir, ec), end;
        for (; !ec && entries != end; entries.increment(ec))
            if (entries->path().extension() == ".toml" && entries->is_regular_file(ec)) files.push_back(entries->path());
        std::sort(files.begin() + std::ptrdiff_t(first), files.end());
    }
    return files;
}

}  // namespace winglet::targets
