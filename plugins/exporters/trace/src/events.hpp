// Chrome trace event format for a compiled report: one process (the device), one thread per
// compute unit, one complete ("X") event per op on its unit's track.
#pragma once

#include <winglet/plugin.hpp>

#include <nlohmann/json.hpp>

namespace winglet::trace_exporter {

// Throws sdk::Error(WG_ERR_UNSUPPORTED) for a report without a plan (an inspect report).
nlohmann::ordered_json trace_document(const sdk::ReportView& report);

}  // namespace winglet::trace_exporter
