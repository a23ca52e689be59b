#include "traffic.hpp"

#include <algorithm>

namespace winglet::spec_target {

namespace {
constexpr double kUsPerS = 1e6;
}  // namespace

Traffic group_traffic(const DeviceSpec& spec, const Unit& unit, const std::vector<OpDesc>& ops, size_t first,
                      size_t last) {
    Traffic t;
    if (ops[first].folded && first == last) return t;  // a weight loaded with the model: no work
    double weights = 0, activations = 0, intermediates = 0;
    for (size_t i = first; i <= last; ++i) {
        weights += ops[i].weight_bytes;
        activations += ops[i].input_bytes + ops[i].output_bytes;
        if (i < last) intermediates += ops[i].output_bytes;
    }
    // Each intermediate would have been written by its producer and read by its consumer.
    t.onchip_bytes = 2 * intermediates;
    const double outside = std::max(activations - t.onchip_bytes, 0.0);
    const bool in_place = spec.memory.weights_in == device_spec::WeightsIn::storage;
    t.ram_bytes = outside + (in_place ? 0 : weights);
    t.storage_bytes = in_place ? weights : 0;
    // Weights stream through the unit from where they live (CMSIS-NN reads them from flash; the
    // systolic target streams them from DRAM too), so the on-chip working set is the activations.
    t.working_set = outside + intermediates;
    if (unit.onchip_bytes) {
        t.spill_bytes = std::max(t.working_set - unit.onchip_bytes->value, 0.0);
        t.spill_traffic = 2 * t.spill_bytes;
    }
    return t;
}

double storage_read_bandwidth(const DeviceSpec& spec, const Unit& unit) {
    const auto& given = spec.memory.storage_read_bandwidth;
    return given ? std::min(given->value, unit.bandwidth.value) : unit.bandwidth.value;
}

double traffic_us(const DeviceSpec& spec, const Unit& unit, const Traffic& t, bool with_spill) {
    const double ram = t.ram_bytes + (with_spill ? t.spill_traffic : 0);
    const double storage_us = t.storage_bytes > 0 ? t.storage_bytes / storage_read_bandwidth(spec, unit) : 0;
    return (ram / unit.bandwidth.value + storage_us) * kUsPerS;
}

}  // namespace winglet::spec_target
