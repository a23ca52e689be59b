// `winglet compile`: import a model, compile it for a device through its target plugin, and show
// or export the plan.
#include "analysis/analyzer.hpp"
#include "cache/output_memo.hpp"
#include "cache/result_cache.hpp"
#include "cli/cli.hpp"
#include "cli/command_options.hpp"
#include "cli/compile_table.hpp"
#include "cli/compression_table.hpp"
#include "compression/apply_recipe.hpp"
#include "compression/compressed_report.hpp"
#include "compression/what_if.hpp"
#include "cli/warning_recorder.hpp"
#include "compile/plan_cache.hpp"
#include "core/errors.hpp"
#include "io/atomic_write.hpp"
#include "plugins/import.hpp"
#include "report/export.hpp"

#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/program_options.hpp>

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <iostream>
#include <sstream>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace winglet::cli {
namespace {

// A cache that cannot be used (broken, from a newer winglet, no location) is a warning: the
// compile runs without it.
std::optional<ResultCache> open_plan_cache(const po::variables_map& vm) {
    if (vm.count("no-cache")) return std::nullopt;
    try {
        return ResultCache::try_open(vm.count("cache") ? std::filesystem::path(vm["cache"].as<std::string>())
                                                       : ResultCache::default_path());
    } catch (const CacheError& e) {
        spdlog::warn("{}; running without the cache", e.what());
        return std::nullopt;
    }
}

fs::path absolute_path(const std::string& path) {
    std::error_code ec;
    fs::path p = fs::absolute(path, ec);
    return ec ? fs::path(path) : p.lexically_normal();
}

// Everything besides file contents that shapes what `compile` prints and writes.
std::string output_request(const po::variables_map& vm, const std::string& canonical_options,
                           const std::vector<fs::path>& plugin_dirs) {
    // The path as typed too: reports show it.
    std::string text = "command:compile\nmodel-arg:" + vm["model"].as<std::string>() + "\n" + canonical_options;
    if (vm.count("recipe")) text += "recipe:" + absolute_path(vm["recipe"].as<std::string>()).string() + "\n";
    if (vm.count("what-if")) text += "what-if\n";
    text += vm.count("json") ? "stdout:json\n" : "stdout:table top=" + std::to_string(vm["top"].as<size_t>()) + "\n";
    if (vm.count("output"))
        text += "output-format:" + (vm.count("format") ? vm["format"].as<std::string>()
                                                       : "ext" + fs::path(vm["output"].as<std::string>()).extension().string()) + "\n";
    for (const fs::path& dir : plugin_dirs) text += "plugin-dir:" + absolute_path(dir.string()).string() + "\n";
    const char* device_path = std::getenv("WINGLET_DEVICE_PATH");
    text += std::string("device-path:") + (device_path ? device_path : "") + "\n";
    text += std::string("warnings:") + (spdlog::should_log(spdlog::level::warn) ? "shown" : "hidden") + "\n";
    return text;
}

// The files a compile's output depends on: the model and its data, this executable, every
// plugin library and directory searched, and the device spec files with their directories.
std::vector<fs::path> output_inputs(const PluginRegistry& registry, const Model& model, const po::variables_map& vm) {
    std::vector<fs::path> inputs{absolute_path(model.info.path)};
    if (vm.count("recipe")) inputs.push_back(absolute_path(vm["recipe"].as<std::string>()));
    inputs.insert(inputs.end(), model.info.data_files.begin(), model.info.data_files.end());
    boost::system::error_code ec;
    const auto exe = boost::dll::program_location(ec);
    if (!ec) inputs.emplace_back(exe.string());
    for (const fs::path& dir : registry.searched_dirs()) inputs.push_back(absolute_path(dir.string()));
    for (const PluginRecord& record : registry.records()) inputs.push_back(absolute_path(record.path.string()));
    for (const DeviceRecord& device : registry.devices()) {
        const fs::path source(device.source);
        if (!source.is_absolute()) continue;  // "built-in": part of its plugin's library
        inputs.push_back(source);
        inputs.push_back(source.parent_path());
    }
    if (const char* device_path = std::getenv("WINGLET_DEVICE_PATH")) {
        std::stringstream list(device_path);
        for (std::string dir; std::getline(list, dir, ':');)
            if (!dir.empty()) inputs.push_back(absolute_path(dir));
    }
    return inputs;
}

std::optional<CommandOutputs> recall(OutputMemo* memo) {
    if (!memo) return std::nullopt;
    try {
        return memo->recall();
    } catch (const CacheError& e) {
        spdlog::warn("{}; running without the stored output", e.what());
        return std::nullopt;
    }
}

void remember(OutputMemo* memo, const std::vector<fs::path>& inputs, const CommandOutputs& outputs) {
    if (!memo) return;
    try {
        memo->remember(inputs, outputs);
    } catch (const CacheError& e) {
        spdlog::warn("{}; the output was not stored", e.what());
    }
}

void deliver(const CommandOutputs& outputs, const po::variables_map& vm) {
    if (outputs.file_bytes) write_file_atomically(vm["output"].as<std::string>(), *outputs.file_bytes);
    std::cout << outputs.stdout_text << std::flush;
}

}  // namespace

