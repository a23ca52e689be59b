// Model-level results: memory (weights resident, peak activations, storage), the fit verdict
// with its numbers, and energy/power.
#pragma once

#include "model.hpp"

namespace winglet::spec_target {

struct Summary {
    double latency_ms = 0, energy_mj = 0, avg_power_w = 0;
    uint64_t weights_resident_bytes = 0, peak_activation_bytes = 0, peak_memory_bytes = 0;
    uint64_t storage_bytes = 0;
    bool fits = true;
    std::string fit_detail;
};

// `peak_activation_bytes`: the graph's peak of live activations, at the compute dtype's width.
Summary summarize(const DeviceSpec& spec, const std::vector<OpDesc>& ops, const Plan& plan,
                  double peak_activation_bytes);

// "1.5 MiB", "512 KiB", "300 B": binary units, as device memories are quoted.
std::string format_bytes(double bytes);

}  // namespace winglet::spec_target
