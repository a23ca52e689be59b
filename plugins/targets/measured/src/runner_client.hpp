// Runs a measurement on a measured device: the declared copy step first (if any), then the runner
// (prefix + command, no shell) with the request on its stdin; progress lines are forwarded as they
// come, the time limit is enforced, and the response is validated into a RunResult. Every failure
// is a RunnerError whose message says what happened (exit code or signal, timeout, unparsable
// output, protocol mismatch, the runner's own error) followed by the tail of the runner's stderr.
#pragma once

#include "measured_device.hpp"
#include "runner_protocol.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace winglet::measured {

// A stderr line "progress PHASE DONE/TOTAL" (PROTOCOL.md).
struct Progress {
    std::string phase;  // load, warmup, run, profile (others may come: show them as they are)
    int64_t done = 0;
    int64_t total = 0;
};
std::optional<Progress> parse_progress_line(std::string_view line);

struct MeasureOptions {
    std::optional<double> timeout_s;                    // the whole measurement; default: the device's
    std::function<void(const Progress&)> on_progress;   // called on the calling thread
    std::filesystem::path runner_dir;                   // {runner_dir}; empty: measured::runner_dir()
    bool fill_deadline = true;                          // send the time left as the request's deadline hint
};

// The runner's argv: prefix + command with {runner_dir} filled in.
std::vector<std::string> runner_argv(const MeasuredDevice& device, const std::filesystem::path& runner_dir);

// The path the model has where the runner reads it: the local absolute path, or
// remote_dir/<file name> for a device with a copy step.
std::string model_path_on_device(const MeasuredDevice& device, const std::filesystem::path& model);

RunResult measure(const MeasuredDevice& device, const RunRequest& request, const MeasureOptions& options = {});

}  // namespace winglet::measured
