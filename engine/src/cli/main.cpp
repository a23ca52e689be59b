// winglet: fit ML models onto real devices. Entry point and subcommand dispatch.
#include "cli/cli.hpp"
#include "core/errors.hpp"

#include <boost/program_options.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <winglet/plugin.h>

#include <iostream>

namespace po = boost::program_options;
using namespace winglet;

namespace {

constexpr const char* kUsage = R"(usage: winglet [global options] <command> [command options]

commands:
  plugins    list every plugin found: kind, name, version, ABI, path; refused ones with the reason
  inspect    per-operation MACs, FLOPs, parameters and bytes of a model, and model totals
  targets    list the devices the target plugins compile for
  compile    compile a model for a device: placement, latency, energy, memory per op and in total;
             with --recipe, before and after compression; -o report.html: the interactive report
  compare    two or more compile reports (JSON) side by side, ops matched by name (-o diff.html)
  optimize   compress a model's weights by a recipe and write the compressed model
  optimizers list the compression techniques and their options
  cache      result cache: stats, clear or path

Run `winglet <command> --help` for a command's options.

exit codes:
  0 success   1 usage error   2 bad input (model or data file)   3 plugin missing or failed
  4 cannot write output   70 internal error
)";

void setup_logging(bool verbose, bool quiet) {
    auto logger = spdlog::stderr_color_mt("winglet");
    logger->set_pattern("winglet: %^%l%$: %v");
    spdlog::set_default_logger(logger);
    spdlog::set_level(verbose ? spdlog::level::debug : quiet ? spdlog::level::err : spdlog::level::warn);
}

int dispatch(int argc, char** argv) {
    po::options_description global("global options");
    global.add_options()
        ("help,h", "show this help")
        ("version", "print the version and the plugin ABI it speaks")
        ("verbose,v", "log details (debug level)")
        ("quiet,q", "log errors only")
        ("plugin-path", po::value<std::vector<std::string>>()->composing(),
         "directory searched for plugins before WINGLET_PLUGIN_PATH and the install directory (repeatable)");
    po::options_description hidden;
    hidden.add_options()("command", po::value<std::string>())("args", po::value<std::vector<std::string>>());
    po::options_description all;
    all.add(global).add(hidden);
    po::positional_options_description positional;
    positional.add("command", 1).add("args", -1);

    po::variables_map vm;
    const po::parsed_options parsed =
        po::command_line_parser(argc, argv).options(all).positional(positional).allow_unregistered().run();
    po::store(parsed, vm);
    po::notify(vm);

    setup_logging(vm.count("verbose") > 0, vm.count("quiet") > 0);
    if (vm.count("version")) {
        std::cout << "winglet " << WINGLET_VERSION << " (plugin ABI " << WG_ABI_MAJOR << "." << WG_ABI_MINOR << ")\n";
        return kExitOk;
    }
    if (!vm.count("command")) {
        std::cout << kUsage << "\n" << global;
        return vm.count("help") ? kExitOk : kExitUsage;
    }
    // Everything after the command name that the global parser did not claim.
    std::vector<std::string> args = po::collect_unrecognized(parsed.options, po::include_positional);
    args.erase(args.begin());  // the command itself
    if (vm.count("help")) args.push_back("--help");

    cli::GlobalOptions options;
    if (vm.count("plugin-path")) options.plugin_paths = vm["plugin-path"].as<std::vector<std::string>>();
    const std::string command = vm["command"].as<std::string>();
    if (command == "plugins") return cli::run_plugins(options, args);
    if (command == "inspect") return cli::run_inspect(options, args);
    if (command == "targets") return cli::run_targets(options, args);
    if (command == "compile") return cli::run_compile(options, args);
    if (command == "cache") return cli::run_cache(options, args);
    if (command == "optimizers") return cli::run_optimizers(options, args);
    if (command == "optimize") return cli::run_optimize(options, args);
    if (command == "compare") return cli::run_compare(options, args);
    throw UsageError("unknown command '" + command + "' (see `winglet --help`)");
}

int fail(int code, const std::string& message) {
    // The logger may not exist yet when option parsing itself failed.
    std::cerr << "winglet: error: " << message << "\n";
    return code;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return dispatch(argc, argv);
    } catch (const po::error& e) {
        return fail(kExitUsage, std::string(e.what()) + " (see --help)");
    } catch (const UsageError& e) {
        return fail(kExitUsage, e.what());
    } catch (const InputError& e) {
        return fail(kExitInput, e.what());
    } catch (const PluginError& e) {
        return fail(kExitPlugin, e.what());
    } catch (const OutputError& e) {
        return fail(kExitOutput, e.what());
    } catch (const std::bad_alloc&) {
        return fail(kExitInput, "out of memory (is a shape or size in the input absurd?)");
    } catch (const std::exception& e) {
        return fail(kExitInternal, std::string("internal error: ") + e.what());
    }
}
