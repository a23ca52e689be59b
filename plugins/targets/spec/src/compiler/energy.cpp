#include "energy.hpp"

namespace winglet::spec_target {

namespace {

constexpr double kUjPerPj = 1e-6;

double level_pj(const DeviceSpec& spec, device_spec::MemoryLevel level) {
    const auto& table = spec.memory.energy_pj_per_byte;
    const auto it = table.find(level);
    return it != table.end() ? it->second.value : -1;
}

}  // namespace

double main_memory_pj_per_byte(const DeviceSpec& spec) {
    using device_spec::MemoryLevel;
    for (MemoryLevel level : {MemoryLevel::dram, MemoryLevel::sram, MemoryLevel::flash})
        if (const double pj = level_pj(spec, level); pj >= 0) return pj;
    return 0;  // unreachable for a validated spec (at least one level)
}

double onchip_pj_per_byte(const DeviceSpec& spec) {
    const double sram = level_pj(spec, device_spec::MemoryLevel::sram);
    return sram >= 0 ? sram : main_memory_pj_per_byte(spec);
}

double storage_pj_per_byte(const DeviceSpec& spec) {
    const double flash = level_pj(spec, device_spec::MemoryLevel::flash);
    return flash >= 0 ? flash : main_memory_pj_per_byte(spec);
}

double dynamic_energy_uj(const DeviceSpec& spec, const Unit& unit, const GroupCost& cost,
                         double transition_bytes) {
    const Traffic& t = cost.traffic;
    const double mac_pj = unit.energy_pj_per_mac.at(cost.dtype).value;
    const double pj = cost.ops / 2 * mac_pj +
                      (t.ram_bytes + t.spill_traffic + transition_bytes) * main_memory_pj_per_byte(spec) +
                      t.storage_bytes * storage_pj_per_byte(spec) + t.onchip_bytes * onchip_pj_per_byte(spec);
    return pj * kUjPerPj;
}

double spill_energy_uj(const DeviceSpec& spec, const GroupCost& cost) {
    return cost.traffic.spill_traffic * main_memory_pj_per_byte(spec) * kUjPerPj;
}

double static_energy_uj(const DeviceSpec& spec, const std::vector<double>& busy_us) {
    double uj = 0;
    for (size_t u = 0; u < spec.units.size(); ++u) uj += spec.units[u].static_power_w.value * busy_us[u];
    return uj;
}

}  // namespace winglet::spec_target
