// Hands a report to an exporter plugin and delivers its bytes to a stream or a file.
#pragma once

#include "plugins/registry.hpp"
#include "report/report.hpp"

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace winglet {

// Throws PluginError naming the formats there are when no exporter serves `format`: a check to
// make before any slow work.
void require_exporter(const PluginRegistry& registry, const std::string& format);

// Throws PluginError when no exporter serves `format` or the exporter fails.
void export_report(const PluginRegistry& registry, const Report& report, const std::string& format,
                   std::ostream& out);

// Writes beside `path` first and renames into place, so a failed export never leaves a truncated
// file and never clobbers a previous good one. Throws OutputError when the file cannot be written.
void export_report_to_file(const PluginRegistry& registry, const Report& report,
                           const std::string& format, const std::filesystem::path& path);

// Hands two or more labelled winglet JSON documents to the exporter of `format` to write a
// comparison. Throws PluginError when no exporter serves `format`, it writes no comparisons, or
// it fails.
void export_comparison(const PluginRegistry& registry, const std::vector<std::string>& labels,
                       const std::vector<std::string>& documents, const std::string& format, std::ostream& out);

// The format implied by a file name's extension ("report.csv" -> "csv"), "" if none.
std::string format_from_extension(const PluginRegistry& registry, const std::filesystem::path& path);

}  // namespace winglet
