// The spec-driven cost model on plain structs: what it needs to know about each op (OpDesc), and
// what it decides (OpPlan, PlanTotals). No ABI types here, so tests build graphs by hand.
// The equations are in plugins/targets/spec/README.md, "Cost model".
#pragma once

#include "device_spec.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace winglet::spec_target {

using device_spec::DeviceSpec;
using device_spec::DType;
using device_spec::Unit;

// An activation input that an earlier op produced: who, and how many bytes cross the edge.
struct Edge {
    size_t producer = 0;
    double bytes = 0;
};

// How a compressed weight's pattern of zeros is laid out (the ABI's WG_SPARSITY_*).
enum class Sparsity { none, unstructured, n_m, channels };

// One op in execution order. Byte counts are already at the compute dtype's width; a compressed
// weight's bytes are its stored size.
struct OpDesc {
    std::string type;
    std::optional<DType> dtype;  // nullopt: no spec dtype (int64 shape arithmetic, bool ...)
    std::string dtype_name;      // as the model names it, for reasons ("int64")
    int64_t kernel = 0;          // largest kernel side; 0 when the op has none
    bool depthwise = false;      // a Conv with one input channel per group
    uint32_t rank = 0;           // rank of its first output
    bool dynamic = false;        // some input or output dim is unknown at compile time
    double macs = 0, flops = 0;
    double weight_bytes = 0, input_bytes = 0, output_bytes = 0;
    double multiplier = 1;       // executions per inference (Loop bodies)
    bool folded = false;         // a Constant: its tensor is a weight loaded with the model, so
                                 // it runs nowhere and costs nothing at inference time
    std::vector<Edge> inputs;

    // What a compression recipe made of the op's weights (all neutral when nothing).
    std::optional<DType> weight_dtype;   // compute dtype of its main weight; int8: 8-bit codes a
                                         // unit running the op in int8 computes on directly
    double lut_elements = 0;             // weight elements decoded by a table look-up, per run
    double dequantize_elements = 0;      // weight elements decoded by (code - zp) * scale, per run;
                                         // skipped when the op runs in int8 on int8 weights
    Sparsity sparsity = Sparsity::none;  // of its main weight
    uint32_t sparsity_n = 0, sparsity_m = 0;  // n_m: n of every m weights kept
    double sparsity_fraction = 0;        // fraction of its main weight's elements that are zero
};

enum class Bound { None, Compute, Memory, Overhead };

struct OpPlan {
    size_t unit = 0;              // index into DeviceSpec::units
    std::string fallback_reason;  // "" on the most preferred unit
    int64_t group = -1;           // fused group id, -1 when alone
    bool group_head = true;       // false for the 2nd.. members: they carry no latency
    double start_us = 0, latency_us = 0, energy_uj = 0;
    double memory_traffic_bytes = 0;  // to RAM and storage: the spill and transitions included
    uint32_t transitions = 0;     // inputs handed over from another unit
    Bound bound = Bound::None;
    // The group's working set beyond its unit's onchip_bytes, on the head like the latency; the
    // traffic, time and energy it adds are already in memory_traffic_bytes, latency_us, energy_uj.
    double spill_bytes = 0, spill_traffic_bytes = 0, spill_latency_us = 0, spill_energy_uj = 0;
};

struct PlanTotals {
    double latency_us = 0;
    double dynamic_energy_uj = 0, static_energy_uj = 0;
    uint64_t unit_transitions = 0;
    std::vector<double> busy_us;           // per unit
    std::vector<double> peak_working_set;  // per unit: largest group working set (activations), bytes
};

struct Plan {
    std::vector<OpPlan> ops;
    PlanTotals totals;
};

}  // namespace winglet::spec_target
