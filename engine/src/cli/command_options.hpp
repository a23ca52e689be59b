// Option values shared by the subcommands that import a model and write reports.
#pragma once

#include "plugins/import.hpp"
#include "plugins/registry.hpp"
#include "report/report.hpp"

#include <boost/program_options.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace winglet::cli {

// Parses `args` against `desc` plus one positional MODEL (stored as "model").
boost::program_options::variables_map parse_with_model(const boost::program_options::options_description& desc,
                                                       const std::vector<std::string>& args);

// "NAME=VALUE" for --dim and --option; `flag` names the option in errors.
std::pair<std::string, std::string> parse_key_value(const std::string& text, const std::string& flag);
// --dim NAME=VALUE (repeatable) as a map of non-negative sizes.
std::map<std::string, int64_t> parse_dims(const boost::program_options::variables_map& vm);

// The options that fix what a model's inputs are (--dim, --input, --input-value, --importer),
// shared by every command that imports a model.
void add_import_options(boost::program_options::options_description& desc);
// Reads them; throws UsageError for malformed values ("--input x=1x?": '?' is not a size).
ImportOptions import_options_from(const boost::program_options::variables_map& vm);

// Writes the report to --output in --format (default: from the extension, else json);
// --format without --output is a usage error.
void write_requested_output(const PluginRegistry& registry, const Report& report,
                            const boost::program_options::variables_map& vm);

}  // namespace winglet::cli
