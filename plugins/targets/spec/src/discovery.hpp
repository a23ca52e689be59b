// Where device specs come from: $WINGLET_DEVICE_PATH (':'-separated) first, then the devices
// shipped with the plugin. A spec that fails to load is reported and skipped, never fatal.
#pragma once

#include "device_spec.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace winglet::spec_target {

// The directories to search, most important first.
std::vector<std::filesystem::path> spec_dirs();

// Loads every spec in `dirs` except example.toml (the format's documentation); the first file
// that defines an id wins. `warn` receives one message per skipped file.
std::vector<device_spec::DeviceSpec> load_devices(const std::vector<std::filesystem::path>& dirs,
                                                  const std::function<void(const std::string&)>& warn);

}  // namespace winglet::spec_target
