// Model-level results: time, energy (dynamic + static power over the latency), memory and fit.
#include "plan.hpp"

#include <cstdio>

namespace systolic {

Summary summarize(const ArrayConfig& c, const Plan& plan) {
    const PlanTotals& t = plan.totals;
    Summary s;
    s.latency_ms = t.latency_us / 1e3;
    const double static_uj = c.static_w * t.latency_us;  // W * us = uJ
    s.energy_mj = (t.dynamic_energy_uj + static_uj) / 1e3;
    s.avg_power_w = s.latency_ms > 0 ? s.energy_mj / s.latency_ms : 0;  // mJ / ms = W
    s.weights_resident_bytes = t.weight_bytes;
    s.storage_bytes = t.weight_bytes;
    s.peak_memory_bytes = t.weight_bytes + t.peak_activation_bytes;
    s.activation_bytes = t.peak_activation_bytes;
    // Everything lives in SRAM + DRAM; an op whose working set exceeds SRAM still runs, only
    // slower (its spill traffic is in its latency), so spilling is reported, not a misfit.
    const uint64_t capacity = c.sram_bytes + c.dram_bytes;
    s.ram_capacity_bytes = capacity;
    s.fits = s.peak_memory_bytes <= capacity;
    // No "fits:" prefix: the CLI and the JSON already say whether it fits next to this text.
    char text[512];
    std::snprintf(text, sizeof text,
                  "peak memory %llu B (weights %llu B + activations %llu B) vs SRAM %llu B + "
                  "DRAM %llu B; %llu of %llu array ops spill SRAM (largest working set %llu B)",
                  static_cast<unsigned long long>(s.peak_memory_bytes),
                  static_cast<unsigned long long>(t.weight_bytes),
                  static_cast<unsigned long long>(t.peak_activation_bytes),
                  static_cast<unsigned long long>(c.sram_bytes),
                  static_cast<unsigned long long>(c.dram_bytes),
                  static_cast<unsigned long long>(t.spilled_ops),
                  static_cast<unsigned long long>(t.array_ops),
                  static_cast<unsigned long long>(t.array_peak_bytes));
    s.fit_detail = text;
    return s;
}

}  // namespace systolic
