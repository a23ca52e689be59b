#include "compile/plan_json.hpp"

#include <nlohmann/json.hpp>

namespace winglet {

using nlohmann::json;

// Missing keys and wrong types throw from get<>(): a damaged blob never yields a partial plan.
NLOHMANN_JSON_SERIALIZE_ENUM(Bound, {{Bound::None, nullptr}, {Bound::Compute, "compute"},
                                     {Bound::Memory, "memory"}, {Bound::Overhead, "overhead"}})
NLOHMANN_JSON_SERIALIZE_ENUM(WeightsIn, {{WeightsIn::Unknown, nullptr}, {WeightsIn::Ram, "ram"},
                                        {WeightsIn::Storage, "storage"}})
NLOHMANN_JSON_SERIALIZE_ENUM(Source, {{Source::Predicted, "predicted"}, {Source::Measured, "measured"},
                                      {Source::Fused, "fused"}, {Source::Folded, "folded"},
                                      {Source::NotObserved, "not observed"}})
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(UnitPlan, name, kind, memory_bytes, peak_memory_bytes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(OpPlan, unit, fallback_reason, group, start_us, latency_us, energy_uj,
                                   memory_traffic_bytes, bound, device_output_bytes, spill_bytes,
                                   spill_traffic_bytes, spill_latency_us, spill_energy_uj, source, kernel,
                                   latency_min_us, latency_max_us)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PlanSummary, device_id, device_name, latency_ms, energy_mj, avg_power_w,
                                   peak_memory_bytes, weights_resident_bytes, storage_bytes, unit_transitions,
                                   fits, fit_detail, units, weights_in, activation_bytes, ram_capacity_bytes,
                                   storage_capacity_bytes, measured, energy_measured, latency_runs, latency_min_ms,
                                   latency_p90_ms, latency_max_ms, latency_stdev_ms, runtime, measured_on,
                                   peak_rss_bytes)

std::string plan_to_json(const CompiledPlan& plan) {
    json ops = json::array();
    for (const std::optional<OpPlan>& op : plan.ops) ops.push_back(op ? json(*op) : json());
    const json doc = {{"plugin", plan.plugin}, {"units", plan.units}, {"ops", std::move(ops)},
                      {"summary", plan.summary ? json(*plan.summary) : json()}};
    return doc.dump();
}

CompiledPlan plan_from_json(std::string_view text) {
    const json doc = json::parse(text);
    CompiledPlan plan;
    doc.at("plugin").get_to(plan.plugin);
    doc.at("units").get_to(plan.units);
    for (const json& op : doc.at("ops"))
        plan.ops.push_back(op.is_null() ? std::nullopt : std::optional<OpPlan>(op.get<OpPlan>()));
    if (const json& s = doc.at("summary"); !s.is_null()) plan.summary = s.get<PlanSummary>();
    return plan;
}

}  // namespace winglet
