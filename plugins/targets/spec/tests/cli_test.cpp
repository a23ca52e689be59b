// The plugin through the real CLI: the shipped devices are listed, a spec with a bad key costs only
// that spec, MobileNetV2 does not fit the microcontroller (with the numbers) and fits the Jetson,
// and an int8 recipe makes it faster and smaller there. Needs the binary and plugin dir ctest sets.
#define BOOST_TEST_MODULE spec_cli
#include <boost/test/unit_test.hpp>

#include "support/run_command.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
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
        if (d["plugin"] == "spec" && d["source"].get<std::string>().find(".toml") != std::string::npos)
            ids.insert(d["id"].get<std::string>());
    const std::set<std::string> shipped = {"apple-a17-pro", "intel-i7-1185g7", "jetson-orin-nano-8gb",
                                           "stm32h743"};
    BOOST_TEST((ids == shipped));
}

BOOST_AUTO_TEST_CASE(a_spec_with_a_bad_weights_in_costs_only_that_spec) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("winglet-spec-bad-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string stm32 = (fs::path(WINGLET_SPEC_DEVICES_DIR) / "stm32h743.toml").string();
    std::ifstream in(stm32);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string good = "weights_in = { value = \"storage\"";
    BOOST_TEST_REQUIRE(text.find(good) != std::string::npos);
    text.replace(text.find(good), good.size(), "weights_in = { value = \"flsh\"");
    text.replace(text.find("id = \"stm32h743\""), 16, "id = \"bad-mcu\"");
    std::ofstream(dir / "bad-mcu.toml") << text;

    const std::string targets = "WINGLET_DEVICE_PATH=" + quoted(dir.string()) + " " + quoted(env_or_throw("WINGLET_BIN")) +
                                " --plugin-path " + quoted(env_or_throw("WINGLET_PLUGIN_DIR")) + " targets --json";
    const CommandResult warnings = run_command(targets);            // stderr and stdout
    const CommandResult listed = run_command("{ " + targets + " 2>/dev/null; }");  // the JSON alone
    fs::remove_all(dir);
    // The warning names the file, the line and the key.
    BOOST_TEST(warnings.output.find((dir / "bad-mcu.toml").string() + ":16:") != std::string::npos, warnings.output);
    BOOST_TEST(warnings.output.find("key 'memory.weights_in': unknown value 'flsh'") != std::string::npos,
               warnings.output);
    BOOST_TEST_REQUIRE(listed.exit_code == 0, listed.output);
    std::set<std::string> ids;
    const auto doc = nlohmann::json::parse(listed.output);
    for (const auto& d : doc["devices"]) ids.insert(d["id"].get<std::string>());
    BOOST_TEST(ids.count("bad-mcu") == 0u);
    for (const char* id : {"apple-a17-pro", "intel-i7-1185g7", "jetson-orin-nano-8gb", "stm32h743"})
        BOOST_TEST(ids.count(id) == 1u, id);
}

BOOST_AUTO_TEST_CASE(mobilenet_does_not_fit_the_microcontroller) {
    const auto doc = compile("stm32h743");
    const auto& totals = doc["totals"];
    BOOST_TEST(totals["fits"] == false);
    const std::string detail = doc["plan"]["fit_detail"];
    // fp32 MobileNetV2: ~13.3 MiB of weights against 2 MiB of flash; its activations (several MiB
    // live at once at 224x224) against 1 MiB of RAM.
    BOOST_TEST(detail.find("flash 13.") != std::string::npos, detail);
    BOOST_TEST(detail.find("MiB of 2 MiB (weights, read in place), exceeded by") != std::string::npos, detail);
    BOOST_TEST(detail.find("MiB of 1 MiB (activations + I/O), exceeded by") != std::string::npos, detail);
    BOOST_TEST(doc["plan"]["memory"]["storage"]["fits"] == false);
    BOOST_TEST(doc["plan"]["memory"]["ram"]["fits"] == false);
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
