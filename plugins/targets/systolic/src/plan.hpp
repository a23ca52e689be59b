// Placement, fusion and the timeline of a whole graph on one device, in plain C++ (no ABI types)
// so that tests can check it against hand calculations.
#pragma once

#include "config.hpp"
#include "gemm_cost.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace systolic {

inline constexpr const char* kArrayUnit = "array";
inline constexpr const char* kCpuUnit = "cpu";

enum class OpClass {
    Array,         // Conv, Gemm, MatMul: mapped onto the array
    Fusible,       // activations and per-element ops: fused after an array op, else on the CPU
    DataMovement,  // Reshape, Transpose, Concat ...: cost their bytes on the CPU
    Other,         // everything else runs on the CPU
};
OpClass classify(std::string_view op_type);

// What the planner needs to know about one op, in execution order.
struct OpInput {
    std::string op_type;
    std::optional<GemmShape> gemm;  // Array ops whose shapes are known
    std::string no_gemm_reason;     // why an Array op has no gemm
    int64_t producer = -1;          // index of the op that produced its first input, -1 if none
    uint64_t flops = 0;
    uint64_t input_bytes = 0, output_bytes = 0, weight_bytes = 0;  // as the graph stores them
    double multiplier = 1;
};

enum class Bound { None, Compute, Memory, Overhead };

struct OpPlan {
    std::string unit;
    std::string fallback_reason;  // "" on the preferred unit
    int64_t group = -1;
    double start_us = 0, latency_us = 0, energy_uj = 0;
    uint64_t dram_bytes = 0;
    Bound bound = Bound::None;
    bool transition = false;  // data moved from the other unit before this op
    // An array op whose working set exceeds SRAM: the excess, the DRAM traffic beyond its weights
    // (n_tiles * A + O), and the time and energy that traffic adds (already in latency_us, energy_uj).
    uint64_t spill_bytes = 0, spill_traffic_bytes = 0;
    double spill_latency_us = 0, spill_energy_uj = 0;
};

struct PlanTotals {
    double latency_us = 0;
    double dynamic_energy_uj = 0;
    uint64_t weight_bytes = 0;             // resident weights at the bytes the device stores
    uint64_t peak_activation_bytes = 0;    // largest inputs + outputs of one op
    uint64_t unit_transitions = 0;
    uint64_t array_peak_bytes = 0;         // largest working set of an array op
    uint64_t cpu_peak_bytes = 0;
    uint64_t array_ops = 0, spilled_ops = 0;
};

struct Plan {
    std::vector<OpPlan> ops;
    PlanTotals totals;
};

Plan make_plan(const ArrayConfig& c, Precision p, const std::vector<OpInput>& ops);

// Model-level results, ready for wg_plan_summary.
struct Summary {
    double latency_ms = 0, energy_mj = 0, avg_power_w = 0;
    uint64_t peak_memory_bytes = 0, weights_resident_bytes = 0, storage_bytes = 0;
    uint64_t activation_bytes = 0;  // peak activations
    uint64_t ram_capacity_bytes = 0;  // SRAM + DRAM: weights live in DRAM, activations in either
    bool fits = true;
    std::string fit_detail;
};

Summary summarize(const ArrayConfig& c, const Plan& plan);

}  // namespace systolic
