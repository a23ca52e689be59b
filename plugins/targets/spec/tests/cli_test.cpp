// The plugin through the real CLI: the shipped devices are listed, MobileNetV2 does not fit the
// microcontroller (with the numbers) and fits the Jetson, and an int8 recipe makes it faster and
// smaller there. Needs the binary and plugin dir ctest sets.
#define BOOST_TEST_MODULE spec_cli
#include <boost/test/unit_test.hpp>

#include "support/run_command.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include <unistd.h>

using namespace winglet::test;

namespace {

nlohmann::json run_json(const std::string& args) {
    const std::string cmd = quoted(env_or_throw("WINGLET_BIN")) + " --plugin-path " +
                            quoted(env_or_throw("WINGLET_PLUGIN_DIR")) + " -q " + args +
                            " --no-cache 2>/dev/null";
    const CommandResult r = run_command(cmd);
    BOOST_TEST_REQUIRE(r.exit_code == 0, cmd + "\n" + r.output);
    return nlohmann::json::parse(r.output);
}

nlohmann::json compile(const std::string& device) {
    return run_json("compile " + quoted(env_or_throw("WINGLET_TEST_MODEL")) + " -t " + device + " --json");
}

}  // namespace

BOOST_AUTO_TEST_CASE(targets_lists_the_shipped_devices_with_their_spec_files) {
    const std::string cmd = quoted(env_or_throw("WINGLET_BIN")) + " --plugin-path " +
                            quoted(env_or_throw("WINGLET_PLUGIN_DIR")) + " -q targets --json 2>/dev/null";
    const CommandResult r = run_command(cmd);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.output);
    std::set<std::string> ids;
    const auto doc = nlohmann::json::parse(r.output);
    for (const auto& d : doc["devices"])
        if (d["source"].get<std::string>().find(".toml") != std::string::npos) ids.insert(d["id"].get<std::string>());
    const std::set<std::string> shipped = {"apple-a17-pro", "intel-i7-1185g7", "jetson-orin-nano-8gb",
                                           "stm32h743"};
    BOOST_TEST((ids == shipped));
}

BOOST_AUTO_TEST_CASE(mobilenet_does_not_fit_the_microcontroller) {
    const auto doc = compile("stm32h743");
    const auto& totals = doc["totals"];
    BOOST_TEST(totals["fits"] == false);
    const std::string detail = doc["plan"]["fit_detail"];
    // fp32 MobileNetV2: ~13.3 MiB of weights against 1 MiB RAM and 2 MiB flash.
    BOOST_TEST(detail.find("MiB weights") != std::string::npos, detail);
    BOOST_TEST(detail.find("device has 1 MiB RAM, 2 MiB storage") != std::string::npos, detail);
    BOOST_TEST(detail.find("storage exceeded") != std::string::npos, detail);
}

BOOST_AUTO_TEST_CASE(mobilenet_fits_the_jetson_and_every_op_is_placed_and_costed) {
    const auto doc = compile("jetson-orin-nano-8gb");
    BOOST_TEST(doc["totals"]["fits"] == true);
    BOOST_TEST(doc["totals"]["latency_ms"].get<double>() > 0);
    BOOST_TEST(doc["totals"]["energy_mj"].get<double>() > 0);
    BOOST_TEST_REQUIRE(!doc["ops"].empty());
    for (const auto& op : doc["ops"]) {
        const std::string unit = op["unit"];
        BOOST_TEST((unit == "gpu" || unit == "cpu"), op.dump());
    }
}

BOOST_AUTO_TEST_CASE(an_int8_recipe_runs_mobilenet_faster_and_smaller_on_the_jetson) {
    // 8-bit weights with int8 activations: the GPU runs the Convs on its int8 Tensor Core peak
    // (20 TOPS against 1.28 TFLOPS fp32) and reads a quarter of the weight and activation bytes.
    namespace fs = std::filesystem;
    const fs::path recipe = fs::temp_directory_path() / ("winglet-spec-int8-" + std::to_string(::getpid()) + ".toml");
    std::ofstream(recipe) << "[default]\ntechnique = \"quantize\"\nbits = 8\nactivations = \"int8\"\n";
    const auto doc = run_json("compile " + quoted(env_or_throw("WINGLET_TEST_MODEL")) +
                              " -t jetson-orin-nano-8gb --recipe " + quoted(recipe.string()) + " --json");
    fs::remove(recipe);
    const auto& totals = doc["totals"];
    BOOST_TEST(totals["latency_ms"].get<double>() < 0.75 * totals["before"]["latency_ms"].get<double>());
    BOOST_TEST(totals["energy_mj"].get<double>() < totals["before"]["energy_mj"].get<double>());
    BOOST_TEST(doc["plan"]["storage_bytes"].get<double>() < 0.3 * totals["before"]["storage_bytes"].get<double>());
    for (const auto& op : doc["ops"]) BOOST_TEST(op["unit"] == "gpu", op.dump());
}
