// Where measured devices and the runner are found. Devices: the directories of
// $WINGLET_DEVICE_PATH first, then the shipped devices/; a file without a [runner] table is a
// spec-target device and skipped silently, an invalid one is reported and skipped, the first file
// that defines an id wins. The runner folder ({runner_dir}) is the installed one when this code
// runs from an installed plugin, else the source tree's runner/.
#pragma once

#include "measured_device.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace winglet::measured {

std::filesystem::path shipped_devices_dir();
std::filesystem::path runner_dir();

// $WINGLET_DEVICE_PATH's directories, then shipped_devices_dir().
std::vector<std::filesystem::path> measured_device_dirs();

// `warn` receives one message per skipped file.
std::vector<MeasuredDevice> load_measured_devices(const std::vector<std::filesystem::path>& dirs,
                                                  const std::function<void(const std::string&)>& warn);

}  // namespace winglet::measured
