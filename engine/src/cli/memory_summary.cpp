#include "cli/memory_summary.hpp"

#include "cli/text_table.hpp"

namespace winglet::cli {
namespace {

// "12.5 KiB of 1.0 MiB: activations + I/O", and by how much it is exceeded.
std::string need_line(uint64_t need, uint64_t capacity, const std::string& what) {
    std::string text = iec_bytes(need);
    if (capacity > 0) text += " of " + iec_bytes(capacity);
    text += ": " + what;
    if (capacity > 0 && need > capacity) text += " -- exceeded by " + iec_bytes(need - capacity);
    return text;
}

void print_placement(std::ostream& out, const PlanSummary& p) {
    if (p.weights_in == WeightsIn::Unknown) {  // a target older than ABI 1.4
        out << "memory       " << iec_bytes(p.peak_memory_bytes) << " peak, " << iec_bytes(p.weights_resident_bytes)
            << " weights resident, " << iec_bytes(p.storage_bytes) << " storage\n";
        return;
    }
    if (p.weights_in == WeightsIn::Storage) {
        // Weights read in place need memory-mapped storage: flash.
        out << "flash        " << need_line(p.storage_bytes, p.storage_capacity_bytes, "weights, read in place") << '\n';
        out << "RAM          " << need_line(p.peak_memory_bytes, p.ram_capacity_bytes, "activations + I/O") << '\n';
        return;
    }
    out << "RAM          "
        << need_line(p.peak_memory_bytes, p.ram_capacity_bytes,
                     "weights " + iec_bytes(p.weights_resident_bytes) + " + activations + I/O " +
                         iec_bytes(p.activation_bytes))
        << '\n';
    if (p.storage_capacity_bytes > 0)
        out << "storage      " << need_line(p.storage_bytes, p.storage_capacity_bytes, "weights") << '\n';
}

struct UnitSpills {
    uint64_t ops = 0, bytes = 0, traffic = 0;
    double latency_us = 0, energy_uj = 0;  // per inference (times each op's multiplier)
};

UnitSpills spills_on(const Report& r, const std::string& unit) {
    UnitSpills s;
    for (const OpReport& op : r.ops) {
        if (!op.compiled || op.compiled->unit != unit || op.compiled->spill_bytes == 0) continue;
        const OpPlan& p = *op.compiled;
        ++s.ops;
        s.bytes += p.spill_bytes;
        s.traffic += p.spill_traffic_bytes;
        s.latency_us += p.spill_latency_us * op.multiplier;
        s.energy_uj += p.spill_energy_uj * op.multiplier;
    }
    return s;
}

// "peak 5.0 KiB of 128.0 KiB", or, past the on-chip memory, what spills and what it costs.
std::string working_set(const Report& r, const UnitPlan& u) {
    const std::string peak = iec_bytes(u.peak_memory_bytes);
    if (u.memory_bytes == 0) return "peak " + peak;
    const UnitSpills s = spills_on(r, u.name);
    if (s.ops > 0)
        return "working set up to " + peak + ", on-chip " + iec_bytes(u.memory_bytes) + ": " + std::to_string(s.ops) +
               (s.ops == 1 ? " op spills " : " ops spill ") + iec_bytes(s.bytes) + " (+" + iec_bytes(s.traffic) +
               " traffic, +" + fixed(s.latency_us, 1) + " us, +" + fixed(s.energy_uj, 3) + " uJ)";
    if (u.peak_memory_bytes > u.memory_bytes)
        return "peak " + peak + " exceeds its " + iec_bytes(u.memory_bytes) +
               " on-chip memory (the target reports no spill cost)";
    return "peak " + peak + " of " + iec_bytes(u.memory_bytes);
}

}  // namespace

void print_memory(std::ostream& out, const Report& r) {
    const PlanSummary& p = *r.plan;
    print_placement(out, p);
    for (size_t i = 0; i < p.units.size(); ++i) {
        const UnitPlan& u = p.units[i];
        out << "  unit " << u.name << " (" << (u.kind.empty() ? "?" : u.kind) << ")  " << working_set(r, u);
        if (i < p.unit_memory.size() && p.unit_memory[i].buffers > 0) {
            const UnitMemory& m = p.unit_memory[i];
            out << "; activation arena " << iec_bytes(m.arena_bytes) << " for " << m.buffers << " buffers (live peak "
                << iec_bytes(m.peak_live_bytes) << ", " << iec_bytes(m.no_reuse_bytes) << " without reuse)";
        }
        out << '\n';
    }
}

}  // namespace winglet::cli
