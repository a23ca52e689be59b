#include "device_discovery.hpp"

#include "device_dirs.hpp"

#include <fstream>
#include <set>
#include <sstream>

namespace winglet::measured {

namespace fs = std::filesystem;

fs::path shipped_devices_dir() {
    return targets::installed_or_source_dir(reinterpret_cast<const void*>(&shipped_devices_dir),
                                            WINGLET_MEASURED_DEVICES_RELDIR, WINGLET_MEASURED_DEVICES_DIR);
}

fs::path runner_dir() {
    return targets::installed_or_source_dir(reinterpret_cast<const void*>(&runner_dir), WINGLET_MEASURED_RUNNER_RELDIR,
                                            WINGLET_MEASURED_RUNNER_DIR);
}

std::vector<fs::path> measured_device_dirs() {
    std::vector<fs::path> dirs = targets::device_path_from_environment();
    dirs.push_back(shipped_devices_dir());
    return dirs;
}

std::vector<MeasuredDevice> load_measured_devices(const std::vector<fs::path>& dirs,
                                                  const std::function<void(const std::string&)>& warn) {
    std::vector<MeasuredDevice> devices;
    std::set<std::string> ids;
    for (const fs::path& file : targets::toml_files_in(dirs)) {
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            warn("skipping " + file.string() + ": cannot be read");
            continue;
        }
        std::ostringstream text;
        text << in.rdbuf();
        if (!is_measured_device_toml(text.str())) continue;  // a spec-target device
        try {
            MeasuredDevice device = parse_measured_device(text.str(), file);
            if (!ids.insert(device.id).second) {
                warn("skipping " + file.string() + ": measured device '" + device.id +
                     "' is already defined by an earlier file");
                continue;
            }
            devices.push_back(std::move(device));
        } catch (const RunnerError& e) {
            warn(std::string("skipping ") + e.what());
        }
    }
    return devices;
}

}  // namespace winglet::measured
