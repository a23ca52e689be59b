// Placement: the first unit in placement.preference that can run the op, with the reason when
// that is not the most preferred unit.
#pragma once

#include "model.hpp"

namespace winglet::spec_target {

// "" when `unit` can run `op`; otherwise why not, e.g. "kernel 5 > kernel_max 3".
std::string unsupported_because(const Unit& unit, const OpDesc& op);

struct Placement {
    size_t unit = 0;     // index into spec.units
    std::string reason;  // "" on the first preferred unit
};

// Never fails: an op no unit accepts goes to the last unit in preference, with the reason.
Placement place(const DeviceSpec& spec, const OpDesc& op);

}  // namespace winglet::spec_target
