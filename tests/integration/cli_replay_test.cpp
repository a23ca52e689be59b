// Replaying a repeated `winglet compile` from the cache (the output memo): the same command on
// unchanged files prints and writes exactly what it did, without importing or calling the target;
// any change to a file it read (by size, inode or times) runs it again. The C test target
// (tests/abi/fixtures/c_target.c) counts its compile() calls in $WINGLET_TEST_TARGET_CALLS.
#define BOOST_TEST_MODULE cli_replay
#include <boost/test/unit_test.hpp>

#include "support/run_command.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

using namespace winglet::test;
namespace fs = std::filesystem;

namespace {

const fs::path kModels = fs::temp_directory_path() / ("winglet-replay-models-" + std::to_string(::getpid()));

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Model copies made once, then left alone long enough that their stamps are trusted (a file
// touched in the last 2 s is not: its next change could keep the same time stamp).
struct SettledModels {
    SettledModels() {
        fs::remove_all(kModels);
        fs::create_directories(kModels);
        for (const char* name : {"unchanged.onnx", "edited.onnx", "for_output.onnx", "for_plugins.onnx"})
            fs::copy_file(env_or_throw("WINGLET_TEST_MODELS") + "/gemm.onnx", kModels / name);
        fs::create_directories(kModels / "extra-plugins");
        std::this_thread::sleep_for(std::chrono::milliseconds(2200));
    }
    ~SettledModels() { fs::remove_all(kModels); }
};
BOOST_TEST_GLOBAL_FIXTURE(SettledModels);

struct Fixture {
    fs::path dir = fs::temp_directory_path() / ("winglet-replay-" + std::to_string(::getpid()) + "-" +
                                                boost::unit_test::framework::current_test_case().p_name.get());
    fs::path db = dir / "cache.db";
    fs::path calls_file = dir / "calls.txt";
    fs::path err_file = dir / "stderr.txt";
    Fixture() {
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~Fixture() { fs::remove_all(dir); }

    struct Run {
        std::string out, err;
        bool replayed() const { return err.find("replaying the stored output") != std::string::npos; }
    };
    // `winglet -v compile MODEL -t test-npu --cache DB ARGS`; stdout and stderr apart.
    Run compile(const std::string& model, const std::string& args = "", const std::string& global = "") const {
        const std::string command = "WINGLET_TEST_TARGET_CALLS=" + quoted(calls_file.string()) + " " +
                                    quoted(env_or_throw("WINGLET_BIN")) + " -v " + global + " --plugin-path " +
                                    quoted(env_or_throw("WINGLET_TARGET_FIXTURE_DIR")) + " --plugin-path " +
                                    quoted(env_or_throw("WINGLET_PLUGIN_DIR")) + " compile " +
                                    quoted((kModels / model).string()) + " -t test-npu --cache " + quoted(db.string()) +
                                    " " + args + " 2>" + quoted(err_file.string());
        const CommandResult r = run_command("(" + command + ")");
        Run run{r.output, read_file(err_file)};
        BOOST_TEST_MESSAGE(command << " -> " << r.exit_code << "\n" << run.err);
        BOOST_REQUIRE_EQUAL(r.exit_code, 0);
        return run;
    }
    int calls() const {
        std::ifstream in(calls_file);
        int n = 0;
        for (std::string line; std::getline(in, line);) ++n;
        return n;
    }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_repeated_command_replays_its_output_without_importing, Fixture) {
    const Run cold = compile("unchanged.onnx", "--json");
    BOOST_TEST(!cold.replayed());
    BOOST_TEST(cold.err.find("[onnx] imported") != std::string::npos, "the cold run imports");
    const Run warm = compile("unchanged.onnx", "--json");
    BOOST_TEST(warm.replayed());
    BOOST_TEST(warm.err.find("[onnx] imported") == std::string::npos, "the warm run does not import");
    BOOST_TEST(warm.out == cold.out);
    BOOST_TEST(calls() == 1);
    // Another rendering of the same compile is another command: it runs (the plan is cached).
    const Run table = compile("unchanged.onnx");
    BOOST_TEST(!table.replayed());
    BOOST_TEST(table.out.find("test-npu") != std::string::npos);
    BOOST_TEST(compile("unchanged.onnx").out == table.out);
    BOOST_TEST(calls() == 1);
    // --no-replay runs again; the output is the same.
    const Run again = compile("unchanged.onnx", "--json --no-replay");
    BOOST_TEST(!again.replayed());
    BOOST_TEST(again.out == cold.out);
}

BOOST_FIXTURE_TEST_CASE(a_touched_model_runs_again_and_the_plan_cache_still_serves, Fixture) {
    const Run cold = compile("edited.onnx", "--json");
    BOOST_TEST(compile("edited.onnx", "--json").replayed());
    // Same bytes, new modification time: the stamp differs, so the command runs; the content
    // hash is unchanged, so the stored plan is used and the target is not called.
    fs::last_write_time(kModels / "edited.onnx", fs::last_write_time(kModels / "edited.onnx") - std::chrono::hours(1));
    const Run touched = compile("edited.onnx", "--json");
    BOOST_TEST(!touched.replayed());
    BOOST_TEST(touched.err.find("edited.onnx changed since the stored output") != std::string::npos, touched.err);
    BOOST_TEST(touched.err.find("using the stored plan") != std::string::npos, touched.err);
    BOOST_TEST(touched.out == cold.out);
    BOOST_TEST(calls() == 1);
}

BOOST_FIXTURE_TEST_CASE(the_output_file_is_written_again_on_replay, Fixture) {
    const fs::path csv = dir / "plan.csv";
    compile("for_output.onnx", "-o " + quoted(csv.string()));
    const std::string first = read_file(csv);
    BOOST_TEST(first.find("unit") != std::string::npos);
    fs::remove(csv);
    BOOST_TEST(compile("for_output.onnx", "-o " + quoted(csv.string())).replayed());
    BOOST_TEST(read_file(csv) == first);
    // The trace format is a different output: not the CSV replayed under another name.
    const fs::path trace = dir / "plan.json";
    const Run traced = compile("for_output.onnx", "-o " + quoted(trace.string()) + " --format trace");
    BOOST_TEST(!traced.replayed());
    BOOST_TEST(read_file(trace).find("traceEvents") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(a_new_file_in_a_plugin_directory_runs_again, Fixture) {
    const fs::path extra = kModels / "extra-plugins";
    const std::string global = "--plugin-path " + quoted(extra.string());
    compile("for_plugins.onnx", "--json", global);
    BOOST_TEST(compile("for_plugins.onnx", "--json", global).replayed());
    std::ofstream(extra / "not-a-plugin.txt") << "a new file changes the directory";
    const Run after = compile("for_plugins.onnx", "--json", global);
    BOOST_TEST(!after.replayed());
    BOOST_TEST(after.err.find("extra-plugins changed since the stored output") != std::string::npos, after.err);
}
