// Energy: per-MAC cost of the unit in the dtype it runs, per-byte cost by memory level, and static
// power while a unit is busy.
#pragma once

#include "latency.hpp"

namespace winglet::spec_target {

// pJ per byte of main memory: dram, or sram on a device without DRAM (an MCU), else flash.
double main_memory_pj_per_byte(const DeviceSpec& spec);
// pJ per byte kept on chip (fused intermediates): sram, else main memory.
double onchip_pj_per_byte(const DeviceSpec& spec);
// pJ per byte of weights read in place from storage: flash, else main memory.
double storage_pj_per_byte(const DeviceSpec& spec);

// Dynamic energy of a group, in uJ: (ops / 2) MACs as executed (sparse MACs skipped, decode
// included), its traffic by memory level (the spill included), and `transition_bytes` handed in.
double dynamic_energy_uj(const DeviceSpec& spec, const Unit& unit, const GroupCost& cost,
                         double transition_bytes);
// The part of dynamic_energy_uj the spill costs: its traffic at main memory's pJ per byte.
double spill_energy_uj(const DeviceSpec& spec, const GroupCost& cost);

// Static energy in uJ: sum over units of static_power_w * busy time (W * us = uJ).
double static_energy_uj(const DeviceSpec& spec, const std::vector<double>& busy_us);

}  // namespace winglet::spec_target
