// Hands a report to an exporter plugin and delivers its bytes to a stream or a file.
#pragma once

#include "plugins/registry.hpp"
#include "report/report.hpp"

#include <filesystem>
#include <ostream>
#include <string>

namespace winglet {

// Throws PluginError when no exporter serves `format` or the exporter fails.
void export_report(const PluginRegistry& registry, const Report& report, const std::string& format,
                   std::ostream& out);

// Writes beside `path` first and renames into place, so a failed export never leaves a truncated
// file and never clobbers a previous good one. Throws OutputError when the file cannot be written.
void export_report_to_file(const PluginRegistry& registry, const Report& report,
                           const std::string& format, const std::filesystem::path& path);

// The format implied by a file name's extension ("report.csv" -> "csv"), "" if none.
std::string format_from_extension(const PluginRegistry& registry, const std::filesystem::path& path);

}  // namespace winglet
