// What to ask a runner for one compile: the model file and the inputs the analysis was given
// (--input, --input-value, read from the report), and the run options (the device's defaults,
// overridden by --option threads=N / graph_optimization=all and compile's --runs / --warmup).
#pragma once

#include "measured_device.hpp"
#include "runner_protocol.hpp"

#include <winglet/plugin.hpp>

namespace winglet::measured {

// The options a compile may set, for messages: "threads, graph_optimization, warmup, runs, profile_runs".
std::string accepted_options();

// Throws sdk::Error(WG_ERR_INVALID_ARGUMENT) for an unknown option or a bad value, and
// sdk::Error(WG_ERR_UNSUPPORTED) for a graph a runner cannot run as it is (a compression recipe
// applied in memory: the file does not hold it).
RunRequest run_request_for(const MeasuredDevice& device, const sdk::CompileRequest& request);

}  // namespace winglet::measured
