// `winglet targets` and `winglet compile` through the binary, with the C target fixture added to
// the normal plugin directory.
#define BOOST_TEST_MODULE cli_compile
#include <boost/test/unit_test.hpp>

#include "support/run_command.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace winglet::test;

namespace {

std::string cli(const std::string& args) {
    return quoted(env_or_throw("WINGLET_BIN")) + " --plugin-path " + quoted(env_or_throw("WINGLET_TARGET_FIXTURE_DIR")) +
           " --plugin-path " + quoted(env_or_throw("WINGLET_PLUGIN_DIR")) + " -q " + args;
}
std::string model(const std::string& name) { return quoted(env_or_throw("WINGLET_TEST_MODELS") + "/" + name); }

}  // namespace

BOOST_AUTO_TEST_CASE(targets_json_lists_the_fixture_devices) {
    const CommandResult r = run_command(cli("targets --json") + " 2>/dev/null");
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.output);
    const auto doc = nlohmann::json::parse(r.output);
    bool found = false;
    for (const auto& d : doc["devices"])
        if (d["id"] == "test-npu") found = d["plugin"] == "test_target" && d["source"] == "built-in";
    BOOST_TEST(found);
}

BOOST_AUTO_TEST_CASE(compile_json_and_trace) {
    const CommandResult r = run_command(cli("compile " + model("gemm.onnx") + " -t test-npu --json") + " 2>/dev/null");
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.output);
    const auto doc = nlohmann::json::parse(r.output);
    BOOST_TEST(doc["ops"][0]["unit"] == "pe");
    BOOST_TEST(doc["totals"]["latency_ms"].get<double>() == 0.008192, boost::test_tools::tolerance(1e-9));

    const std::string out = (std::filesystem::temp_directory_path() / "winglet_cli_compile.trace.json").string();
    const CommandResult t = run_command(cli("compile " + model("gemm.onnx") + " -t test-npu -o " + quoted(out) + " --format trace"));
    BOOST_TEST_REQUIRE(t.exit_code == 0, t.output);
    std::ifstream in(out);
    const auto trace = nlohmann::json::parse(in);
    BOOST_TEST(trace["traceEvents"].back()["name"] == "gemm");
    std::filesystem::remove(out);
}

BOOST_AUTO_TEST_CASE(unknown_device_lists_the_known_ones) {
    const CommandResult r = run_command(cli("compile " + model("gemm.onnx") + " -t nope"));
    BOOST_TEST(r.exit_code == 1);
    BOOST_TEST(r.output.find("available: ") != std::string::npos);
    BOOST_TEST(r.output.find("test-npu") != std::string::npos);
}
