// The ABI 1.1 additions of a `compile` report: per-op placement and costs, plan totals and the
// plan object. Every reader checks struct_size first, so this plugin also runs on a 1.0 host.
#pragma once

#include <winglet/plugin.hpp>

#include <nlohmann/json.hpp>

namespace winglet::json_exporter {

using Json = nlohmann::ordered_json;

// The plan of a compile report; nullptr for inspect or on a host older than 1.1.
const wg_plan_summary* plan_of(const wg_report& r);

// Adds unit, fallback_reason, group, start_us, latency_us, energy_uj, memory_traffic_bytes, bound
// and (1.4) source, kernel and, for a measured op, latency_spread_us; energy_uj is null on a
// measured plan without an energy meter.
void add_compiled_op(Json& op, const wg_op_record& o, const wg_plan_summary* plan);
// Adds latency_ms, energy_mj, avg_power_w, peak_memory_bytes, fits (energy and power null when a
// measured plan has no energy meter: not measured, never 0).
void add_compiled_totals(Json& totals, const wg_plan_summary& p);
// A whole report's totals in brief, for a report beside the main one (the uncompressed baseline, a
// what-if alternative): weight bytes, MACs, FLOPs and, when compiled, latency, energy, power, peak
// memory, storage and fit.
Json report_totals(const wg_report& r);
// The "plan" object: device, units with peaks, weights, storage, transitions, fit_detail and
// (1.4) source with, for a measured plan, its measurement (runs, latency statistics, runtime, device).
Json plan_object(const wg_plan_summary& p);

}  // namespace winglet::json_exporter
