// `winglet cache stats|clear|path`: look at, empty or locate the result cache.
#include "cache/result_cache.hpp"
#include "cli/cli.hpp"
#include "cli/text_table.hpp"
#include "core/errors.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <limits>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace winglet::cli {
namespace {

// Reading the stats of a cache that does not exist yet should not create it.
bool present(const fs::path& path) {
    std::error_code ec;  // a path we cannot even stat counts as present: opening it says why
    return fs::exists(path, ec) || ec;
}

CacheStats read_stats(const fs::path& path) {
    if (!present(path)) {
        CacheStats empty;
        empty.path = path;
        return empty;
    }
    // The maintenance command is where a full page check belongs; compiles skip it.
    CacheOpenOptions check_everything;
    check_everything.quick_check_max_bytes = std::numeric_limits<int64_t>::max();
    return ResultCache::open(path, check_everything).stats();
}

void print_stats(const CacheStats& st, bool json) {
    if (json) {
        nlohmann::ordered_json doc;
        doc["path"] = st.path.string();
        doc["exists"] = present(st.path);
        doc["schema_version"] = st.schema_version;
        doc["file_bytes"] = st.file_bytes;
        doc["entries"] = st.entries;
        doc["bytes"] = st.bytes;
        doc["by_kind"] = nlohmann::ordered_json::object();
        for (const KindStats& k : st.by_kind)
            doc["by_kind"][k.kind] = {{"entries", k.entries}, {"bytes", k.bytes}};
        std::cout << doc.dump(2) << '\n';
        return;
    }
    std::cout << "cache:   " << st.path.string() << (present(st.path) ? "" : " (not created yet)") << '\n'
              << "file:    " << iec_bytes(static_cast<uint64_t>(st.file_bytes)) << '\n'
              << "entries: " << st.entries << " (" << iec_bytes(static_cast<uint64_t>(st.bytes)) << " of results)\n";
    if (st.by_kind.empty()) return;
    TextTable table;
    table.add_column("kind", TextTable::Align::Left);
    table.add_column("entries", TextTable::Align::Right);
    table.add_column("bytes", TextTable::Align::Right);
    for (const KindStats& k : st.by_kind)
        table.add_row({k.kind, std::to_string(k.entries), iec_bytes(static_cast<uint64_t>(k.bytes))});
    std::cout << '\n';
    table.print(std::cout);
}

int clear_cache(const fs::path& path, bool json) {
    int64_t removed = 0;
    if (present(path)) {
        ResultCache cache = ResultCache::open(path);
        removed = cache.stats().entries;
        cache.clear();
    }
    if (json)
        std::cout << nlohmann::ordered_json{{"path", path.string()}, {"removed", removed}}.dump(2) << '\n';
    else
        std::cout << "removed " << removed << " entries from " << path.string() << '\n';
    return kExitOk;
}

}  // namespace

int run_cache(const GlobalOptions&, const std::vector<std::string>& args) {
    po::options_description desc("winglet cache stats|clear|path [--cache PATH] [--json]");
    desc.add_options()("help,h", "show this help")
        ("cache", po::value<std::string>()->value_name("PATH"),
         "the cache file (default: $XDG_CACHE_HOME/winglet/cache.db, else ~/.cache/winglet/cache.db)")
        ("json", "print a JSON document");
    po::options_description hidden;
    hidden.add_options()("action", po::value<std::string>());
    po::options_description all;
    all.add(desc).add(hidden);
    po::positional_options_description positional;
    positional.add("action", 1);
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    if (vm.count("help")) {
        std::cout << "Show the result cache's contents (stats), empty it (clear) or print its location (path).\n"
                     "Several winglet processes may share one cache file.\n\n" << desc;
        return kExitOk;
    }
    if (!vm.count("action")) throw UsageError("cache: expected stats, clear or path (see `winglet cache --help`)");
    const std::string action = vm["action"].as<std::string>();
    const bool json = vm.count("json") > 0;
    if (action != "stats" && action != "clear" && action != "path")
        throw UsageError("cache: unknown action '" + action + "' (expected stats, clear or path)");
    try {
        const fs::path path = vm.count("cache") ? fs::path(vm["cache"].as<std::string>()) : ResultCache::default_path();
        if (action == "path") {
            if (json) std::cout << nlohmann::ordered_json{{"path", path.string()}}.dump(2) << '\n';
            else std::cout << path.string() << '\n';
            return kExitOk;
        }
        if (action == "clear") return clear_cache(path, json);
        print_stats(read_stats(path), json);
        return kExitOk;
    } catch (const CacheError& e) {
        // The cache file is this command's input.
        throw InputError(e.what());
    }
}

}  // namespace winglet::cli
