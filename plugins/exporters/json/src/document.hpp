// The `winglet inspect --json` document, built from a report. Its schema and versioning rules are
// in ../schema/inspect.schema.json; bump kSchemaVersion with every change to what this writes.
#pragma once

#include <winglet/plugin.hpp>

#include <functional>
#include <string_view>

namespace winglet::json_exporter {

// MAJOR.MINOR: the minor grows when fields are added, the major when any field changes or goes.
// 1.1: compile reports' fields; 1.2: critical path, memory plan, compression; 1.3: inputs, what_if; 1.4: see the schema
inline constexpr const char* kSchemaVersion = "1.4";

// Writes the document, pretty-printed with a two-space indent, one op at a time. Keys keep the
// order they are written in, so the output is stable and diffable. Bytes that are not UTF-8
// (names in a malformed model) are written as U+FFFD.
enum class Layout { Pretty, Compact };
// Receives the document in chunks of about 64 KiB.
using ByteWriter = std::function<void(std::string_view)>;
void write_document(const sdk::ReportView& report, const ByteWriter& write, Layout layout = Layout::Pretty);

}  // namespace winglet::json_exporter
