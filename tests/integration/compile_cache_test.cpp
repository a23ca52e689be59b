// The plan cache through the real binary: the C test target (tests/abi/fixtures/c_target.c)
// appends a line to $WINGLET_TEST_TARGET_CALLS on every compile() call, so counting lines proves
// whether `winglet compile` called the target or used a stored plan. These tests pass --no-replay
// so that the plan layer is tested alone; cli_replay_test covers the replay of whole outputs.
#define BOOST_TEST_MODULE compile_cache
#include <boost/test/unit_test.hpp>

#include "cache/result_cache.hpp"
#include "compile/plan_cache.hpp"
#include "plugins/import.hpp"
#include "support/run_command.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <fstream>
#include <unistd.h>

using namespace winglet::test;
namespace fs = std::filesystem;

namespace {

std::string model(const std::string& name) { return env_or_throw("WINGLET_TEST_MODELS") + "/" + name; }

struct Fixture {
    fs::path dir = fs::temp_directory_path() / ("winglet-compile-cache-" + std::to_string(::getpid()));
    fs::path db = dir / "cache.db";
    fs::path calls_file = dir / "calls.txt";
    fs::path err_file = dir / "stderr.txt";
    Fixture() {
        fs::remove_all(dir);
        fs::create_directories(dir);
        spdlog::set_level(spdlog::level::err);
    }
    ~Fixture() { fs::remove_all(dir); }

