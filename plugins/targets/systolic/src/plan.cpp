// The timeline: ops run one after another (one command stream), each on the array or the host
// CPU; an op fused into the array op before it adds energy but no time.
#include "plan.hpp"

#include "energy.hpp"

#include <algorithm>

namespace systolic {

namespace {

constexpr double kPjToUj = 1e-6;

Bound roofline_bound(double compute_s, double memory_s, double overhead_s) {
    if (overhead_s > std::max(compute_s, memory_s)) return Bound::Overhead;
    return compute_s >= memory_s ? Bound::Compute : Bound::Memory;
}

std::string cpu_reason(const OpInput& op, OpClass cls) {
    if (cls == OpClass::Array)
        return op.op_type + ": " + op.no_gemm_reason + "; runs on the host CPU";
    if (cls == OpClass::Fusible)
        return op.op_type +
               " fuses only onto the output of the last Conv/Gemm/MatMul group on the systolic array; "
               "runs on the host CPU";
    return "systolic array runs only Conv/Gemm/MatMul; " + op.op_type + " runs on the host CPU";
}

class Planner {
public:
    Planner(const ArrayConfig& c, Precision p) : c_(c), p_(p) {}

    OpPlan place(const OpInput& op) {
        const OpClass cls = classify(op.op_type);
        // An elementwise op reading the array op or a member of its group joins the group while
        // that output is still in the array's pipeline, i.e. no other array op ran since; ops in
        // between that do not use the array (MobileNetV2's Clip bounds are Constant ops between
        // BatchNormalization and Clip) do not break the chain.
        if (cls == OpClass::Fusible && op.producer >= 0 && op.producer == last_array_index_)
            return fuse(op);
        OpPlan r = (cls == OpClass::Array && op.gemm) ? on_array(op) : on_cpu(op, cls);
        r.start_us = t_.latency_us;
        t_.latency_us += r.latency_us * op.multiplier;
        t_.dynamic_energy_uj += r.energy_uj * op.multiplier;
        return r;
    }

    void remember(OpPlan& placed, int64_t index) {
        last_ = &placed;
        if (placed.unit != kArrayUnit) return;
        last_array_ = &placed;
        last_array_index_ = index;
    }
    const PlanTotals& totals() const { return t_; }

private:
    // Data handed from the other unit crosses DRAM once: bytes / B, and DRAM energy per byte.
    double transition(OpPlan& r, uint64_t bytes) {
        if (!last_ || last_->unit == r.unit) return 0;
        r.transition = true;
        ++t_.unit_transitions;
        r.energy_uj += static_cast<double>(bytes) * energy::kDramPjPerByte * kPjToUj;
        return static_cast<double>(bytes) / c_.dram_bytes_per_s;
    }

    OpPlan on_array(const OpInput& op) {
        const GemmCost g = gemm_cost(c_, p_, *op.gemm);
        OpPlan r;
        r.unit = kArrayUnit;
        const double move_s = transition(r, g.input_bytes);
        const double overhead_s = c_.dispatch_us * 1e-6 + move_s;
        r.latency_us = (std::max(g.compute_s, g.memory_s) + overhead_s) * 1e6;
        r.bound = roofline_bound(g.compute_s, g.memory_s, overhead_s);
        r.dram_bytes = g.dram_bytes;
        r.energy_uj += (static_cast<double>(g.macs) * energy::mac_pj(p_) +
                        static_cast<double>(g.sram_bytes) * c_.sram_pj_per_byte +
                        static_cast<double>(g.dram_bytes) * energy::kDramPjPerByte) *
                       kPjToUj;
        if (op.weight_bytes) t_.weight_bytes += g.weight_bytes;
        t_.peak_activation_bytes = std::max(t_.peak_activation_bytes, g.input_bytes + g.output_bytes);
        t_.array_peak_bytes = std::max(t_.array_peak_bytes, g.working_set_bytes);
        ++t_.array_ops;
        if (g.spills) {
            ++t_.spilled_ops;
            record_spill(r, g);
        }
        return r;
    }

    // Without the spill the op would move its weights only (README, "SRAM tiling").
    void record_spill(OpPlan& r, const GemmCost& g) const {
        r.spill_bytes = g.working_set_bytes - c_.sram_bytes;
        r.spill_traffic_bytes = g.dram_bytes - g.weight_bytes;
        const double fitting_memory_s = static_cast<double>(g.weight_bytes) / c_.dram_bytes_per_s;
        r.spill_latency_us =
            (std::max(g.compute_s, g.memory_s) - std::max(g.compute_s, fitting_memory_s)) * 1e6;
        r.spill_energy_uj = static_cast<double>(r.spill_traffic_bytes) * energy::kDramPjPerByte * kPjToUj;
    }

    // The host works from DRAM in the model's own dtype: FLOPs at its peak, bytes at its bandwidth.
    OpPlan on_cpu(const OpInput& op, OpClass cls) {
        OpPlan r;
        r.unit = kCpuUnit;
        r.fallback_reason = cpu_reason(op, cls);
        const uint64_t bytes = op.input_bytes + op.output_bytes + op.weight_bytes;
        const double move_s = transition(r, op.input_bytes);
        const double compute_s =
            cls == OpClass::DataMovement ? 0 : static_cast<double>(op.flops) / c_.cpu_flops_per_s;
        const double memory_s = static_cast<double>(bytes) / c_.cpu_bytes_per_s;
        const double overhead_s = c_.cpu_dispatch_us * 1e-6 + move_s;
        r.latency_us = (std::max(compute_s, memory_s) + overhead_s) * 1e6;
        r.bound = roofline_bound(compute_s, memory_s, overhead_s);
        r.dram_bytes = bytes;
        const double flops = cls == OpClass::DataMovement ? 0 : static_cast<double>(op.flops);
        r.energy_uj += (flops * energy::kCpuPjPerFlop +
                        static_cast<double>(bytes) * energy::kDramPjPerByte) *
                       kPjToUj;
        t_.weight_bytes += op.weight_bytes;
        t_.peak_activation_bytes =
            std::max(t_.peak_activation_bytes, op.input_bytes + op.output_bytes);
        t_.cpu_peak_bytes = std::max(t_.cpu_peak_bytes, bytes);
        return r;
    }

    // Rides the array op's output pipeline: no time of its own, one add per FLOP.
    OpPlan fuse(const OpInput& op) {
        OpPlan& head = *last_array_;
        if (head.group < 0) head.group = next_group_++;
        OpPlan r;
        r.unit = kArrayUnit;
        r.group = head.group;
        r.start_us = head.start_us;
        r.bound = head.bound;
        r.energy_uj = static_cast<double>(op.flops) * energy::fused_pj_per_flop(p_) * kPjToUj;
        t_.dynamic_energy_uj += r.energy_uj * op.multiplier;
        return r;
    }

    const ArrayConfig& c_;
    Precision p_;
    PlanTotals t_;
    OpPlan* last_ = nullptr;        // the op placed last, for unit transitions
    OpPlan* last_array_ = nullptr;  // the op placed on the array last, and its index
    int64_t last_array_index_ = -1;
    int64_t next_group_ = 0;
};

}  // namespace

Plan make_plan(const ArrayConfig& c, Precision p, const std::vector<OpInput>& ops) {
    Plan plan;
    plan.ops.reserve(ops.size());  // `last_` points into it: no reallocation
    Planner planner(c, p);
    for (const OpInput& op : ops) {
        plan.ops.push_back(planner.place(op));
        planner.remember(plan.ops.back(), static_cast<int64_t>(plan.ops.size() - 1));
    }
    plan.totals = planner.totals();
    return plan;
}

}  // namespace systolic
