// The installed engine with a plugin built out of tree against the installed SDK only
// (tests/abi/out_of_tree, configured and built by the CTest fixtures in tests/abi/CMakeLists.txt).
#define BOOST_TEST_MODULE abi_out_of_tree
#include <boost/test/unit_test.hpp>

#include "abi_support.hpp"

#include "plugins/registry.hpp"
#include "report/export.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using winglet::test::env_or_throw;
using winglet::test::plugin_entry;
using winglet::test::quoted;
using winglet::test::run_json;

namespace {

const std::string kMarkdownLibrary = winglet::test::library_name("winglet-exporter-markdown");

fs::path prefix() { return fs::canonical(env_or_throw("WINGLET_ABI_PREFIX")); }
fs::path oot_dir() { return fs::canonical(env_or_throw("WINGLET_ABI_OOT_DIR")); }

// The installed binary, with no WINGLET_PLUGIN_PATH to lean on.
std::string installed_winglet(const std::string& args) {
    return "env -u WINGLET_PLUGIN_PATH " + quoted((prefix() / "bin" / "winglet").string()) + " " + args;
}

bool is_under(const fs::path& path, const fs::path& dir) {
    const fs::path p = fs::weakly_canonical(path);
    return std::mismatch(dir.begin(), dir.end(), p.begin(), p.end()).first == dir.end();
}

// The cells of one Markdown table row, with the exporter's escapes undone:
// "| a | b\|c |" -> {"a", "b|c"}.
std::vector<std::string> split_row(const std::string& line) {
    std::vector<std::string> cells;
    std::string cell;
    for (size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '\\' && i + 1 < line.size()) {
            cell += line[++i];
        } else if (line[i] == '|') {
            if (i > 0) cells.push_back(cell.size() >= 2 ? cell.substr(1, cell.size() - 2) : cell);
            cell.clear();
        } else {
            cell += line[i];
        }
    }
    return cells;
}

// The body rows of the table under the heading `section` ("## Totals"), header and rule skipped.
std::vector<std::vector<std::string>> table_rows(const std::string& markdown, const std::string& section) {
    std::istringstream in(markdown);
    std::string line;
    while (std::getline(in, line) && line != section) {
    }
    std::vector<std::vector<std::string>> rows;
    while (std::getline(in, line) && (line.empty() || line[0] != '|')) {
    }
    std::getline(in, line);  // the alignment rule
    while (std::getline(in, line) && !line.empty() && line[0] == '|') rows.push_back(split_row(line));
    return rows;
}

}  // namespace

BOOST_AUTO_TEST_CASE(plugin_was_built_from_the_installed_sdk_only) {
    // find_package(winglet) resolved to the prefix ...
    std::ifstream cache(oot_dir() / "CMakeCache.txt");
    std::string line, winglet_dir;
    while (std::getline(cache, line))
        if (line.rfind("winglet_DIR:", 0) == 0) winglet_dir = line.substr(line.find('=') + 1);
    BOOST_TEST_INFO("winglet_DIR=" << winglet_dir);
    BOOST_TEST_REQUIRE(!winglet_dir.empty());
    BOOST_TEST(is_under(winglet_dir, prefix()));

    // ... and so did every include path of every compile (none points into plugin-api/ here);
    // the systolic plugin may add only its own source folder.
    const fs::path systolic_src = fs::path(env_or_throw("WINGLET_SYSTOLIC_SOURCE_DIR")) / "src";
    std::ifstream in(oot_dir() / "compile_commands.json");
    const auto commands = nlohmann::json::parse(in);
    BOOST_TEST_REQUIRE(commands.size() >= 2u);  // the markdown exporter and the systolic sources
    for (const auto& entry : commands) {
        const auto command = entry.at("command").get<std::string>();
        BOOST_TEST_INFO(command);
        std::istringstream words(command);
        int include_dirs = 0;
        for (std::string word, dir; words >> word;) {
            if (word == "-I" || word == "-isystem")
                words >> dir;
            else if (word.rfind("-I", 0) == 0)
                dir = word.substr(2);
            else
                continue;
            ++include_dirs;
            BOOST_TEST((is_under(dir, prefix()) || is_under(dir, fs::canonical(systolic_src))),
                       "include path outside the install prefix: " << dir);
        }
        BOOST_TEST(include_dirs > 0);
    }
}

// The systolic target built out of tree shadows the installed one and compiles MobileNetV2 to the
// same plan: the cost model crosses the ABI intact.
BOOST_AUTO_TEST_CASE(systolic_target_built_out_of_tree_compiles_like_the_installed_one) {
    const std::string model = quoted(env_or_throw("WINGLET_ABI_MODEL"));
    const std::string compile = " -q compile " + model + " -t systolic-edge-32x32 --no-cache --json";
    const auto installed = run_json(installed_winglet(compile));
    const auto oot = run_json(installed_winglet("--plugin-path " + quoted(oot_dir()) + compile));
    const auto listing = run_json(installed_winglet("--plugin-path " + quoted(oot_dir()) + " plugins --json"));
    const auto entry = plugin_entry(listing, winglet::test::library_name("winglet-target-systolic"));
    BOOST_TEST_INFO(listing.dump(2));
    BOOST_TEST_REQUIRE(!entry.is_null());
    BOOST_TEST(entry.at("status") == "loaded");
    BOOST_TEST(is_under(entry.at("path").get<std::string>(), oot_dir()));
    BOOST_TEST(entry.at("version").get<std::string>().find("out-of-tree") != std::string::npos);
    BOOST_TEST(oot.at("totals").at("latency_ms") == installed.at("totals").at("latency_ms"));
    BOOST_TEST(oot.at("totals").at("energy_mj") == installed.at("totals").at("energy_mj"));
    BOOST_TEST(oot.at("ops").size() == installed.at("ops").size());
}

