// Where the bytes of a group (or lone op) travel on a device, and what that costs in time:
// activations to and from RAM, weights from RAM or read in place from storage (flash), fused
// intermediates on chip, and the part of the working set that does not fit the unit's on-chip
// memory spilled to RAM and read back. Equations: plugins/targets/spec/README.md, "Memory traffic".
#pragma once

#include "model.hpp"

namespace winglet::spec_target {

struct Traffic {
    double ram_bytes = 0;       // activations from outside the group + its outputs (+ weights in RAM)
    double storage_bytes = 0;   // weights read in place from storage
    double onchip_bytes = 0;    // intermediates inside the group: written once, read once
    double working_set = 0;     // activations the unit holds at once: inputs + outputs + intermediates
    double spill_bytes = 0;     // working_set beyond the unit's onchip_bytes (0 without onchip_bytes)
    double spill_traffic = 0;   // 2 * spill_bytes: each written to RAM once and read back once
};

Traffic group_traffic(const DeviceSpec& spec, const Unit& unit, const std::vector<OpDesc>& ops, size_t first,
                      size_t last);

// B/s at which `unit` reads weights in place from storage: the slower of the unit's bandwidth and
// memory.storage_read_bandwidth (the unit's bandwidth when the spec gives none).
double storage_read_bandwidth(const DeviceSpec& spec, const Unit& unit);

// Time to move the traffic, in us: RAM bytes (and, with `with_spill`, the spill) at the unit's
// bandwidth plus storage bytes at storage_read_bandwidth, one after the other (one memory port).
double traffic_us(const DeviceSpec& spec, const Unit& unit, const Traffic& t, bool with_spill);

}  // namespace winglet::spec_target
