// A compiled plan: what a target plugin decided for one model on one device. Filled through the
// plan_* host functions (plugins/plan_builder.cpp), merged into a Report for exporters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace winglet {

struct UnitPlan {
    std::string name;
    std::string kind;                // cpu | gpu | npu | dsp | mcu | accelerator
    uint64_t memory_bytes = 0;       // on-unit memory; 0 when the unit works from shared RAM
    uint64_t peak_memory_bytes = 0;  // peak of the plan's memory on this unit
};

// Values use the WG_BOUND_* numbering of plugin.h.
enum class Bound : uint32_t { None = 0, Compute = 1, Memory = 2, Overhead = 3 };

// How an op's figures were obtained; values use the WG_SOURCE_* numbering.
enum class Source : uint32_t { Predicted = 0, Measured = 1, Fused = 2, Folded = 3, NotObserved = 4 };

// Where the weights live while the model runs; values use the WG_WEIGHTS_IN_* numbering.
enum class WeightsIn : uint32_t { Unknown = 0, Ram = 1, Storage = 2 };

struct OpPlan {
    std::string unit;
    std::string fallback_reason;  // "" when on the preferred unit
    int64_t group = -1;           // fused group id, -1 when not fused
    double start_us = 0;
    double latency_us = 0;
    double energy_uj = 0;
    uint64_t memory_traffic_bytes = 0;
    Bound bound = Bound::None;
    uint64_t device_output_bytes = 0;  // activations written at the device's dtype; 0: the report's
    // The working set beyond the unit's on-chip memory and what it adds (already in the figures above).
    uint64_t spill_bytes = 0;
    uint64_t spill_traffic_bytes = 0;
    double spill_latency_us = 0;
    double spill_energy_uj = 0;
    // A measured op: latency_us is the median over the timed runs, spread min..max.
    Source source = Source::Predicted;
    std::string kernel;             // the runtime kernel that ran it (measured or fused); ""
    double latency_min_us = 0;
    double latency_max_us = 0;
    // Derived by the engine from any target's timeline (compile/critical_path, memory_plan):
    bool critical = false;          // on the chain of ops that sets the end-to-end latency
    int64_t arena_offset = -1;      // of its first activation output in its unit's arena; -1: none
};

// Activation memory of one unit, planned by the engine over the target's placement.
struct UnitMemory {
    std::string unit;
    uint64_t arena_bytes = 0;      // planned arena: buffers placed at offsets, reused when lifetimes do not overlap
    uint64_t peak_live_bytes = 0;  // most bytes live at once: the bound no planner can beat
    uint64_t no_reuse_bytes = 0;   // every buffer of its own
    uint64_t buffers = 0;
};

struct PlanSummary {
    std::string device_id;
    std::string device_name;
    double latency_ms = 0;
    double energy_mj = 0;
    double avg_power_w = 0;
    uint64_t peak_memory_bytes = 0;       // RAM needed: activations (+ weights unless read in place)
    uint64_t weights_resident_bytes = 0;
    uint64_t storage_bytes = 0;
    uint64_t unit_transitions = 0;
    bool fits = true;
    std::string fit_detail;
    WeightsIn weights_in = WeightsIn::Unknown;  // Unknown: a target older than ABI 1.4
    uint64_t activation_bytes = 0;        // peak activations, model inputs and outputs included
    uint64_t ram_capacity_bytes = 0;      // 0: not said
    uint64_t storage_capacity_bytes = 0;  // 0: not said or not checked
    // A measured plan: latency_ms is the median end-to-end latency of latency_runs timed runs.
    bool measured = false;
    bool energy_measured = false;         // false on a measured plan: energy is "not measured"
    uint64_t latency_runs = 0;
    double latency_min_ms = 0, latency_p90_ms = 0, latency_max_ms = 0, latency_stdev_ms = 0;
    std::string runtime;                  // "onnxruntime 1.31.1 (CPUExecutionProvider)"
    std::string measured_on;              // the device as the runner saw it
    uint64_t peak_rss_bytes = 0;
    std::vector<UnitPlan> units;
    std::vector<UnitMemory> unit_memory;  // engine-derived, in the order of `units`
    uint64_t critical_path_ops = 0;       // engine-derived
};

struct CompiledPlan {
    std::string plugin;                  // the target plugin that made it
    std::vector<UnitPlan> units;         // in the order the target added them
    std::vector<std::optional<OpPlan>> ops;  // one slot per op of the compiled graph view
    std::optional<PlanSummary> summary;

    UnitPlan* unit(const std::string& name) {
        for (UnitPlan& u : units)
            if (u.name == name) return &u;
        return nullptr;
    }
    const UnitPlan* unit(const std::string& name) const {
        return const_cast<CompiledPlan*>(this)->unit(name);
    }
};

std::string_view bound_name(Bound b);  // "compute", "memory", "overhead", "" for None
std::string_view source_name(Source s);  // "predicted", "measured", "fused", "folded", "not observed"

}  // namespace winglet
