// A measured run turned into the plan every view reads: per op the time of the kernel that ran it
// (or where it went instead), per model the run's statistics and the device as the runner saw it.
#pragma once

#include "measured_device.hpp"
#include "runner_protocol.hpp"

#include <winglet/plugin.hpp>

#include <functional>
#include <string>

namespace winglet::measured {

// `warn` receives what the user should know (kernels no op explains).
void fill_plan(const MeasuredDevice& device, const sdk::GraphView& graph, const RunResult& run, sdk::PlanBuilder& plan,
               const std::function<void(const std::string&)>& warn);

}  // namespace winglet::measured
