#include "memory.hpp"

#include <cstddef>

namespace winglet::json_exporter {
namespace {

bool has_spills(const wg_plan_summary& p) {
    return p.struct_size >= offsetof(wg_plan_summary, spills) + sizeof p.spills;
}

bool has_placement(const wg_plan_summary& p) {
    return p.struct_size >= offsetof(wg_plan_summary, storage_capacity_bytes) + sizeof p.storage_capacity_bytes &&
           (p.weights_in == WG_WEIGHTS_IN_RAM || p.weights_in == WG_WEIGHTS_IN_STORAGE);
}

// needed_bytes against capacity_bytes; a capacity of 0 is unknown (null), and so is the verdict.
Json need(uint64_t needed, uint64_t capacity) {
    return {{"needed_bytes", needed},
            {"capacity_bytes", capacity ? Json(capacity) : Json()},
            {"fits", capacity ? Json(needed <= capacity) : Json()}};
}

}  // namespace

SpillIndex spills_of(const wg_plan_summary& p) {
    SpillIndex index;
    if (!has_spills(p) || !p.spills || p.spill_stride < sizeof(uint32_t)) return index;
    for (uint64_t i = 0; i < p.spill_count; ++i) {
        const auto* s = reinterpret_cast<const wg_op_spill*>(reinterpret_cast<const char*>(p.spills) +
                                                             i * p.spill_stride);
        if (s->struct_size >= offsetof(wg_op_spill, spill_energy_uj) + sizeof s->spill_energy_uj)
            index.emplace(s->op_index, s);
    }
    return index;
}

void add_spill_op(Json& op, const wg_plan_summary& p, const SpillIndex& spills, uint64_t index) {
    if (!has_spills(p)) return;
    const auto it = spills.find(index);
    if (it == spills.end()) {
        op["spill"] = nullptr;
        return;
    }
    const wg_op_spill& s = *it->second;
    op["spill"] = {{"bytes", s.spill_bytes},
                   {"traffic_bytes", s.spill_traffic_bytes},
                   {"latency_us", s.spill_latency_us},
                   {"energy_uj", s.spill_energy_uj}};
}

Json memory_object(const wg_plan_summary& p) {
    if (!has_placement(p)) return nullptr;
    const bool in_place = p.weights_in == WG_WEIGHTS_IN_STORAGE;
    Json ram = need(p.peak_memory_bytes, p.ram_capacity_bytes);
    ram["weight_bytes"] = in_place ? 0 : p.weights_resident_bytes;
    ram["activation_bytes"] = p.activation_bytes;
    return {{"weights_in", in_place ? "storage" : "ram"},
            {"ram", std::move(ram)},
            {"storage", need(p.storage_bytes, p.storage_capacity_bytes)}};
}

}  // namespace winglet::json_exporter
