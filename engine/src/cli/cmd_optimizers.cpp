// `winglet optimizers`: the compression techniques the optimizer plugins offer, and their options.
#include "cli/cli.hpp"
#include "cli/text_table.hpp"
#include "plugins/loaded_plugin.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <iostream>

namespace po = boost::program_options;

namespace winglet::cli {
namespace {

std::string str(const char* s) { return s ? s : ""; }

}  // namespace

int run_optimizers(const GlobalOptions& global, const std::vector<std::string>& args) {
    po::options_description desc("winglet optimizers [--json]");
    desc.add_options()("help,h", "show this help")("json", "print a JSON document instead of a table");
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(desc).run(), vm);
    if (vm.count("help")) {
        std::cout << "List the compression techniques (a recipe's `technique`) and their options.\n\n" << desc;
        return 0;
    }
    PluginRegistry registry;
    load_plugins(registry, global);
    const std::vector<const LoadedPlugin*> optimizers = registry.plugins(WG_KIND_OPTIMIZER);

    if (vm.count("json")) {
        nlohmann::ordered_json doc;
        doc["techniques"] = nlohmann::json::array();
        for (const LoadedPlugin* p : optimizers) {
            const wg_optimizer_vtable* t = p->optimizer();
            nlohmann::ordered_json options = nlohmann::json::array();
            for (uint64_t i = 0; i < t->option_count; ++i) {
                const wg_option_desc* o = t->options[i];
                options.push_back({{"name", str(o->name)}, {"values", str(o->values)},
                                   {"default", str(o->default_value)}, {"description", str(o->description)}});
            }
            doc["techniques"].push_back({{"technique", str(t->technique)}, {"plugin", p->record().name},
                                         {"version", p->record().version}, {"summary", str(t->summary)},
                                         {"options", std::move(options)}});
        }
        std::cout << doc.dump(2) << '\n';
        return 0;
    }
    if (optimizers.empty()) {
        std::cout << "no optimizer plugins are loaded (see `winglet plugins`)\n";
        return 0;
    }
    for (const LoadedPlugin* p : optimizers) {
        const wg_optimizer_vtable* t = p->optimizer();
        std::cout << str(t->technique) << "  (" << p->record().name << " " << p->record().version << ")  "
                  << str(t->summary) << "\n";
        TextTable table;
        using A = TextTable::Align;
        table.add_column("  option", A::Left);
        table.add_column("values", A::Left, 40);
        table.add_column("default", A::Left);
        table.add_column("description", A::Left, 70);
        for (uint64_t i = 0; i < t->option_count; ++i) {
            const wg_option_desc* o = t->options[i];
            table.add_row({"  " + str(o->name), str(o->values), str(o->default_value), str(o->description)});
        }
        table.print(std::cout);
        std::cout << '\n';
    }
    std::cout << "Every technique also takes `activations = \"int8\"` in a recipe entry: the op's activations\n"
                 "are marked for int8 execution on the target.\n";
    return 0;
}

}  // namespace winglet::cli
