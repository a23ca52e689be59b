// A measured device as its TOML file describes it (devices/README.md): how to start its runner,
// through which command prefix, how the model gets to it, and the default run options.
#pragma once

#include "runner_protocol.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace winglet::measured {

// Copies the model to a device that runs its runner elsewhere ({model} -> {remote_model}).
struct CopyStep {
    std::vector<std::string> command;  // template: {model}, {remote_model}, {remote_dir}, {runner_dir}
    std::string remote_dir;
};

struct MeasuredDevice {
    std::filesystem::path file;
    std::string file_bytes;  // what was parsed: part of the fingerprint
    int64_t format = 1;
    std::string id;
    std::string name;
    std::string description;
    std::vector<std::string> command;  // the runner's argv template: {runner_dir}
    std::vector<std::string> prefix;   // e.g. ["ssh", "board"], ["adb", "shell"]; empty: local
    std::optional<CopyStep> copy;
    double timeout_s = 600;
    RunOptions defaults;
};

// True when the TOML text describes a measured device (it has a [runner] table). Spec files of
// the spec target share $WINGLET_DEVICE_PATH and are not measured devices.
bool is_measured_device_toml(const std::string& text);

// Parses a measured device file; throws RunnerError(device_file) listing every problem, each as
// "FILE:LINE:COLUMN: key 'KEY': what is wrong".
MeasuredDevice load_measured_device(const std::filesystem::path& file);
MeasuredDevice parse_measured_device(const std::string& text, const std::filesystem::path& origin);

}  // namespace winglet::measured
