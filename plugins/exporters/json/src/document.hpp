// The `winglet inspect --json` document, built from a report. Its schema and versioning rules are
// in ../schema/inspect.schema.json; bump kSchemaVersion with every change to what this writes.
#pragma once

#include <winglet/plugin.hpp>

namespace winglet::json_exporter {

// MAJOR.MINOR: the minor grows when fields are added, the major when any field changes or goes.
inline constexpr const char* kSchemaVersion = "1.2";  // 1.1: compile reports' fields; 1.2: critical path, memory plan

// Writes the document, pretty-printed with a two-space indent, one op at a time. Keys keep the
// order they are written in, so the output is stable and diffable. Bytes that are not UTF-8
// (names in a malformed model) are written as U+FFFD.
void write_document(const sdk::ReportView& report, sdk::Sink& sink);

}  // namespace winglet::json_exporter