int run_compile(const GlobalOptions& global, const std::vector<std::string>& args) {
    po::options_description desc("winglet compile MODEL -t DEVICE [options]");
    desc.add_options()
        ("help,h", "show this help")
        ("target,t", po::value<std::string>(), "device id to compile for (see `winglet targets`)")
        ("option", po::value<std::vector<std::string>>()->composing(), "KEY=VALUE passed to the target plugin (repeatable)")
        ("json", "print the JSON report to stdout instead of the table")
        ("output,o", po::value<std::string>(), "also write the report to FILE")
        ("format", po::value<std::string>(), "format of --output: json, csv, trace, ... (default: from the file extension)")
        ("top", po::value<size_t>()->default_value(0), "show only the N slowest ops (0: all, in execution order)")
        ("recipe", po::value<std::string>(), "compress by this recipe (TOML) and show the effect: per op and in "
                                              "total, before and after, and the error of each compressed weight")
        ("cache", po::value<std::string>()->value_name("PATH"),
         "plan cache file (default: $XDG_CACHE_HOME/winglet/cache.db, else ~/.cache/winglet/cache.db)")
        ("what-if", "also compile the standard alternatives (none, int8, int4, 4- and 6-bit palettes, 2:4, 50 % "
                    "pruning) on every compressible weight, for the report's what-if panel; implied by an HTML "
                    "--output")
        ("runs", po::value<unsigned>(), "measured devices: timed runs (the median is reported, with the spread)")
        ("warmup", po::value<unsigned>(), "measured devices: runs before the timed ones, not counted")
        ("no-cache", "always call the target (a measured device measures again); neither read nor write the cache")
        ("no-replay", "import and analyse again even when this same command ran before on unchanged files "
                      "(its stored output is otherwise printed again); the plan cache still applies");
    add_import_options(desc);
    const po::variables_map vm = parse_with_model(desc, args);
    if (vm.count("help")) {
        std::cout << "Compile MODEL for a device: the compute unit of every op (with the reason for each\n"
                     "fallback), fused groups, latency, energy and what bounds each op; per model latency,\n"
                     "energy, average power, peak memory per unit, storage and whether it fits.\n"
                     "Plans are cached by model content, device (and its spec) and options; the output of\n"
                     "a repeated command is replayed while the model, plugins and device specs keep their\n"
                     "size, inode and times (checked with stat, like ccache's direct mode).\n\n"
                  << desc;
        return 0;
    }
    if (!vm.count("model")) throw UsageError("compile needs a MODEL file (see `winglet compile --help`)");
    if (!vm.count("target")) throw UsageError("compile needs a device: -t DEVICE (see `winglet targets`)");
    const std::string device = vm["target"].as<std::string>();
    if (vm.count("cache") && vm.count("no-cache")) throw UsageError("--cache and --no-cache exclude each other");

    const ImportOptions import_options = import_options_from(vm);
    CompileOptions compile_options;
    if (vm.count("option"))
        for (const std::string& o : vm["option"].as<std::vector<std::string>>())
            compile_options.target_options.insert(parse_key_value(o, "--option"));
    // How long to measure is the measured target's business: it reads them as options.
    for (const char* key : {"runs", "warmup"})
        if (vm.count(key)) {
            if (vm[key].as<unsigned>() == 0 && std::string(key) == "runs") throw UsageError("--runs must be at least 1");
            compile_options.target_options[key] = std::to_string(vm[key].as<unsigned>());
        }

    if (vm.count("format") && !vm.count("output")) throw UsageError("--format needs --output FILE");

    std::optional<ResultCache> cache = open_plan_cache(vm);
    const std::string model_path = absolute_path(vm["model"].as<std::string>()).string();
    std::optional<OutputMemo> memo;
    if (cache && !vm.count("no-replay"))
        memo.emplace(*cache, model_path,
                     output_request(vm, canonical_compile_options(device, compile_options, import_options),
                                    PluginRegistry::search_path(global.plugin_paths)));
    // A repeated command whose inputs are unchanged: print what it printed, load nothing.
    if (std::optional<CommandOutputs> outputs = recall(memo ? &*memo : nullptr)) {
        spdlog::debug("cache {}: inputs unchanged, replaying the stored output", cache->path().string());
        for (const std::string& warning : outputs->warnings) spdlog::warn("{}", warning);
        deliver(*outputs, vm);
        return 0;
    }

    const WarningRecorder warnings;
    std::optional<Recipe> recipe;
    if (vm.count("recipe")) recipe = load_recipe(vm["recipe"].as<std::string>());
    PluginRegistry registry;
    load_plugins(registry, global);
    // Check the device and the recipe before the slow import.
    require_device(registry, device);
    const bool measured = registry.device(device)->measured;
    if ((vm.count("runs") || vm.count("warmup")) && !measured)
        throw UsageError("--runs and --warmup apply to measured devices; '" + device +
                         "' is predicted by a cost model (see `winglet targets`)");
    if (recipe && measured)
        throw UsageError("a measured device runs the model file itself, so it cannot measure a recipe's effect in "
                         "place: write the compressed model with `winglet optimize MODEL --recipe R.toml -o SMALL.onnx` "
                         "and compile SMALL.onnx on '" + device + "'");
    if (recipe) check_recipe(registry, *recipe);
    std::string output_format;
    if (vm.count("output")) {
        const std::string path = vm["output"].as<std::string>();
        output_format = vm.count("format") ? vm["format"].as<std::string>() : format_from_extension(registry, path);
        if (output_format.empty()) output_format = "json";
        require_exporter(registry, output_format);
    }
    const Model model = import_model(registry, vm["model"].as<std::string>(), import_options);
    const auto compile = [&](Report& r, const std::string& variant) {
        CompileOptions options = compile_options;
        options.variant = variant;
        attach_plan(r, cached_compile(registry, model, r, device, options, import_options, cache ? &*cache : nullptr));
    };
    Report report = analyze(model);
    compile(report, compile_options.variant);
    auto uncompressed = std::make_shared<const Report>(report);
    if (recipe) {
        // The optimize stage, then the same device again: the report shows the compressed model,
        // with the uncompressed one as its baseline.
        const CompressionResult result = apply_recipe(registry, model, report, *recipe);
        report = compressed_report(model, *uncompressed, result);
        compile(report, "recipe " + result.fingerprint);
        // The table prints the report's warnings; with --json they go to stderr as well.
        if (vm.count("json"))
            for (const std::string& w : result.warnings) spdlog::warn("{}", w);
        report.baseline = uncompressed;
    }
    if (measured && (vm.count("what-if") || output_format == "html")) {
        // Alternatives would be compressed models that were never written: nothing to run.
        if (vm.count("what-if"))
            spdlog::warn("--what-if needs a predicted device: the alternatives are models that do not exist as files");
    } else if (vm.count("what-if") || output_format == "html") {
        std::vector<std::string> notes;
        report.alternatives = compute_alternatives(registry, model, uncompressed, compile, notes);
        for (const std::string& note : notes) spdlog::warn("{}", note);
    }

    CommandOutputs outputs;
    if (vm.count("output")) {
        std::ostringstream file;
        export_report(registry, report, output_format, file);
        outputs.file_bytes = file.str();
    }
    std::ostringstream out;
    if (vm.count("json"))
        export_report(registry, report, "json", out);
    else {
        print_compiled(out, report, vm["top"].as<size_t>());
        if (report.baseline) {
            out << '\n';
            print_compression(out, report);
        }
    }
    outputs.stdout_text = out.str();
    deliver(outputs, vm);
    outputs.warnings = warnings.warnings();
    remember(memo ? &*memo : nullptr, output_inputs(registry, model, vm), outputs);
    return 0;
}

}  // namespace winglet::cli
