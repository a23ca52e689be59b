#include "memory.hpp"

#include <cmath>
#include <cstdio>

namespace winglet::spec_target {

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
    s.weights_resident_bytes = static_cast<uint64_t>(std::ceil(weights));
    s.storage_bytes = s.weights_resident_bytes;
    s.peak_activation_bytes = static_cast<uint64_t>(std::ceil(peak_activation_bytes));
    s.peak_memory_bytes = s.weights_resident_bytes + s.peak_activation_bytes;

    const double ram = spec.memory.ram_bytes.value;
    const auto& storage = spec.memory.storage_bytes;
    const bool ram_ok = static_cast<double>(s.peak_memory_bytes) <= ram;
    const bool storage_ok = !storage || static_cast<double>(s.storage_bytes) <= storage->value;
    s.fits = ram_ok && storage_ok;

    s.fit_detail = "needs " + format_bytes(weights) + " weights + " +
                   format_bytes(peak_activation_bytes) + " activations = " +
                   format_bytes(static_cast<double>(s.peak_memory_bytes)) + " RAM";
    if (storage) s.fit_detail += ", " + format_bytes(weights) + " storage";
    s.fit_detail += "; device has " + format_bytes(ram) + " RAM";
    if (storage) s.fit_detail += ", " + format_bytes(storage->value) + " storage";
    if (!ram_ok) s.fit_detail += "; RAM exceeded";
    if (!storage_ok) s.fit_detail += "; storage exceeded";
    return s;
}

}  // namespace winglet::spec_target
