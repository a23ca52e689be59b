// `winglet compile`: import a model, compile it for a device through its target plugin, and show
// or export the plan.
#include "analysis/analyzer.hpp"
#include "cache/result_cache.hpp"
#include "cli/cli.hpp"
#include "cli/command_options.hpp"
#include "cli/compile_table.hpp"
#include "compile/plan_cache.hpp"
#include "core/errors.hpp"
#include "plugins/import.hpp"
#include "report/export.hpp"

#include <boost/program_options.hpp>

#include <spdlog/spdlog.h>

#include <iostream>

namespace po = boost::program_options;

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

}  // namespace

int run_compile(const GlobalOptions& global, const std::vector<std::string>& args) {
    po::options_description desc("winglet compile MODEL -t DEVICE [options]");
    desc.add_options()
        ("help,h", "show this help")
        ("target,t", po::value<std::string>(), "device id to compile for (see `winglet targets`)")
        ("dim", po::value<std::vector<std::string>>()->composing(), "NAME=VALUE: give a symbolic dimension a size (repeatable)")
        ("option", po::value<std::vector<std::string>>()->composing(), "KEY=VALUE passed to the target plugin (repeatable)")
        ("json", "print the JSON report to stdout instead of the table")
        ("output,o", po::value<std::string>(), "also write the report to FILE")
        ("format", po::value<std::string>(), "format of --output: json, csv, trace, ... (default: from the file extension)")
        ("top", po::value<size_t>()->default_value(0), "show only the N slowest ops (0: all, in execution order)")
        ("importer", po::value<std::string>(), "force the importer for this format instead of probing")
        ("cache", po::value<std::string>()->value_name("PATH"),
         "plan cache file (default: $XDG_CACHE_HOME/winglet/cache.db, else ~/.cache/winglet/cache.db)")
        ("no-cache", "always call the target; neither read nor write the cache");
    const po::variables_map vm = parse_with_model(desc, args);
    if (vm.count("help")) {
        std::cout << "Compile MODEL for a device: the compute unit of every op (with the reason for each\n"
                     "fallback), fused groups, latency, energy and what bounds each op; per model latency,\n"
                     "energy, average power, peak memory per unit, storage and whether it fits.\n"
                     "Plans are cached by model content, device (and its spec) and options.\n\n"
                  << desc;
        return 0;
    }
    if (!vm.count("model")) throw UsageError("compile needs a MODEL file (see `winglet compile --help`)");
    if (!vm.count("target")) throw UsageError("compile needs a device: -t DEVICE (see `winglet targets`)");
    const std::string device = vm["target"].as<std::string>();
    if (vm.count("cache") && vm.count("no-cache")) throw UsageError("--cache and --no-cache exclude each other");

    ImportOptions import_options;
    import_options.dim_overrides = parse_dims(vm);
    if (vm.count("importer")) import_options.format = vm["importer"].as<std::string>();
    CompileOptions compile_options;
    if (vm.count("option"))
        for (const std::string& o : vm["option"].as<std::vector<std::string>>())
            compile_options.target_options.insert(parse_key_value(o, "--option"));

    PluginRegistry registry;
    load_plugins(registry, global);
    // Check the device before the slow import.
    require_device(registry, device);
    const Model model = import_model(registry, vm["model"].as<std::string>(), import_options);
    // Import and analysis always run (they are cheap and the report needs them); only the
    // target's plan is cached.
    Report report = analyze(model);
    std::optional<ResultCache> cache = open_plan_cache(vm);
    attach_plan(report, cached_compile(registry, model, report, device, compile_options, import_options,
                                       cache ? &*cache : nullptr));

    write_requested_output(registry, report, vm);
    if (vm.count("json"))
        export_report(registry, report, "json", std::cout);
    else
        print_compiled(std::cout, report, vm["top"].as<size_t>());
    return 0;
}

}  // namespace winglet::cli
