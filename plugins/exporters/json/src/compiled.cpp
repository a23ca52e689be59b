#include "compiled.hpp"

#include "memory.hpp"

#include <cstddef>
#include <string>

namespace winglet::json_exporter {
namespace {

std::string str(const char* s) { return s ? s : ""; }

Json bound_name(uint32_t bound) {
    switch (bound) {
        case WG_BOUND_COMPUTE: return "compute";
        case WG_BOUND_MEMORY: return "memory";
        case WG_BOUND_OVERHEAD: return "overhead";
        default: return nullptr;
    }
}

Json source_name(uint32_t source) {
    switch (source) {
        case WG_SOURCE_MEASURED: return "measured";
        case WG_SOURCE_FUSED: return "fused";
        case WG_SOURCE_FOLDED: return "folded";
        case WG_SOURCE_NOT_OBSERVED: return "not observed";
        default: return "predicted";
    }
}

// A measured plan without an energy meter: its energy figures mean "not measured".
bool energy_unmeasured(const wg_plan_summary* p) {
    return p && WINGLET_HAS_FIELD(*p, wg_plan_summary, peak_rss_bytes) && p->measured && !p->energy_measured;
}

}  // namespace

const wg_plan_summary* plan_of(const wg_report& r) {
    // `&r` is never NULL; WG_HAS_FIELD's NULL test is for pointers, so check the size directly.
    return r.struct_size >= offsetof(wg_report, plan) + sizeof r.plan ? r.plan : nullptr;
}

void add_compiled_op(Json& op, const wg_op_record& o, const wg_plan_summary* plan) {
    if (o.struct_size < offsetof(wg_op_record, bound) + sizeof o.bound) return;  // a 1.0 host's record
    const std::string reason = str(o.fallback_reason);
    op["unit"] = str(o.unit);
    op["fallback_reason"] = reason.empty() ? Json() : Json(reason);
    op["group"] = o.group < 0 ? Json() : Json(o.group);
    op["start_us"] = o.start_us;
    op["latency_us"] = o.latency_us;
    op["energy_uj"] = o.energy_uj;
    op["memory_traffic_bytes"] = o.memory_traffic_bytes;
    op["bound"] = bound_name(o.bound);
    if (o.struct_size < offsetof(wg_op_record, critical) + sizeof o.critical) return;  // a 1.1 host's record
    op["critical"] = o.critical != 0;
    op["arena_offset"] = o.arena_offset < 0 ? Json() : Json(o.arena_offset);
    if (!WINGLET_HAS_FIELD(o, wg_op_record, latency_max_us)) return;  // a host before 1.4
    // (1.4) Every figure says whether it was measured or predicted.
    op["source"] = source_name(o.source);
    const std::string kernel = str(o.kernel);
    op["kernel"] = kernel.empty() ? Json() : Json(kernel);
    if (o.source == WG_SOURCE_MEASURED) op["latency_spread_us"] = {{"min", o.latency_min_us}, {"max", o.latency_max_us}};
    if (energy_unmeasured(plan)) op["energy_uj"] = nullptr;
}

void add_compiled_totals(Json& totals, const wg_plan_summary& p) {
    const bool unmeasured = energy_unmeasured(&p);
    totals["latency_ms"] = p.latency_ms;
    totals["energy_mj"] = unmeasured ? Json() : Json(p.energy_mj);
    totals["avg_power_w"] = unmeasured ? Json() : Json(p.avg_power_w);
    totals["peak_memory_bytes"] = p.peak_memory_bytes;
    totals["fits"] = p.fits != 0;
}

Json report_totals(const wg_report& r) {
    Json t = {{"weight_bytes", r.totals->weight_bytes}, {"macs", r.totals->macs}, {"flops", r.totals->flops}};
    if (const wg_plan_summary* p = plan_of(r)) {
        t["latency_ms"] = p->latency_ms;
        t["energy_mj"] = energy_unmeasured(p) ? Json() : Json(p->energy_mj);
        t["avg_power_w"] = energy_unmeasured(p) ? Json() : Json(p->avg_power_w);
        t["peak_memory_bytes"] = p->peak_memory_bytes;
        t["storage_bytes"] = p->storage_bytes;
        t["fits"] = p->fits != 0;
    }
    return t;
}

Json plan_object(const wg_plan_summary& p) {
    Json units = Json::array();
    for (uint64_t i = 0; p.units && i < p.unit_count; ++i) {
        const wg_unit_desc& u = p.units[i];
        units.push_back({{"name", str(u.name)},
                         {"kind", str(u.kind)},
                         {"memory_bytes", u.memory_bytes},
                         {"peak_memory_bytes", u.peak_memory_bytes}});
    }
    const bool has_memory_plan = p.struct_size >= offsetof(wg_plan_summary, unit_memory) + sizeof p.unit_memory;
    for (uint64_t i = 0; has_memory_plan && p.unit_memory && i < p.unit_memory_count && i < units.size(); ++i) {
        const auto& m = *reinterpret_cast<const wg_unit_memory*>(reinterpret_cast<const char*>(p.unit_memory) +
                                                                  i * p.unit_memory_stride);
        if (m.struct_size < offsetof(wg_unit_memory, buffers) + sizeof m.buffers) continue;
        units[i]["activation_arena"] = {{"arena_bytes", m.arena_bytes},
                                        {"peak_live_bytes", m.peak_live_bytes},
                                        {"no_reuse_bytes", m.no_reuse_bytes},
                                        {"buffers", m.buffers}};
    }
    Json plan = {{"device", {{"id", str(p.device_id)}, {"name", str(p.device_name)}}},
                 {"units", std::move(units)},
                 {"weights_resident_bytes", p.weights_resident_bytes},
                 {"storage_bytes", p.storage_bytes},
                 {"unit_transitions", p.unit_transitions},
                 {"fits", p.fits != 0},
                 {"fit_detail", str(p.fit_detail)}};
    if (has_memory_plan) plan["critical_path_ops"] = p.critical_path_ops;
    if (Json memory = memory_object(p); !memory.is_null()) plan["memory"] = std::move(memory);
    if (WINGLET_HAS_FIELD(p, wg_plan_summary, peak_rss_bytes)) {
        plan["source"] = p.measured ? "measured" : "predicted";
        if (p.measured)
            plan["measurement"] = {{"runs", p.latency_runs},
                                   {"latency_ms", {{"median", p.latency_ms}, {"min", p.latency_min_ms},
                                                   {"p90", p.latency_p90_ms}, {"max", p.latency_max_ms},
                                                   {"stdev", p.latency_stdev_ms}}},
                                   {"energy_measured", p.energy_measured != 0},
                                   {"runtime", str(p.runtime)},
                                   {"measured_on", str(p.measured_on)},
                                   {"peak_rss_bytes", p.peak_rss_bytes == 0 ? Json() : Json(p.peak_rss_bytes)}};
    }
    return plan;
}

}  // namespace winglet::json_exporter
