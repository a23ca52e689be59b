#include "memory.hpp"

#include <cmath>
#include <cstdio>

namespace winglet::spec_target {

namespace {

uint64_t whole_bytes(double bytes) { return static_cast<uint64_t>(std::ceil(bytes)); }

// "RAM 12 KiB of 1 MiB (activations + I/O)", and by how much it is exceeded.
std::string need_of(const char* memory, uint64_t need, uint64_t capacity, const std::string& what) {
    std::string text = std::string(memory) + " " + format_bytes(static_cast<double>(need)) + " of " +
                       format_bytes(static_cast<double>(capacity)) + " (" + what + ")";
    if (need > capacity) text += ", exceeded by " + format_bytes(static_cast<double>(need - capacity));
    return text;
}

}  // namespace

std::string format_bytes(double bytes) {
    static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    size_t u = 0;
    while (bytes >= 1024 && u + 1 < std::size(units)) {
        bytes /= 1024;
        ++u;
    }
    char text[32];
    std::snprintf(text, sizeof text, u == 0 || bytes == std::floor(bytes) ? "%.0f %s" : "%.1f %s",
                  bytes, units[u]);
    return text;
}

Summary summarize(const DeviceSpec& spec, const std::vector<OpDesc>& ops, const Plan& plan,
                  double peak_activation_bytes) {
    Summary s;
    const PlanTotals& t = plan.totals;
    s.latency_ms = t.latency_us / 1e3;
    s.energy_mj = (t.dynamic_energy_uj + t.static_energy_uj) / 1e3;
    s.avg_power_w = s.latency_ms > 0 ? s.energy_mj / s.latency_ms : 0;  // mJ / ms = W

    double weights = 0;
    for (const OpDesc& op : ops) weights += op.weight_bytes;
    s.weights_in = spec.memory.weights_in;
    const bool in_place = s.weights_in == device_spec::WeightsIn::storage;
    s.weights_resident_bytes = whole_bytes(weights);
    s.storage_bytes = s.weights_resident_bytes;
    s.peak_activation_bytes = whole_bytes(peak_activation_bytes);
    // Weights read in place take no RAM (X-CUBE-AI's "weights" buffer is in flash, its
    // "activations" buffer in RAM); weights loaded at start-up sit in RAM beside the activations.
    s.peak_memory_bytes = s.peak_activation_bytes + (in_place ? 0 : s.weights_resident_bytes);

    s.ram_capacity_bytes = whole_bytes(spec.memory.ram_bytes.value);
    s.storage_capacity_bytes = spec.memory.storage_bytes ? whole_bytes(spec.memory.storage_bytes->value) : 0;
    s.ram_fits = s.peak_memory_bytes <= s.ram_capacity_bytes;
    s.storage_fits = !spec.memory.storage_bytes || s.storage_bytes <= s.storage_capacity_bytes;
    s.fits = s.ram_fits && s.storage_fits;

    const std::string activations = "activations + I/O";
    if (in_place) {
        // Weights read in place need memory-mapped storage: on-chip or QSPI NOR flash.
        s.fit_detail = need_of("flash", s.storage_bytes, s.storage_capacity_bytes, "weights, read in place") + "; " +
                       need_of("RAM", s.peak_memory_bytes, s.ram_capacity_bytes, activations);
        return s;
    }
    s.fit_detail = need_of("RAM", s.peak_memory_bytes, s.ram_capacity_bytes,
                           "weights " + format_bytes(weights) + " + " + activations + " " +
                               format_bytes(static_cast<double>(s.peak_activation_bytes)));
    if (spec.memory.storage_bytes)
        s.fit_detail += "; " + need_of("storage", s.storage_bytes, s.storage_capacity_bytes, "weights");
    return s;
}

}  // namespace winglet::spec_target
