// What identifies a measured device's results for the cache, computed without running anything:
// xxh3 of the device file's bytes, the runner's script files, the runtime version its lock file
// pins, and this machine's CPU model, logical CPU count and frequency governor.
#pragma once

#include "measured_device.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace winglet::measured {

struct HostFacts {
    std::string cpu_model;                // /proc/cpuinfo; "unknown" where it says nothing
    int64_t logical_cpus = 0;             // online CPUs
    std::optional<std::string> governor;  // cpu0's cpufreq governor, none where unreadable
};

HostFacts read_host_facts();

// The onnxruntime-node version package-lock.json in `runner_dir` pins; empty where there is none.
std::string runtime_version_from_lock(const std::filesystem::path& runner_dir);

// 16 lowercase hex digits.
std::string device_fingerprint(const MeasuredDevice& device, const std::filesystem::path& runner_dir);

}  // namespace winglet::measured
