// `winglet optimize`: compress a model's weights by a recipe and write the compressed model.
#include "analysis/analyzer.hpp"
#include "cli/cli.hpp"
#include "cli/command_options.hpp"
#include "cli/compression_table.hpp"
#include "compile/compile.hpp"
#include "compression/apply_recipe.hpp"
#include "compression/compressed_report.hpp"
#include "compression/write_model.hpp"
#include "core/errors.hpp"
#include "plugins/import.hpp"
#include "report/export.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

namespace po = boost::program_options;

namespace winglet::cli {
namespace {

// The JSON report with the written file added as a last top-level member, "written": {"path",
// "bytes"}, laid out as the json exporter lays out the rest (nlohmann's dump(2)).
void print_json(const PluginRegistry& registry, const Report& report, const std::optional<WrittenModel>& written) {
    if (!written) {
        export_report(registry, report, "json", std::cout);
        return;
    }
    std::ostringstream text;
    export_report(registry, report, "json", text);
    nlohmann::ordered_json doc = nlohmann::ordered_json::parse(text.str());
    doc["written"] = {{"path", written->path}, {"bytes", written->bytes}};
    std::cout << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

}  // namespace

int run_optimize(const GlobalOptions& global, const std::vector<std::string>& args) {
    po::options_description desc("winglet optimize MODEL --recipe RECIPE.toml -o OUT [options]");
    desc.add_options()
        ("help,h", "show this help")
        ("recipe", po::value<std::string>(), "compression recipe (TOML; see docs/recipes.md)")
        ("output,o", po::value<std::string>(), "write the compressed model to this file")
        ("format", po::value<std::string>(), "model format to write (default: the model's own, e.g. onnx)")
        ("target,t", po::value<std::string>(), "device whose compiled latency `top_latency` selectors rank ops by")
        ("option", po::value<std::vector<std::string>>()->composing(), "KEY=VALUE passed to the target plugin (with -t)")
        ("json", "print the JSON report of the compressed model (per op `compression`, `before`; with -o, `written`)");
    add_import_options(desc);
    const po::variables_map vm = parse_with_model(desc, args);
    if (vm.count("help")) {
        std::cout << "Compress MODEL's weights as RECIPE says, measure the error each compressed tensor carries\n"
                     "(SQNR, relative L2, cosine, max abs error), and write the compressed model: quantized\n"
                     "weights as integer codes packed to their bit width, palettized ones as look-up tables\n"
                     "and packed indices, pruned ones as their non-zero values and a bit mask, all decoded by\n"
                     "standard ONNX operators. The written file's size is printed beside the reported storage.\n\n"
                  << desc;
        return 0;
    }
    if (!vm.count("model")) throw UsageError("optimize needs a MODEL file (see `winglet optimize --help`)");
    if (!vm.count("recipe")) throw UsageError("optimize needs --recipe RECIPE.toml");
    if (!vm.count("output") && !vm.count("json")) throw UsageError("optimize needs -o OUT (or --json to only measure)");

    const ImportOptions import_options = import_options_from(vm);
    const Recipe recipe = load_recipe(vm["recipe"].as<std::string>());
    PluginRegistry registry;
    load_plugins(registry, global);
    check_recipe(registry, recipe);
    const Model model = import_model(registry, vm["model"].as<std::string>(), import_options);
    Report before = analyze(model);
    CompileOptions compile_options;
    if (vm.count("option"))
        for (const std::string& o : vm["option"].as<std::vector<std::string>>())
            compile_options.target_options.insert(parse_key_value(o, "--option"));
    const std::string device = vm.count("target") ? vm["target"].as<std::string>() : "";
    if (!device.empty()) attach_plan(before, compile_model(registry, model, before, device, compile_options));

    const CompressionResult result = apply_recipe(registry, model, before, recipe);
    Report after = compressed_report(model, before, result);
    if (!device.empty()) {
        compile_options.variant = result.fingerprint;
        attach_plan(after, compile_model(registry, model, after, device, compile_options));
    }
    after.baseline = std::make_shared<Report>(std::move(before));
    for (const std::string& w : result.warnings) spdlog::warn("{}", w);

    std::optional<WrittenModel> written;
    if (vm.count("output")) {
        const std::string path = vm["output"].as<std::string>();
        write_compressed_model(registry, model, result, vm.count("format") ? vm["format"].as<std::string>() : "",
                               std::string("winglet ") + WINGLET_VERSION + " " + recipe.path.filename().string(), path);
        written = WrittenModel{path, std::filesystem::file_size(path)};
        spdlog::info("wrote {}", path);
    }
    if (vm.count("json"))
        print_json(registry, after, written);
    else
        print_compression(std::cout, after, written ? &*written : nullptr);
    return 0;
}

}  // namespace winglet::cli
