// The built-in edge device the hand calculations in these tests use.
#pragma once

#include "config.hpp"

#include <stdexcept>

namespace systolic::test {

inline const ArrayConfig& edge() {
    for (const ArrayConfig& c : builtin_configs())
        if (c.id == "systolic-edge-32x32") return c;
    throw std::logic_error("edge device missing");
}

}  // namespace systolic::test
