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

namespace {

// A non-negative integer, all of `text`; nullopt otherwise.
std::optional<int64_t> size_from(const std::string& text) {
    size_t used = 0;
    long long v = -1;
    try {
        v = std::stoll(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || v < 0 || text.empty() || text[0] == '+' || text[0] == ' ') return std::nullopt;
    return v;
}

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    size_t begin = 0;
    for (size_t end; (end = text.find(separator, begin)) != std::string::npos; begin = end + 1)
        parts.push_back(text.substr(begin, end - begin));
    parts.push_back(text.substr(begin));
    return parts;
}

const std::vector<std::string>& repeated(const po::variables_map& vm, const char* name) {
    static const std::vector<std::string> none;
    return vm.count(name) ? vm[name].as<std::vector<std::string>>() : none;
}

}  // namespace

std::map<std::string, int64_t> parse_dims(const boost::program_options::variables_map& vm) {
    std::map<std::string, int64_t> dims;
    for (const std::string& d : repeated(vm, "dim")) {
        const auto [name, value] = parse_key_value(d, "--dim");
        const auto size = size_from(value);
        if (!size) throw UsageError("--dim " + name + ": '" + value + "' is not a non-negative integer");
        dims[name] = *size;
    }
    return dims;
}

void add_import_options(po::options_description& desc) {
    desc.add_options()
        ("dim", po::value<std::vector<std::string>>()->composing(), "NAME=VALUE: give a symbolic dimension a size (repeatable)")
        ("input", po::value<std::vector<std::string>>()->composing(),
         "NAME=DIMS: fix an input's shape, e.g. input=1x512 (\"scalar\" for rank 0), whatever its stored dims (repeatable)")
        ("input-value", po::value<std::vector<std::string>>()->composing(),
         "NAME=V[,V...]: give a small input known contents, e.g. sr=16000; used for shape arithmetic and If/Loop "
         "control, never for costs (repeatable)")
        ("importer", po::value<std::string>(), "force the importer for this format instead of probing");
}

ImportOptions import_options_from(const po::variables_map& vm) {
    ImportOptions options;
    options.dim_overrides = parse_dims(vm);
    for (const std::string& spec : repeated(vm, "input")) {
        const auto eq = spec.find('=');
        if (eq == std::string::npos || eq == 0) throw UsageError("--input expects NAME=DIMS, got '" + spec + "'");
        const std::string name = spec.substr(0, eq), text = spec.substr(eq + 1);
        std::vector<int64_t> dims;
        if (text != "scalar") {
            for (const std::string& part : split(text, 'x')) {
                const auto size = size_from(part);
                if (!size)
                    throw UsageError("--input " + name + ": '" + text + "' is not a shape like 1x3x224x224 (\"scalar\" for rank 0)");
                dims.push_back(*size);
            }
        }
        if (!options.input_shapes.emplace(name, std::move(dims)).second)
            throw UsageError("--input " + name + " is given twice");
    }
    for (const std::string& spec : repeated(vm, "input-value")) {
        const auto [name, text] = parse_key_value(spec, "--input-value");
        if (!options.input_values.emplace(name, split(text, ',')).second)
            throw UsageError("--input-value " + name + " is given twice");
    }
    if (vm.count("importer")) options.format = vm["importer"].as<std::string>();
    return options;
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
