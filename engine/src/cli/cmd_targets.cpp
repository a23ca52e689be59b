// `winglet targets`: every device the loaded target plugins compile for.
#include "cli/cli.hpp"
#include "cli/text_table.hpp"
#include "plugins/loaded_plugin.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <iostream>

namespace po = boost::program_options;

namespace winglet::cli {

int run_targets(const GlobalOptions& global, const std::vector<std::string>& args) {
    po::options_description desc("winglet targets [--json]");
    desc.add_options()("help,h", "show this help")("json", "print a JSON document instead of a table");
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(desc).run(), vm);
    if (vm.count("help")) {
        std::cout << "List every device the target plugins compile for: id (for `compile -t`), whether its\n"
                     "numbers are measured (the model runs on it) or predicted (a cost model), name, plugin,\n"
                     "source (spec file or built-in) and description.\n\n" << desc;
        return 0;
    }
    PluginRegistry registry;
    load_plugins(registry, global);

    if (vm.count("json")) {
        nlohmann::ordered_json doc;
        doc["devices"] = nlohmann::json::array();
        for (const DeviceRecord& d : registry.devices())
            doc["devices"].push_back({{"id", d.id},
                                      {"kind", d.measured ? "measured" : "predicted"},
                                      {"name", d.name},
                                      {"plugin", d.plugin->record().name},
                                      {"source", d.source},
                                      {"description", d.description}});
        doc["notes"] = registry.device_notes();
        std::cout << doc.dump(2) << '\n';
        return 0;
    }
    TextTable table;
    using A = TextTable::Align;
    table.add_column("id", A::Left);
    table.add_column("kind", A::Left);
    table.add_column("name", A::Left, 32);
    table.add_column("plugin", A::Left);
    table.add_column("source", A::Left, 48);
    table.add_column("description", A::Left, 60);
    for (const DeviceRecord& d : registry.devices())
        table.add_row({d.id, d.measured ? "measured" : "predicted", d.name, d.plugin->record().name, d.source, d.description});
    table.print(std::cout);
    for (const std::string& note : registry.device_notes()) std::cout << "note: " << note << '\n';
    if (registry.devices().empty()) std::cout << "no devices: no target plugins are loaded (see `winglet plugins`)\n";
    return 0;
}

}  // namespace winglet::cli
