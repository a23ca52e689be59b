#include "cli/command_options.hpp"

#include "core/errors.hpp"
#include "report/export.hpp"

#include <spdlog/spdlog.h>

namespace winglet::cli {
namespace po = boost::program_options;

po::variables_map parse_with_model(const po::options_description& desc, const std::vector<std::string>& args) {
    po::options_description hidden;
    hidden.add_options()("model", po::value<std::string>());
    po::options_description all;
    all.add(desc).add(hidden);
    po::positional_options_description pos;
    pos.add("model", 1);
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    return vm;
}

std::pair<std::string, std::string> parse_key_value(const std::string& text, const std::string& flag) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
        throw UsageError(flag + " expects NAME=VALUE, got '" + text + "'");
    return {text.substr(0, eq), text.substr(eq + 1)};
}

std::map<std::string, int64_t> parse_dims(const boost::program_options::variables_map& vm) {
    std::map<std::string, int64_t> dims;
    if (!vm.count("dim")) return dims;
    for (const std::string& d : vm["dim"].as<std::vector<std::string>>()) {
        const auto [name, value] = parse_key_value(d, "--dim");
        size_t used = 0;
        long long v = -1;
        try {
            v = std::stoll(value, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != value.size() || v < 0)
            throw UsageError("--dim " + name + ": '" + value + "' is not a non-negative integer");
        dims[name] = v;
    }
    return dims;
}

void write_requested_output(const PluginRegistry& registry, const Report& report,
                            const boost::program_options::variables_map& vm) {
    if (!vm.count("output")) {
        if (vm.count("format")) throw UsageError("--format needs --output FILE");
        return;
    }
    const std::string path = vm["output"].as<std::string>();
    std::string format = vm.count("format") ? vm["format"].as<std::string>() : format_from_extension(registry, path);
    if (format.empty()) format = "json";
    export_report_to_file(registry, report, format, path);
    spdlog::info("wrote {} ({})", path, format);
}

}  // namespace winglet::cli
