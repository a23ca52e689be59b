// Model-level results: where the model lives on the device (weights in RAM, or read in place from
// storage), what each memory needs against what it has, the fit verdict with its numbers, and
// energy/power. Equations: plugins/targets/spec/README.md, "Memory and fit".
#pragma once

#include "model.hpp"

namespace winglet::spec_target {

struct Summary {
    double latency_ms = 0, energy_mj = 0, avg_power_w = 0;
    device_spec::WeightsIn weights_in = device_spec::WeightsIn::ram;
    uint64_t weights_resident_bytes = 0;  // all weights, wherever they live
    uint64_t peak_activation_bytes = 0;   // the peak of live activations, model inputs and outputs included
    uint64_t peak_memory_bytes = 0;       // RAM needed: activations (+ weights when they live in RAM)
    uint64_t storage_bytes = 0;           // storage needed: the weights
    uint64_t ram_capacity_bytes = 0;
    uint64_t storage_capacity_bytes = 0;  // 0: the spec gives no storage_bytes (not checked)
    bool ram_fits = true, storage_fits = true;
    bool fits = true;                     // both
    std::string fit_detail;
};

// `peak_activation_bytes`: the graph's peak of live activations, at the compute dtype's width.
Summary summarize(const DeviceSpec& spec, const std::vector<OpDesc>& ops, const Plan& plan,
                  double peak_activation_bytes);

// "1.5 MiB", "512 KiB", "300 B": binary units, as device memories are quoted.
std::string format_bytes(double bytes);

}  // namespace winglet::spec_target
