// Latency of one fused group (or lone op) on its unit: a roofline of compute against memory
// traffic, plus the unit's dispatch cost and the cost of inputs handed over from other units.
#pragma once

#include "model.hpp"
#include "traffic.hpp"

#include <string_view>

namespace winglet::spec_target {

// The efficiency class of an op type ("conv", "matmul", ... see device_spec::efficiency_classes).
std::string_view op_class(std::string_view op_type, bool depthwise);

// The dtype a unit runs `op` in: its own when the unit has a peak for it, else the unit's slowest
// dtype (an op that fell back with no supported dtype is costed as emulated at that rate).
DType run_dtype(const Unit& unit, const OpDesc& op);

// MAC ops (2 per MAC) the unit skips for the op's sparse weight when it runs in `run`: half of
// them for a 2:4 weight on a unit whose sparsity_2_4 covers `run`; the zero fraction of an
// unstructured or n:m weight on a unit with sparsity_unstructured; none otherwise.
double skipped_mac_ops(const Unit& unit, const OpDesc& op, DType run);

// Ops the unit spends decoding the op's compressed weights when it runs in `run`: elements times
// decode_ops_per_element (default 1); 8-bit codes run in int8 need no dequantize.
double decode_ops(const Unit& unit, const OpDesc& op, DType run);

// Ops [first, last] as one kernel on `unit`; transitions are added by the timeline.
struct GroupCost {
    DType dtype = DType::fp32;
    double ops = 0;           // executed: dense_ops - skipped_ops + decode_ops
    double dense_ops = 0;     // 2 * MACs, or FLOPs for ops without MACs
    double skipped_ops = 0;   // MAC ops a sparsity-aware unit skips
    double decode_ops = 0;    // turning compressed weights into compute values
    double efficiency = 1;
    double compute_us = 0, dispatch_us = 0;
    double memory_us = 0;              // all of `traffic`, the spill included
    double memory_us_without_spill = 0;
    Traffic traffic;
    // What the spill adds to the roofline, max(compute, memory): 0 while compute hides it.
    double spill_us() const;
};
GroupCost group_cost(const DeviceSpec& spec, const Unit& unit, const std::vector<OpDesc>& ops, size_t first,
                     size_t last);

// Moving `bytes` from unit `from` to unit `to`: fixed_us + bytes / bandwidth.
double transition_us(const DeviceSpec& spec, const std::string& from, const std::string& to,
                     double bytes);

// Overhead when dispatch + transitions exceed both roofline terms; else the larger term.
Bound bound_of(double compute_us, double memory_us, double overhead_us);

}  // namespace winglet::spec_target
