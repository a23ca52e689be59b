#include "discovery.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <set>
#include <sstream>

namespace winglet::spec_target {

namespace fs = std::filesystem;

namespace {

// The devices installed beside this shared object (its directory + WINGLET_SPEC_DEVICES_RELDIR);
// in a build tree that does not exist, and the source tree's devices are used instead.
fs::path shipped_dir() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&shipped_dir), &info) && info.dli_fname) {
        std::error_code ec;
        const fs::path installed = fs::path(info.dli_fname).parent_path() / WINGLET_SPEC_DEVICES_RELDIR;
        if (fs::is_directory(installed, ec)) return installed.lexically_normal();
    }
    return WINGLET_SPEC_DEVICES_DIR;
}

}  // namespace

std::vector<fs::path> spec_dirs() {
    std::vector<fs::path> dirs;
    if (const char* env = std::getenv("WINGLET_DEVICE_PATH")) {
        std::stringstream list(env);
        for (std::string dir; std::getline(list, dir, ':');)
            if (!dir.empty()) dirs.emplace_back(dir);
    }
    dirs.push_back(shipped_dir());
    return dirs;
}

std::vector<device_spec::DeviceSpec> load_devices(const std::vector<fs::path>& dirs,
                                                  const std::function<void(const std::string&)>& warn) {
    std::vector<device_spec::DeviceSpec> out;
    std::set<std::string> ids;
    for (const fs::path& file : device_spec::find_device_specs(dirs)) {
        if (file.filename() == "example.toml") continue;
        try {
            device_spec::DeviceSpec spec = device_spec::load_device_spec(file);
            if (!ids.insert(spec.id).second) {
                warn("skipping " + file.string() + ": device '" + spec.id +
                     "' is already defined by an earlier spec file");
                continue;
            }
            out.push_back(std::move(spec));
        } catch (const device_spec::SpecError& e) {
            warn("skipping invalid device spec " + file.string() + ":\n" + e.what());
        }
    }
    return out;
}

}  // namespace winglet::spec_target
