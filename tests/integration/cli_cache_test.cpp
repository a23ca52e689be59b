// `winglet cache stats|clear|path` through the real binary.
#define BOOST_TEST_MODULE cli_cache
#include <boost/test/unit_test.hpp>

#include "cache/result_cache.hpp"
#include "support/run_command.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <fstream>
#include <unistd.h>

using winglet::test::env_or_throw;
using winglet::test::quoted;
using winglet::test::run_command;
namespace fs = std::filesystem;

namespace {

struct Fixture {
    fs::path dir = fs::temp_directory_path() / ("winglet-cli-cache-" + std::to_string(::getpid()));
    fs::path db = dir / "sub" / "cache.db";
    Fixture() {
        fs::remove_all(dir);
        fs::create_directories(dir);
        spdlog::set_level(spdlog::level::err);
    }
    ~Fixture() { fs::remove_all(dir); }

    winglet::test::CommandResult winglet(const std::string& args, const std::string& env = "") const {
        const auto r = run_command(env + " " + quoted(env_or_throw("WINGLET_BIN")) + " " + args);
        BOOST_TEST_MESSAGE("winglet " << args << " -> " << r.exit_code << "\n" << r.output);
        return r;
    }
    nlohmann::json stats_json() const {
        const auto r = winglet("cache stats --json --cache " + quoted(db.string()));
        BOOST_REQUIRE(r.exit_code == 0);
        return nlohmann::json::parse(r.output);
    }
    void put(int n) const {
        auto cache = winglet::ResultCache::open(db);
        for (int i = 0; i < n; ++i)
            cache.put({"m" + std::to_string(i), "spec-target 1.0.0", "d", "", 1}, i % 2 ? "timeline" : "compile",
                      std::string(100, 'x'));
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(cli_cache, Fixture)

BOOST_AUTO_TEST_CASE(path_prints_the_given_or_default_location) {
    auto r = winglet("cache path --cache " + quoted(db.string()));
    BOOST_TEST(r.exit_code == 0);
    BOOST_TEST(r.output == db.string() + "\n");
    BOOST_TEST(!fs::exists(db));  // only printed, not created
    r = winglet("cache path", "XDG_CACHE_HOME=" + quoted(dir.string()));
    BOOST_TEST(r.output == (dir / "winglet" / "cache.db").string() + "\n");
    r = winglet("cache path", "env -u XDG_CACHE_HOME HOME=" + quoted(dir.string()));
    BOOST_TEST(r.output == (dir / ".cache" / "winglet" / "cache.db").string() + "\n");
}

BOOST_AUTO_TEST_CASE(stats_reports_entries_bytes_and_kinds) {
    put(3);
    const auto doc = stats_json();
    BOOST_TEST(doc["path"] == db.string());
    BOOST_TEST(doc["entries"] == 3);
    BOOST_TEST(doc["bytes"] == 300);
    BOOST_TEST(doc["schema_version"] == 2);
    BOOST_TEST(doc["file_bytes"].get<int64_t>() > 0);
    BOOST_TEST(doc["by_kind"]["compile"]["entries"] == 2);
    BOOST_TEST(doc["by_kind"]["timeline"]["entries"] == 1);
    const auto text = winglet("cache stats --cache " + quoted(db.string()));
    BOOST_TEST(text.exit_code == 0);
    BOOST_TEST(text.output.find("entries: 3") != std::string::npos);
    BOOST_TEST(text.output.find("timeline") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(stats_of_a_missing_cache_is_empty_and_creates_nothing) {
    BOOST_TEST(stats_json()["entries"] == 0);
    BOOST_TEST(!fs::exists(db));
}

BOOST_AUTO_TEST_CASE(clear_empties_the_cache) {
    put(5);
    const auto r = winglet("cache clear --cache " + quoted(db.string()));
    BOOST_TEST(r.exit_code == 0);
    BOOST_TEST(r.output.find("removed 5 entries") != std::string::npos);
    BOOST_TEST(stats_json()["entries"] == 0);
}

BOOST_AUTO_TEST_CASE(a_damaged_cache_is_rebuilt_with_a_warning) {
    put(3);
    std::ofstream(db, std::ios::binary | std::ios::trunc) << std::string(8192, '\x5a');
    const auto r = winglet("cache stats --cache " + quoted(db.string()));
    BOOST_TEST(r.exit_code == 0);
    BOOST_TEST(r.output.find("warning") != std::string::npos);
    BOOST_TEST(r.output.find(".corrupt-") != std::string::npos);
    BOOST_TEST(r.output.find("entries: 0") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_newer_cache_is_an_error_and_untouched) {
    put(1);
    std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(60);
    f.write("\0\0\0\x07", 4);  // user_version 7
    f.close();
    const auto size = fs::file_size(db);
    const auto r = winglet("cache clear --cache " + quoted(db.string()));
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.output.find("newer") != std::string::npos);
    BOOST_TEST(fs::file_size(db) == size);
}

BOOST_AUTO_TEST_CASE(usage_errors_and_help) {
    BOOST_TEST(winglet("cache").exit_code == 1);
    BOOST_TEST(winglet("cache shrink").exit_code == 1);
    const auto help = winglet("cache --help");
    BOOST_TEST(help.exit_code == 0);
    BOOST_TEST(help.output.find("stats|clear|path") != std::string::npos);
    BOOST_TEST(winglet("--help").output.find("cache") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
