// `winglet compare A.json B.json [...] -o diff.html`: two or more reports (models, devices or
// recipes) side by side, ops matched by name, written by an exporter that writes comparisons.
#include "cli/cli.hpp"
#include "core/errors.hpp"
#include "io/atomic_write.hpp"
#include "report/export.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace winglet::cli {
namespace {

constexpr uintmax_t kMaxReportBytes = uintmax_t(1) << 30;  // a 10,000-op report is ~10 MB

std::string read_report(const std::string& path) {
    std::error_code ec;
    const uintmax_t size = fs::file_size(path, ec);
    if (ec) throw InputError(path + ": cannot read: " + ec.message());
    if (size > kMaxReportBytes) throw InputError(path + ": " + std::to_string(size) + " bytes is too large for a report");
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) throw InputError(path + ": cannot read");
    return text.str();
}

// The document must be a winglet report of schema major 1 with ops and totals: the viewer reads
// those, and a plugin must never be handed arbitrary JSON.
void check_report(const std::string& path, const std::string& text) {
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError(path + ": not JSON: " + e.what());
    }
    if (!doc.is_object() || !doc.contains("schema_version") || !doc["schema_version"].is_string())
        throw InputError(path + ": not a winglet report (no schema_version; write one with `winglet compile ... -o FILE.json`)");
    const std::string version = doc["schema_version"];
    if (version.rfind("1.", 0) != 0)
        throw InputError(path + ": report schema " + version + " is not 1.x, which this winglet reads");
    if (!doc.contains("ops") || !doc["ops"].is_array() || !doc.contains("totals") || !doc["totals"].is_object())
        throw InputError(path + ": a winglet report needs `ops` (an array) and `totals` (an object)");
    for (const auto& op : doc["ops"])
        if (!op.is_object() || !op.contains("name") || !op["name"].is_string())
            throw InputError(path + ": every op needs a string `name` (ops are matched by name)");
}

// File stems, made unique ("a", "a (2)") so every column has its own name.
std::vector<std::string> default_labels(const std::vector<std::string>& paths) {
    std::vector<std::string> labels;
    std::set<std::string> used;
    for (const std::string& path : paths) {
        const std::string stem = fs::path(path).stem().string();
        std::string label = stem;
        for (int n = 2; used.count(label); ++n) label = stem + " (" + std::to_string(n) + ")";
        used.insert(label);
        labels.push_back(label);
    }
    return labels;
}

}  // namespace

int run_compare(const GlobalOptions& global, const std::vector<std::string>& args) {
    po::options_description desc("winglet compare A.json B.json [...] -o FILE [options]");
    desc.add_options()
        ("help,h", "show this help")
        ("output,o", po::value<std::string>(), "write the comparison to FILE")
        ("format", po::value<std::string>(), "format of --output (default: from the file extension; html writes one)")
        ("label", po::value<std::vector<std::string>>()->composing(), "name of each report, in order (default: the file names)");
    po::options_description hidden;
    hidden.add_options()("report", po::value<std::vector<std::string>>(), "");
    po::options_description all;
    all.add(desc).add(hidden);
    po::positional_options_description positional;
    positional.add("report", -1);
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    if (vm.count("help")) {
        std::cout << "Compare two or more reports written by `winglet compile ... -o FILE.json` (other models,\n"
                     "devices or recipes): their totals side by side and a diff of the ops, matched by name.\n\n"
                  << desc;
        return 0;
    }
    const std::vector<std::string> paths =
        vm.count("report") ? vm["report"].as<std::vector<std::string>>() : std::vector<std::string>{};
    if (paths.size() < 2) throw UsageError("compare needs two or more reports (JSON files written by `winglet compile -o`)");
    if (!vm.count("output")) throw UsageError("compare needs --output FILE (e.g. -o diff.html)");
    std::vector<std::string> labels = default_labels(paths);
    if (vm.count("label")) {
        const auto given = vm["label"].as<std::vector<std::string>>();
        if (given.size() != paths.size())
            throw UsageError("--label given " + std::to_string(given.size()) + " times for " +
                             std::to_string(paths.size()) + " reports");
        labels = given;
    }

    PluginRegistry registry;
    load_plugins(registry, global);
    const std::string path = vm["output"].as<std::string>();
    std::string format = vm.count("format") ? vm["format"].as<std::string>() : format_from_extension(registry, path);
    if (format.empty()) format = "html";
    require_exporter(registry, format);

    std::vector<std::string> documents;
    for (const std::string& report : paths) {
        documents.push_back(read_report(report));
        check_report(report, documents.back());
    }
    write_file_atomically(path, [&](std::ostream& out) { export_comparison(registry, labels, documents, format, out); });
    return 0;
}

}  // namespace winglet::cli
