// The ABI 1.4 memory additions of a compile report: where the model lives (`plan.memory`: weights
// in RAM or read in place from storage, each memory's need against the device's capacity) and,
// per op, the working set beyond its unit's on-chip memory (`spill`). Readers check struct_size,
// so this plugin still runs on an older host (then the keys are absent).
#pragma once

#include "compiled.hpp"

#include <map>

namespace winglet::json_exporter {

// Op index -> its spill record, from the plan's list; empty from a host older than 1.4.
using SpillIndex = std::map<uint64_t, const wg_op_spill*>;
SpillIndex spills_of(const wg_plan_summary& p);

// Adds "spill": null, or {bytes, traffic_bytes, latency_us, energy_uj}; nothing from an older host.
void add_spill_op(Json& op, const wg_plan_summary& p, const SpillIndex& spills, uint64_t index);

// The plan's `memory` object, or null when the target does not say where the weights live.
Json memory_object(const wg_plan_summary& p);

}  // namespace winglet::json_exporter
