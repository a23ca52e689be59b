// Bad input through the real CLI: every case must end with a clear message naming the problem, the
// documented exit code, and no crash (CI runs this under ASan + UBSan too).
#define BOOST_TEST_MODULE cli_bad_input
#include <boost/test/unit_test.hpp>

#include "support/run_command.hpp"

#include <filesystem>
#include <fstream>

using winglet::test::env_or_throw;
using winglet::test::quoted;
using winglet::test::run_command;
namespace fs = std::filesystem;

namespace {

using winglet::test::winglet_cmd;
std::string model(const std::string& name) { return winglet::test::test_model(name); }

void expect_failure(const std::string& args, int exit_code, const std::string& message_part) {
    const auto r = run_command(winglet_cmd(args));
    BOOST_TEST_INFO("command: winglet " << args << "\noutput:\n" << r.output);
    BOOST_TEST(r.signal == 0);
    BOOST_TEST(r.exit_code == exit_code);
    BOOST_TEST(r.output.find(message_part) != std::string::npos);
    BOOST_TEST(r.output.find("error:") != std::string::npos);
}

}  // namespace

BOOST_AUTO_TEST_CASE(empty_file) { expect_failure("inspect " + model("empty.onnx"), 2, "is empty"); }

BOOST_AUTO_TEST_CASE(truncated_file) { expect_failure("inspect " + model("truncated.onnx"), 2, "truncated.onnx"); }

BOOST_AUTO_TEST_CASE(random_bytes) { expect_failure("inspect " + model("random.onnx"), 2, "random.onnx"); }

BOOST_AUTO_TEST_CASE(missing_file) { expect_failure("inspect " + model("no-such-model.onnx"), 2, "No such file"); }

BOOST_AUTO_TEST_CASE(directory_instead_of_file) {
    expect_failure("inspect " + quoted(env_or_throw("WINGLET_TEST_MODELS")), 2, "not a regular file");
}

BOOST_AUTO_TEST_CASE(cyclic_graph) { expect_failure("inspect " + model("cyclic.onnx"), 2, "cycle"); }

BOOST_AUTO_TEST_CASE(dim_of_2_pow_62_overflows_cleanly) {
    const auto r = run_command(winglet_cmd("inspect " + model("huge_dim.onnx")));
    BOOST_TEST_INFO(r.output);
    BOOST_TEST(r.signal == 0);
    // Either refused as input error or reported; never a crash or a wrapped-around number.
    BOOST_TEST((r.exit_code == 2 || r.exit_code == 0));
    if (r.exit_code == 2) BOOST_TEST(r.output.find("overflow") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(external_data_escaping_the_model_directory) {
    expect_failure("inspect " + model("external_escape/model.onnx"), 2, "escapes the model's directory");
}

BOOST_AUTO_TEST_CASE(external_data_with_absolute_path) {
    expect_failure("inspect " + model("external_abs/model.onnx"), 2, "is absolute");
}

BOOST_AUTO_TEST_CASE(missing_plugin_directory) {
    const auto r = run_command(quoted(env_or_throw("WINGLET_BIN")) + " --plugin-path /nonexistent/winglet-plugins inspect " +
                               model("gemm.onnx"));
    BOOST_TEST_INFO(r.output);
    BOOST_TEST(r.exit_code == 3);
    BOOST_TEST(r.output.find("/nonexistent/winglet-plugins") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(no_importer_plugins_at_all) {
    const fs::path empty_dir = fs::temp_directory_path() / "winglet-empty-plugin-dir";
    fs::create_directories(empty_dir);
    // Isolate from the install-dir lookup by pointing the binary at an empty directory only is not
    // possible (the exe-relative dir is always searched), so use a copy of the binary elsewhere.
    const fs::path lone_bin = empty_dir / "winglet";
    fs::copy_file(env_or_throw("WINGLET_BIN"), lone_bin, fs::copy_options::overwrite_existing);
    const auto r = run_command(quoted(lone_bin.string()) + " inspect " + model("gemm.onnx"));
    BOOST_TEST_INFO(r.output);
    BOOST_TEST(r.exit_code == 3);
    BOOST_TEST(r.output.find("no importer plugins are loaded") != std::string::npos);
    fs::remove_all(empty_dir);
}

BOOST_AUTO_TEST_CASE(usage_errors) {
    expect_failure("inspect", 1, "needs a MODEL");
    expect_failure("frobnicate", 1, "unknown command");
    expect_failure("inspect " + model("gemm.onnx") + " --dim batch", 1, "NAME=VALUE");
    expect_failure("inspect " + model("gemm.onnx") + " --dim batch=-3", 1, "non-negative");
    expect_failure("inspect " + model("gemm.onnx") + " --format xml", 1, "--format needs --output");
}

BOOST_AUTO_TEST_CASE(unwritable_output_keeps_nothing_half_written) {
    const fs::path dir = fs::temp_directory_path() / "winglet-no-such-dir" / "deeper";
    expect_failure("inspect " + model("gemm.onnx") + " -o " + quoted((dir / "r.json").string()), 4, "cannot write");
    BOOST_TEST(!fs::exists(dir));
}

BOOST_AUTO_TEST_CASE(unknown_export_format_leaves_existing_file_intact) {
    const fs::path out = fs::temp_directory_path() / "winglet-keep-me.xyz";
    { std::ofstream(out) << "previous good content"; }
    expect_failure("inspect " + model("gemm.onnx") + " -o " + quoted(out.string()) + " --format xyz", 3,
                   "no exporter plugin for format 'xyz'");
    std::ifstream in(out);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    BOOST_TEST(content == "previous good content");
    fs::remove(out);
}
