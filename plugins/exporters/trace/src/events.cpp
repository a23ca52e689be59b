#include "events.hpp"

#include <cstddef>
#include <map>
#include <string>

namespace winglet::trace_exporter {
namespace {

using Json = nlohmann::ordered_json;

std::string str(const char* s) { return s ? s : ""; }

const char* bound_name(uint32_t b) {
    switch (b) {
        case WG_BOUND_COMPUTE: return "compute";
        case WG_BOUND_MEMORY: return "memory";
        case WG_BOUND_OVERHEAD: return "overhead";
        default: return "";
    }
}

Json metadata(const char* what, int tid, const std::string& name) {
    return {{"name", what}, {"ph", "M"}, {"pid", 1}, {"tid", tid}, {"args", {{"name", name}}}};
}

}  // namespace

Json trace_document(const sdk::ReportView& report) {
    const wg_report& r = report.raw();
    const bool has_plan = r.struct_size >= offsetof(wg_report, plan) + sizeof r.plan && r.plan;
    if (!has_plan)
        throw sdk::Error(WG_ERR_UNSUPPORTED,
                         "a trace needs a compiled plan: use `winglet compile MODEL -t DEVICE -o FILE --format trace`");
    if (r.op_count && (!r.ops || r.op_stride < sizeof(wg_op_record)))
        throw sdk::Error(WG_ERR_INVALID_ARGUMENT, "malformed report: bad op table");
    const wg_plan_summary& plan = *r.plan;

    Json events = Json::array();
    const std::string device = str(plan.device_name).empty() ? str(plan.device_id) : str(plan.device_name);
    events.push_back(metadata("process_name", 0, device));
    std::map<std::string, int> tids;  // one track per unit, in the plan's order
    auto tid_of = [&](const std::string& unit) {
        auto [it, added] = tids.emplace(unit, static_cast<int>(tids.size()) + 1);
        if (added) events.push_back(metadata("thread_name", it->second, unit));
        return it->second;
    };
    for (uint64_t i = 0; plan.units && i < plan.unit_count; ++i) tid_of(str(plan.units[i].name));

    for (uint64_t i = 0; i < report.op_count(); ++i) {
        const wg_op_record& o = report.op(i);
        if (o.multiplier == 0 || !o.unit || !*o.unit) continue;  // not run (untaken If branch)
        Json args = {{"op_type", str(o.op_type)}, {"macs", o.macs}, {"bound", bound_name(o.bound)},
                     {"energy_uj", o.energy_uj}, {"memory_traffic_bytes", o.memory_traffic_bytes}};
        if (o.fallback_reason && *o.fallback_reason) args["fallback_reason"] = o.fallback_reason;
        if (o.group >= 0) args["group"] = o.group;
        if (WG_HAS_FIELD(&o, wg_op_record, critical) && o.critical) args["critical"] = true;
        events.push_back({{"name", str(o.name)},
                          {"cat", str(o.op_type)},
                          {"ph", "X"},
                          {"ts", o.start_us},
                          {"dur", o.latency_us},
                          {"pid", 1},
                          {"tid", tid_of(o.unit)},
                          {"args", std::move(args)}});
    }
    return {{"traceEvents", std::move(events)}, {"displayTimeUnit", "ns"}};
}

}  // namespace winglet::trace_exporter