BOOST_AUTO_TEST_CASE(installed_binary_finds_the_installed_plugins_by_itself) {
    const auto doc = run_json(installed_winglet("plugins --json"));
    const fs::path plugin_dir = prefix() / WINGLET_PLUGIN_RELATIVE_DIR;
    BOOST_TEST(doc.at("searched") == nlohmann::json::array({plugin_dir.string()}));
    std::map<std::string, std::string> loaded;  // "kind name" -> format
    for (const auto& p : doc.at("plugins")) {
        BOOST_TEST_CONTEXT("plugin " << p.dump()) {
            BOOST_TEST(p.at("status") == "loaded");
            BOOST_TEST(is_under(p.at("path").get<std::string>(), plugin_dir));
        }
        loaded[p.at("kind").get<std::string>() + " " + p.at("name").get<std::string>()] = p.at("format");
    }
    BOOST_TEST(loaded["importer onnx"] == "onnx");
    BOOST_TEST(loaded["exporter json"] == "json");
    BOOST_TEST(loaded["exporter csv"] == "csv");
}

BOOST_AUTO_TEST_CASE(installed_binary_loads_the_out_of_tree_plugin) {
    const auto doc = run_json(installed_winglet("--plugin-path " + quoted(oot_dir()) + " plugins --json"));
    const auto entry = plugin_entry(doc, kMarkdownLibrary);
    BOOST_TEST_INFO(doc.dump(2));
    BOOST_TEST_REQUIRE(!entry.is_null());
    BOOST_TEST(entry.at("status") == "loaded");
    BOOST_TEST(entry.at("kind") == "exporter");
    BOOST_TEST(entry.at("name") == "markdown");
    BOOST_TEST(entry.at("format") == "markdown");
    BOOST_TEST(entry.at("abi") == "1.4");
}

BOOST_AUTO_TEST_CASE(markdown_report_agrees_with_the_json_report) {
    const std::string model = quoted(env_or_throw("WINGLET_ABI_MODEL"));
    const fs::path md_file = fs::current_path() / "oot-report.md";
    fs::remove(md_file);
    const auto r = winglet::test::run_command(installed_winglet("--plugin-path " + quoted(oot_dir()) + " inspect " +
                                                                model + " -o " + quoted(md_file) + " --format markdown"));
    BOOST_TEST_INFO(r.output);
    BOOST_TEST_REQUIRE(r.exit_code == 0);
    std::ifstream in(md_file);
    const std::string markdown{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const auto doc = run_json(installed_winglet("inspect " + model + " --json"));
    BOOST_TEST_INFO("markdown:\n" << markdown);

    const auto& totals = doc.at("totals");
    std::map<std::string, std::string> metric;
    for (const auto& row : table_rows(markdown, "## Totals")) {
        BOOST_TEST_REQUIRE(row.size() == 2u);
        metric[row[0]] = row[1];
    }
    const std::pair<const char*, const char*> kTotals[] = {
        {"ops", "op_count"}, {"MACs", "macs"}, {"FLOPs", "flops"}, {"params", "params"},
        {"weight bytes", "weight_bytes"}, {"peak activation bytes", "peak_activation_bytes"},
        {"ops without a cost rule", "ops_without_cost_rule"}};
    for (const auto& [label, key] : kTotals)
        BOOST_TEST_CONTEXT(label) { BOOST_TEST(metric[label] == std::to_string(totals.at(key).get<uint64_t>())); }
    BOOST_TEST(totals.at("macs").get<uint64_t>() > 0u);

    const auto rows = table_rows(markdown, "## Operations");
    const auto& ops = doc.at("ops");
    BOOST_TEST_REQUIRE(rows.size() == ops.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        BOOST_TEST_CONTEXT("op " << i + 1) {
            BOOST_TEST_REQUIRE(rows[i].size() == 6u);
            BOOST_TEST(rows[i][0] == std::to_string(i + 1));
            BOOST_TEST(rows[i][1] == ops[i].at("name").get<std::string>());
            BOOST_TEST(rows[i][2] == ops[i].at("op_type").get<std::string>());
            const auto& macs = ops[i].at("macs");
            BOOST_TEST(rows[i][4] == (macs.is_null() ? "n/a" : std::to_string(macs.get<uint64_t>())));
            BOOST_TEST(rows[i][5] == std::to_string(ops[i].at("params").get<uint64_t>()));
        }
    }
}

BOOST_AUTO_TEST_CASE(markdown_cells_survive_pipes_backslashes_and_newlines) {
    winglet::PluginRegistry registry;
    const auto& rec = registry.load_file(oot_dir() / kMarkdownLibrary);
    BOOST_TEST_REQUIRE(rec.accepted, rec.refusal);

    winglet::Report report;
    report.model.path = "dir|with\\odd\nname.onnx";
    winglet::OpReport op;
    op.name = "block|1\\conv\nA";
    op.op_type = "Custom|Op";
    op.has_cost_rule = true;
    op.macs = 7;
    op.params = 3;
    report.ops = {op};
    report.totals.op_count = 1;
    report.totals.macs = 7;
    std::ostringstream out;
    winglet::export_report(registry, report, "markdown", out);
    BOOST_TEST_INFO(out.str());

    const auto rows = table_rows(out.str(), "## Operations");
    BOOST_TEST_REQUIRE(rows.size() == 1u);
    BOOST_TEST_REQUIRE(rows[0].size() == 6u);
    BOOST_TEST(rows[0][1] == "block|1\\conv A");
    BOOST_TEST(rows[0][2] == "Custom|Op");
    BOOST_TEST(rows[0][4] == "7");
    BOOST_TEST(out.str().find("- model: dir\\|with\\\\odd name.onnx\n") != std::string::npos);
}
