#include "plugins/plan_builder.hpp"

#include "compile/plan.hpp"
#include "plugins/abi_sizes.hpp"
#include "plugins/host_api.hpp"

#include <cmath>

namespace winglet {
namespace {

using host_call::require;
using host_call::str;

CompiledPlan& plan_of(wg_plan_builder* b) {
    require(b && b->plan, "NULL plan builder");
    return *b->plan;
}

// Latency, energy and start times feed sums and ratios: NaN or a negative value would poison
// every total, so they are refused where they enter.
void require_amount(double v, const std::string& what) {
    require(std::isfinite(v) && v >= 0, what + " is " + std::to_string(v) + "; it must be finite and >= 0");
}

// Remembers the first refusal on the builder (see wg_plan_builder) and returns the status.
template <class Fn>
wg_status checked(wg_plan_builder* b, wg_error* err, Fn&& fn) noexcept {
    wg_error local;
    wg_error* target = err ? err : &local;
    const wg_status st = host_call::guarded(target, fn);
    if (st != WG_OK && b && b->first_error.empty()) {
        try {
            b->first_error = target->message;
        } catch (...) {
        }
    }
    return st;
}

}  // namespace

wg_status plan_add_unit(wg_plan_builder* b, const wg_unit_desc* u, wg_error* err) noexcept {
    return checked(b, err, [&] {
        CompiledPlan& plan = plan_of(b);
        require(u && u->struct_size >= abi_1_1::kUnitDesc, "unit desc missing or too small");
        const std::string name = str(u->name);
        require(!name.empty(), "unit without a name");
        require(!plan.unit(name), "unit '" + name + "' added twice");
        plan.units.push_back(UnitPlan{name, str(u->kind), u->memory_bytes, u->peak_memory_bytes});
    });
}

wg_status plan_set_op(wg_plan_builder* b, const wg_op_result* r, wg_error* err) noexcept {
    return checked(b, err, [&] {
        CompiledPlan& plan = plan_of(b);
        require(r && r->struct_size >= abi_1_1::kOpResult, "op result missing or too small");
        require(r->op_index < b->op_count, "op_index " + std::to_string(r->op_index) +
                                               " out of range (the graph has " + std::to_string(b->op_count) + " ops)");
        const std::string where = "op " + std::to_string(r->op_index);
        const std::string unit = str(r->unit);
        require(plan.unit(unit), where + ": unknown unit '" + unit + "' (add it with plan_add_unit first)");
        if (plan.ops.size() < b->op_count) plan.ops.resize(b->op_count);
        require(!plan.ops[r->op_index], where + ": result set twice");
        require_amount(r->start_us, where + ": start_us");
        require_amount(r->latency_us, where + ": latency_us");
        require_amount(r->energy_uj, where + ": energy_uj");
        require(r->bound <= WG_BOUND_OVERHEAD, where + ": unknown bound " + std::to_string(r->bound));
        require(r->group >= -1, where + ": group " + std::to_string(r->group) + " (use -1 for no group)");
        OpPlan op;
        op.unit = unit;
        op.fallback_reason = str(r->fallback_reason);
        op.group = r->group;
        op.start_us = r->start_us;
        op.latency_us = r->latency_us;
        op.energy_uj = r->energy_uj;
        op.memory_traffic_bytes = r->memory_traffic_bytes;
        op.bound = static_cast<Bound>(r->bound);
        op.device_output_bytes = WG_HAS_FIELD(r, wg_op_result, output_bytes) ? r->output_bytes : 0;
        if (WG_HAS_FIELD(r, wg_op_result, spill_energy_uj)) {
            require_amount(r->spill_latency_us, where + ": spill_latency_us");
            require_amount(r->spill_energy_uj, where + ": spill_energy_uj");
            op.spill_bytes = r->spill_bytes;
            op.spill_traffic_bytes = r->spill_traffic_bytes;
            op.spill_latency_us = r->spill_latency_us;
            op.spill_energy_uj = r->spill_energy_uj;
        }
        if (WG_HAS_FIELD(r, wg_op_result, latency_max_us)) {
            require(r->source <= WG_SOURCE_NOT_OBSERVED, where + ": unknown source " + std::to_string(r->source));
            op.source = static_cast<Source>(r->source);
            op.kernel = str(r->kernel);
            if (op.source == Source::Measured) {
                require_amount(r->latency_min_us, where + ": latency_min_us");
                require_amount(r->latency_max_us, where + ": latency_max_us");
                require(r->latency_min_us <= r->latency_us && r->latency_us <= r->latency_max_us,
                        where + ": the median latency_us must lie between latency_min_us and latency_max_us");
                op.latency_min_us = r->latency_min_us;
                op.latency_max_us = r->latency_max_us;
            }
        }
        plan.ops[r->op_index] = std::move(op);
    });
}

wg_status plan_set_summary(wg_plan_builder* b, const wg_plan_summary* s, wg_error* err) noexcept {
    return checked(b, err, [&] {
        CompiledPlan& plan = plan_of(b);
        require(s && s->struct_size >= abi_1_1::kPlanSummary, "plan summary missing or too small");
        require(!plan.summary, "plan summary set twice");
        require_amount(s->latency_ms, "summary latency_ms");
        require_amount(s->energy_mj, "summary energy_mj");
        require_amount(s->avg_power_w, "summary avg_power_w");
        require(s->unit_count == 0 || s->units, "summary has units but no array");
        // Peaks are often known only at the end: the summary's units update the added ones.
        for (uint64_t i = 0; i < s->unit_count; ++i) {
            const std::string name = str(s->units[i].name);
            UnitPlan* known = plan.unit(name);
            require(known, "summary names unknown unit '" + name + "'");
            known->peak_memory_bytes = s->units[i].peak_memory_bytes;
        }
        PlanSummary sum;
        sum.device_id = str(s->device_id);
        sum.device_name = str(s->device_name);
        sum.latency_ms = s->latency_ms;
        sum.energy_mj = s->energy_mj;
        sum.avg_power_w = s->avg_power_w;
        sum.peak_memory_bytes = s->peak_memory_bytes;
        sum.weights_resident_bytes = s->weights_resident_bytes;
        sum.storage_bytes = s->storage_bytes;
        sum.unit_transitions = s->unit_transitions;
        sum.fits = s->fits != 0;
        sum.fit_detail = str(s->fit_detail);
        if (WG_HAS_FIELD(s, wg_plan_summary, storage_capacity_bytes)) {
            require(s->weights_in <= WG_WEIGHTS_IN_STORAGE, "summary: unknown weights_in " + std::to_string(s->weights_in));
            sum.weights_in = static_cast<WeightsIn>(s->weights_in);
            sum.activation_bytes = s->activation_bytes;
            sum.ram_capacity_bytes = s->ram_capacity_bytes;
            sum.storage_capacity_bytes = s->storage_capacity_bytes;
        }
        if (WG_HAS_FIELD(s, wg_plan_summary, peak_rss_bytes) && s->measured) {
            sum.measured = true;
            sum.energy_measured = s->energy_measured != 0;
            sum.latency_runs = s->latency_runs;
            for (const auto& [v, what] : {std::pair{s->latency_min_ms, "latency_min_ms"}, {s->latency_p90_ms, "latency_p90_ms"},
                                          {s->latency_max_ms, "latency_max_ms"}, {s->latency_stdev_ms, "latency_stdev_ms"}})
                require_amount(v, std::string("summary ") + what);
            require(s->latency_runs > 0, "a measured summary needs latency_runs > 0");
            require(s->latency_min_ms <= s->latency_ms && s->latency_ms <= s->latency_max_ms,
                    "summary: the median latency_ms must lie between latency_min_ms and latency_max_ms");
            sum.latency_min_ms = s->latency_min_ms;
            sum.latency_p90_ms = s->latency_p90_ms;
            sum.latency_max_ms = s->latency_max_ms;
            sum.latency_stdev_ms = s->latency_stdev_ms;
            sum.runtime = str(s->runtime);
            sum.measured_on = str(s->measured_on);
            sum.peak_rss_bytes = s->peak_rss_bytes;
        }
        plan.summary = std::move(sum);
    });
}

}  // namespace winglet
