// The loader against the fixture plugins of tests/abi/fixtures: each bad one is refused with the
// exact reason, the valid C one loads and works, and neither the registry nor the `winglet`
// binary is hurt by any of them.
#define BOOST_TEST_MODULE abi_loader
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "abi_support.hpp"

#include "plugins/registry.hpp"
#include "report/export.hpp"

#include <filesystem>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using winglet::PluginRecord;
using winglet::PluginRegistry;
using winglet::test::env_or_throw;
using winglet::test::library_name;
using winglet::test::quoted;

namespace {

struct Fixture {
    std::string name;    // the library is <fixture dir>/<name>.so
    std::string reason;  // what the refusal must say; empty when the host accepts the plugin
};

std::ostream& operator<<(std::ostream& os, const Fixture& f) { return os << f.name; }

std::string abi_text(int major, int minor) { return std::to_string(major) + "." + std::to_string(minor); }

// Mirrors the knobs in tests/abi/CMakeLists.txt.
const std::vector<Fixture>& fixtures() {
    static const std::vector<Fixture> all = {
        {"c_exporter", ""},
        {"wrong_major", "ABI 2.0 but host speaks 1.x"},
        {"newer_minor", "ABI " + abi_text(WG_ABI_MAJOR, WG_ABI_MINOR + 5) + " is newer than the host's " +
                            abi_text(WG_ABI_MAJOR, WG_ABI_MINOR)},
        {"missing_entry", "missing entry symbol 'winglet_plugin_entry'"},
        {"entry_error", "init failed: license file not found"},
        {"null_slot", "NULL slot 'import_model' in the importer table"},
        {"short_struct", "descriptor struct_size 56 is smaller than ABI 1.0's 64"},
        {"throwing_ctor", "init failed: device table missing"},
    };
    return all;
}

fs::path fixture_dir() { return env_or_throw("WINGLET_ABI_FIXTURE_DIR"); }

std::string winglet_cmd(const std::string& args) {
    return "env -u WINGLET_PLUGIN_PATH " + quoted(env_or_throw("WINGLET_BIN")) + " " + args;
}

}  // namespace

BOOST_DATA_TEST_CASE(load_file_accepts_or_refuses_with_the_reason, boost::unit_test::data::make(fixtures()),
                     fixture) {
    PluginRegistry registry;
    const PluginRecord& rec = registry.load_file(fixture_dir() / library_name(fixture.name));
    BOOST_TEST_INFO("refusal: " << rec.refusal);
    BOOST_TEST(rec.accepted == fixture.reason.empty());
    if (!fixture.reason.empty()) BOOST_TEST(rec.refusal.find(fixture.reason) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(refused_descriptor_still_says_what_it_claimed) {
    PluginRegistry registry;
    const PluginRecord& rec = registry.load_file(fixture_dir() / library_name("wrong_major"));
    BOOST_TEST(!rec.accepted);
    BOOST_TEST(rec.name == "wrong_major");
    BOOST_TEST(rec.abi_major == 2);
    BOOST_TEST(rec.kind == WG_KIND_EXPORTER);
}

BOOST_AUTO_TEST_CASE(one_registry_survives_every_fixture_and_still_works) {
    PluginRegistry registry;
    registry.load_directories({fixture_dir()});
    BOOST_TEST(registry.records().size() == fixtures().size());
    BOOST_TEST(registry.missing_dirs().empty());
    for (const PluginRecord& rec : registry.records())
        BOOST_TEST(rec.accepted == (rec.path.filename() == library_name("c_exporter")),
                   rec.path << ": " << rec.refusal);
    BOOST_TEST(registry.plugins(WG_KIND_EXPORTER).size() == 1u);
    BOOST_TEST(registry.plugins(WG_KIND_IMPORTER).empty());
    BOOST_TEST(registry.exporter("throwing") == nullptr);

    // The plain-C exporter runs through the host: create(), export_report() via the sink.
    winglet::Report report;
    report.model.path = "model.onnx";
    report.totals.op_count = 3;
    report.totals.macs = 1234567890123ull;
    report.totals.flops = 2469135780246ull;
    report.totals.params = 42;
    report.totals.weight_bytes = 168;
    report.totals.peak_activation_bytes = 4096;
    std::ostringstream out;
    winglet::export_report(registry, report, "totals", out);
    BOOST_TEST(out.str() ==
               "model model.onnx\nops 3\nmacs 1234567890123\nflops 2469135780246\nparams 42\n"
               "weight_bytes 168\npeak_activation_bytes 4096\n");
}

BOOST_AUTO_TEST_CASE(plugins_json_lists_every_fixture_with_its_status) {
    const auto doc = winglet::test::run_json(winglet_cmd("plugins --json --plugin-path " + quoted(fixture_dir())));
    BOOST_TEST(doc.at("host_abi") == abi_text(WG_ABI_MAJOR, WG_ABI_MINOR));
    for (const Fixture& f : fixtures()) {
        BOOST_TEST_CONTEXT("fixture " << f.name) {
            const auto entry = winglet::test::plugin_entry(doc, library_name(f.name));
            BOOST_TEST_REQUIRE(!entry.is_null());
            BOOST_TEST(entry.at("status") == (f.reason.empty() ? "loaded" : "refused"));
            if (!f.reason.empty())
                BOOST_TEST(entry.at("reason").get<std::string>().find(f.reason) != std::string::npos);
        }
    }
    // What a refused plugin claimed is shown, so its author can see what the host read.
    const auto wrong_major = winglet::test::plugin_entry(doc, library_name("wrong_major"));
    BOOST_TEST(wrong_major.at("abi") == "2.0");
    BOOST_TEST(wrong_major.at("name") == "wrong_major");
}

BOOST_AUTO_TEST_CASE(plugins_table_shows_the_reasons) {
    const auto r = winglet::test::run_command(winglet_cmd("plugins --plugin-path " + quoted(fixture_dir())));
    BOOST_TEST_INFO(r.output);
    BOOST_TEST(r.exit_code == 0);
    for (const Fixture& f : fixtures())
        if (!f.reason.empty()) BOOST_TEST(r.output.find("refused: " + f.reason) != std::string::npos, f.name);
}

BOOST_AUTO_TEST_CASE(missing_plugin_directory_is_a_clear_error) {
    const auto r = winglet::test::run_command(winglet_cmd("--plugin-path /does/not/exist plugins --json"));
    BOOST_TEST_INFO(r.output);
    BOOST_TEST(r.signal == 0);
    BOOST_TEST(r.exit_code == 3);
    BOOST_TEST(r.output.find("plugin directory '/does/not/exist'") != std::string::npos);
    BOOST_TEST(r.output.find("does not exist") != std::string::npos);
}
