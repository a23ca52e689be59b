#include "schedule.hpp"

#include "energy.hpp"
#include "fusion.hpp"
#include "placement.hpp"

#include <algorithm>
#include <cstdint>

namespace winglet::spec_target {

namespace {

// Last op of the group that starts at `first`.
size_t group_end(const std::vector<OpPlan>& plan, size_t first) {
    size_t last = first;
    while (plan[first].group >= 0 && last + 1 < plan.size() && plan[last + 1].group == plan[first].group)
        ++last;
    return last;
}

class Scheduler {
public:
    Scheduler(const DeviceSpec& spec, const std::vector<OpDesc>& ops, Plan& plan)
        : spec_(spec), ops_(ops), plan_(plan), end_us_(ops.size(), 0), unit_free_us_(spec.units.size(), 0) {
        plan_.totals.busy_us.assign(spec.units.size(), 0);
        plan_.totals.peak_working_set.assign(spec.units.size(), 0);
    }

    void run(size_t first, size_t last) {
        OpPlan& head = plan_.ops[first];
        const Unit& unit = spec_.units[head.unit];
        const GroupCost cost = group_cost(spec_, unit, ops_, first, last);

        double ready_us = unit_free_us_[head.unit], moved_bytes = 0, move_us = 0;
        for (size_t i = first; i <= last; ++i)
            for (const Edge& e : ops_[i].inputs) {
                if (e.producer >= first && e.producer <= last) continue;  // inside the group
                ready_us = std::max(ready_us, end_us_[e.producer]);
                const size_t from = plan_.ops[e.producer].unit;
                if (from == head.unit) continue;
                move_us += transition_us(spec_, spec_.units[from].name, unit.name, e.bytes);
                moved_bytes += e.bytes;
                ++head.transitions;
            }

        // A program-running unit is dispatched once for a run of its ops in execution order.
        const bool continues_segment = unit.dispatch_per_segment && previous_unit_ == head.unit;
        previous_unit_ = head.unit;
        const double overhead_us = (continues_segment ? 0.0 : cost.dispatch_us) + move_us;
        head.latency_us = std::max(cost.compute_us, cost.memory_us) + overhead_us;
        head.bound = bound_of(cost.compute_us, cost.memory_us, overhead_us);
        head.energy_uj = dynamic_energy_uj(spec_, unit, cost, moved_bytes);
        const Traffic& traffic = cost.traffic;
        head.memory_traffic_bytes = traffic.ram_bytes + traffic.storage_bytes + traffic.spill_traffic + moved_bytes;
        head.spill_bytes = traffic.spill_bytes;
        head.spill_traffic_bytes = traffic.spill_traffic;
        head.spill_latency_us = cost.spill_us();
        head.spill_energy_uj = spill_energy_uj(spec_, cost);

        const double runs = ops_[first].multiplier;
        const double busy = head.latency_us * runs;
        for (size_t i = first; i <= last; ++i) {
            plan_.ops[i].start_us = ready_us;
            plan_.ops[i].bound = head.bound;
            end_us_[i] = ready_us + busy;
        }
        unit_free_us_[head.unit] = ready_us + busy;

        PlanTotals& t = plan_.totals;
        t.latency_us = std::max(t.latency_us, ready_us + busy);
        t.busy_us[head.unit] += busy;
        t.dynamic_energy_uj += head.energy_uj * runs;
        t.unit_transitions += head.transitions;
        double& peak = t.peak_working_set[head.unit];
        peak = std::max(peak, traffic.working_set);
    }

private:
    const DeviceSpec& spec_;
    const std::vector<OpDesc>& ops_;
    Plan& plan_;
    std::vector<double> end_us_;
    std::vector<double> unit_free_us_;
    size_t previous_unit_ = SIZE_MAX;  // unit of the group scheduled last
};

}  // namespace

Plan make_plan(const DeviceSpec& spec, const std::vector<OpDesc>& ops) {
    Plan plan;
    plan.ops.reserve(ops.size());
    for (const OpDesc& op : ops) {
        Placement p = place(spec, op);
        OpPlan r;
        r.unit = p.unit;
        r.fallback_reason = std::move(p.reason);
        plan.ops.push_back(std::move(r));
    }
    fuse(spec, ops, plan.ops);
    Scheduler scheduler(spec, ops, plan);
    for (size_t first = 0; first < ops.size();) {
        const size_t last = group_end(plan.ops, first);
        scheduler.run(first, last);
        first = last + 1;
    }
    plan.totals.static_energy_uj = static_energy_uj(spec, plan.totals.busy_us);
    return plan;
}

}  // namespace winglet::spec_target