    // `winglet compile --json` with the fixture target; `env` goes before the command.
    std::string command(const std::string& args, const std::string& env = "") const {
        return "WINGLET_TEST_TARGET_CALLS=" + quoted(calls_file.string()) + " " + env + " " +
               quoted(env_or_throw("WINGLET_BIN")) + " --plugin-path " + quoted(env_or_throw("WINGLET_TARGET_FIXTURE_DIR")) +
               " --plugin-path " + quoted(env_or_throw("WINGLET_PLUGIN_DIR")) + " compile -t test-npu --json --no-replay " + args;
    }
    std::string cached(const std::string& model_name, const std::string& extra = "") const {
        return quoted(model(model_name)) + " --cache " + quoted(db.string()) + " " + extra;
    }
    // Runs it with stderr kept apart (in err_file) so that stdout parses as JSON.
    nlohmann::json compile(const std::string& args, const std::string& env = "") const {
        const CommandResult r = run_command("(" + command(args, env) + " 2>" + quoted(err_file.string()) + ")");
        BOOST_TEST_MESSAGE("compile " << args << " -> " << r.exit_code << "\n" << stderr_text());
        BOOST_REQUIRE_EQUAL(r.exit_code, 0);
        return nlohmann::json::parse(r.output);
    }
    std::string stderr_text() const {
        std::ifstream in(err_file);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
    int calls() const {
        std::ifstream in(calls_file);
        int n = 0;
        for (std::string line; std::getline(in, line);) ++n;
        return n;
    }
    nlohmann::json stats() const {
        const CommandResult r = run_command(quoted(env_or_throw("WINGLET_BIN")) + " cache stats --json --cache " +
                                            quoted(db.string()));
        BOOST_REQUIRE_EQUAL(r.exit_code, 0);
        return nlohmann::json::parse(r.output);
    }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_repeat_compile_does_not_call_the_target, Fixture) {
    const auto cold = compile(cached("gemm.onnx"));
    const auto warm = compile(cached("gemm.onnx"));
    BOOST_TEST(calls() == 1);
    BOOST_TEST(warm["totals"] == cold["totals"]);
    BOOST_TEST(warm["ops"] == cold["ops"]);
    BOOST_TEST(warm["plan"] == cold["plan"]);
    const auto st = stats();
    BOOST_TEST(st["by_kind"]["compile"]["entries"] == 1);
}

BOOST_FIXTURE_TEST_CASE(other_options_model_or_fingerprint_miss, Fixture) {
    compile(cached("gemm.onnx"));
    compile(cached("gemm.onnx", "--option speed=2"));
    BOOST_TEST(calls() == 2, "a new --option misses");
    compile(cached("gemm.onnx", "--option speed=2"));
    BOOST_TEST(calls() == 2, "the same option again hits");
    compile(cached("conv_groups.onnx"));
    BOOST_TEST(calls() == 3, "another model misses");
    compile(cached("gemm.onnx"), "WINGLET_TEST_TARGET_FINGERPRINT=edited");
    BOOST_TEST(calls() == 4, "an edited device (new fingerprint) misses");
    compile(cached("gemm.onnx"));
    BOOST_TEST(calls() == 4, "the first entry is still there");
    BOOST_TEST(stats()["entries"] == 4);
}

BOOST_FIXTURE_TEST_CASE(no_cache_always_calls_the_target, Fixture) {
    compile(quoted(model("gemm.onnx")) + " --no-cache");
    compile(quoted(model("gemm.onnx")) + " --no-cache");
    BOOST_TEST(calls() == 2);
    const CommandResult both = run_command(command(cached("gemm.onnx", "--no-cache")));
    BOOST_TEST(both.exit_code == 1, both.output);  // a usage error
}

BOOST_FIXTURE_TEST_CASE(two_processes_share_one_cache, Fixture) {
    // Both start at once on a cache that does not exist yet; each reports its exit status.
    const std::string a = command(cached("gemm.onnx", "--option run=a")) + " >/dev/null 2>&1";
    const std::string b = command(cached("gemm.onnx", "--option run=b")) + " >/dev/null 2>&1";
    const CommandResult r = run_command("sh -c " + quoted(a + " & pa=$!; " + b + " & pb=$!; wait $pa; ra=$?; "
                                                          "wait $pb; echo \"$ra $?\""));
    BOOST_TEST(r.output == "0 0\n");
    BOOST_TEST(calls() == 2);
    BOOST_TEST(stats()["by_kind"]["compile"]["entries"] == 2, "neither write was lost");
    compile(cached("gemm.onnx", "--option run=a"));
    compile(cached("gemm.onnx", "--option run=b"));
    BOOST_TEST(calls() == 2);
}

BOOST_FIXTURE_TEST_CASE(a_corrupt_cache_file_is_moved_aside_and_the_compile_succeeds, Fixture) {
    std::ofstream(db, std::ios::binary) << std::string(4096, '\x5a') + "random bytes, not SQLite";
    const auto doc = compile(cached("gemm.onnx"));
    BOOST_TEST(doc["ops"][0]["unit"] == "pe");
    BOOST_TEST(stderr_text().find("damaged") != std::string::npos, stderr_text());
    bool moved = false;
    for (const auto& e : fs::directory_iterator(dir)) moved |= e.path().filename().string().rfind("cache.db.corrupt-", 0) == 0;
    BOOST_TEST(moved);
    compile(cached("gemm.onnx"));
    BOOST_TEST(calls() == 1, "the rebuilt cache works");
}

BOOST_FIXTURE_TEST_CASE(an_unreadable_stored_plan_is_a_miss_and_is_overwritten, Fixture) {
    winglet::PluginRegistry registry;
    registry.load_directories({env_or_throw("WINGLET_TARGET_FIXTURE_DIR"), env_or_throw("WINGLET_PLUGIN_DIR")});
    const winglet::Model m = winglet::import_model(registry, model("gemm.onnx"));
    const winglet::CacheKey key = winglet::plan_cache_key(registry, m, "test-npu", {}, {});
    winglet::ResultCache::open(db).put(key, winglet::kCompiledPlanKind, "{not json");

    compile(cached("gemm.onnx"));
    BOOST_TEST(calls() == 1);
    BOOST_TEST(stderr_text().find("unreadable") != std::string::npos, stderr_text());
    compile(cached("gemm.onnx"));
    BOOST_TEST(calls() == 1, "the good plan replaced the bad one");
}
