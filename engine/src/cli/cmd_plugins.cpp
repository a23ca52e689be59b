// `winglet plugins`: what the loader found, accepted or refused, and why.
#include "cli/cli.hpp"
#include "cli/text_table.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <iostream>

namespace po = boost::program_options;

namespace winglet::cli {

int run_plugins(const GlobalOptions& global, const std::vector<std::string>& args) {
    po::options_description desc("winglet plugins [--json]");
    desc.add_options()("help,h", "show this help")("json", "print a JSON document instead of a table");
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(desc).run(), vm);
    if (vm.count("help")) {
        std::cout << "List every plugin found on the search path (--plugin-path, WINGLET_PLUGIN_PATH, the\n"
                     "install directory), with refused ones and the reason.\n\n" << desc;
        return 0;
    }
    PluginRegistry registry;
    load_plugins(registry, global);

    if (vm.count("json")) {
        nlohmann::ordered_json doc;
        doc["host_abi"] = std::to_string(WG_ABI_MAJOR) + "." + std::to_string(WG_ABI_MINOR);
        doc["searched"] = nlohmann::json::array();
        for (const auto& d : registry.searched_dirs()) doc["searched"].push_back(d.string());
        doc["missing"] = nlohmann::json::array();
        for (const auto& d : registry.missing_dirs()) doc["missing"].push_back(d.string());
        doc["plugins"] = nlohmann::json::array();
        for (const PluginRecord& r : registry.records()) {
            nlohmann::ordered_json p;
            p["path"] = r.path.string();
            p["status"] = r.accepted ? "loaded" : "refused";
            if (!r.accepted) p["reason"] = r.refusal;
            p["kind"] = r.kind ? std::string(kind_name(r.kind)) : std::string();
            p["name"] = r.name;
            p["version"] = r.version;
            p["abi"] = r.kind ? std::to_string(r.abi_major) + "." + std::to_string(r.abi_minor) : std::string();
            p["format"] = r.format;
            p["description"] = r.description;
            doc["plugins"].push_back(std::move(p));
        }
        std::cout << doc.dump(2) << '\n';
        return 0;
    }

    TextTable table;
    table.add_column("kind", TextTable::Align::Left);
    table.add_column("name", TextTable::Align::Left);
    table.add_column("version", TextTable::Align::Left);
    table.add_column("ABI", TextTable::Align::Left);
    table.add_column("format", TextTable::Align::Left);
    table.add_column("status", TextTable::Align::Left);
    table.add_column("path", TextTable::Align::Left);
    for (const PluginRecord& r : registry.records()) {
        const bool described = r.kind != 0;
        table.add_row({described ? std::string(kind_name(r.kind)) : "-", described ? r.name : "-",
                       described ? r.version : "-",
                       described ? std::to_string(r.abi_major) + "." + std::to_string(r.abi_minor) : "-",
                       r.format.empty() ? "-" : r.format, r.accepted ? "loaded" : "refused: " + r.refusal,
                       r.path.string()});
    }
    table.print(std::cout);
    std::cout << "\nsearched:";
    for (const auto& d : registry.searched_dirs()) std::cout << ' ' << d.string();
    std::cout << '\n';
    if (registry.records().empty()) std::cout << "no plugins found\n";
    return 0;
}

}  // namespace winglet::cli
