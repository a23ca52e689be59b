#include "discovery.hpp"

#include "device_dirs.hpp"

#include <toml++/toml.h>

#include <set>

namespace winglet::spec_target {

namespace fs = std::filesystem;

namespace {

// A measured device's file (it names a [runner]) shares $WINGLET_DEVICE_PATH with spec files and
// belongs to the measured target: not a spec, and not a spec with problems either.
bool is_runner_device(const fs::path& file) {
    try {
        return toml::parse_file(file.string()).contains("runner");
    } catch (const toml::parse_error&) {
        return false;   // the spec reader reports what is wrong with it
    }
}

// The devices installed beside this shared object (its directory + WINGLET_SPEC_DEVICES_RELDIR);
// in a build tree that does not exist, and the source tree's devices are used instead.
fs::path shipped_dir() {
    return targets::installed_or_source_dir(reinterpret_cast<const void*>(&shipped_dir),
                                            WINGLET_SPEC_DEVICES_RELDIR, WINGLET_SPEC_DEVICES_DIR);
}

}  // namespace

std::vector<fs::path> spec_dirs() {
    std::vector<fs::path> dirs = targets::device_path_from_environment();
    dirs.push_back(shipped_dir());
    return dirs;
}

std::vector<device_spec::DeviceSpec> load_devices(const std::vector<fs::path>& dirs,
                                                  const std::function<void(const std::string&)>& warn) {
    std::vector<device_spec::DeviceSpec> out;
    std::set<std::string> ids;
    for (const fs::path& file : device_spec::find_device_specs(dirs)) {
        if (file.filename() == "example.toml" || is_runner_device(file)) continue;
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
