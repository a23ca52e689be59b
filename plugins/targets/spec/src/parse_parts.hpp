// Pieces of the spec parser shared between its source files.
#pragma once

#include "reader.hpp"

namespace winglet::device_spec::detail {

// Ids, unit names and source keys: lower-case ASCII, digits, '-', '_', '.'.
bool valid_name(std::string_view s);

// One [[unit]] table (index is 0-based, for messages about a unit without a name).
Unit read_unit(TableReader& r, size_t index);

}  // namespace winglet::device_spec::detail
