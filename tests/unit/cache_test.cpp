// ResultCache: keys, round trips, several processes at once, damaged and newer files.
#define BOOST_TEST_MODULE cache
#include <boost/test/unit_test.hpp>

#include "cache/result_cache.hpp"
#include "cache/sqlite_handle.hpp"
#include "io/content_hash.hpp"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace winglet;
namespace fs = std::filesystem;

namespace {

// A fresh directory per test, removed afterwards; warnings are captured in `log`.
struct Fixture {
    fs::path dir;
    fs::path db;
    std::shared_ptr<std::ostringstream> log = std::make_shared<std::ostringstream>();

    Fixture() {
        static int counter = 0;
        dir = fs::temp_directory_path() /
              ("winglet-cache-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::remove_all(dir);
        fs::create_directories(dir);
        db = dir / "cache.db";
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*log);
        spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", sink));
        spdlog::set_level(spdlog::level::warn);
    }
    ~Fixture() {
        spdlog::set_default_logger(std::make_shared<spdlog::logger>("null"));
        fs::remove_all(dir);
    }
    std::vector<fs::path> corrupt_files() const {
        std::vector<fs::path> out;
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().filename().string().rfind("cache.db.corrupt-", 0) == 0 &&
                e.path().string().find("-wal") == std::string::npos && e.path().string().find("-shm") == std::string::npos)
                out.push_back(e.path());
        return out;
    }
};

CacheKey key(int i = 0) {
    return {"xxh3-128:model" + std::to_string(i), "spec-target 1.0.0", "xxh3-128:device", "batch=1", 1};
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

std::string random_bytes(size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::string s(n, '\0');
    for (char& c : s) c = static_cast<char>(rng());
    return s;
}

// A cache with `n` entries of ~1 KiB, closed again (so the WAL is checkpointed into the file).
void fill(const fs::path& db, int n) {
    ResultCache cache = ResultCache::open(db);
    for (int i = 0; i < n; ++i) cache.put(key(i), "compile", std::string(1000, 'a' + i % 26));
}

// Runs body in a child process; returns its exit status (0: body returned true).
pid_t spawn(const std::function<bool()>& body) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        bool ok = false;
        try {
            ok = body();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "child %d: %s\n", static_cast<int>(::getpid()), e.what());
        }
        ::_exit(ok ? 0 : 1);
    }
    return pid;
}

int wait_exit(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(result_cache, Fixture)

BOOST_AUTO_TEST_CASE(put_get_round_trip_and_upsert) {
    ResultCache cache = ResultCache::open(db);
    BOOST_TEST(!cache.get(key()).has_value());
    const std::string binary("a\0b\xff", 4);
    cache.put(key(), "compile", binary);
    BOOST_TEST(cache.get(key()).value() == binary);
    cache.put(key(), "compile", "second");
    BOOST_TEST(cache.get(key()).value() == "second");
    cache.put(key(1), "compile", "");
    BOOST_TEST(cache.get(key(1)).value() == "");
    BOOST_TEST(cache.stats().entries == 2);
}

BOOST_AUTO_TEST_CASE(a_key_differing_in_any_part_misses) {
    ResultCache cache = ResultCache::open(db);
    const CacheKey base = key();
    cache.put(base, "compile", "base");
    const std::vector<std::function<void(CacheKey&)>> changes = {
        [](CacheKey& k) { k.model_hash += "x"; },
        [](CacheKey& k) { k.producer = "spec-target 1.0.1"; },
        [](CacheKey& k) { k.device_fingerprint += "x"; },
        [](CacheKey& k) { k.options = "batch=2"; },
        [](CacheKey& k) { k.result_format_version = 2; },
    };
    for (const auto& change : changes) {
        CacheKey other = base;
        change(other);
        BOOST_TEST(cache_key_digest(other) != cache_key_digest(base));
        BOOST_TEST(!cache.get(other).has_value());
    }
    BOOST_TEST(cache.get(base).value() == "base");
}

BOOST_AUTO_TEST_CASE(fields_are_length_prefixed) {
    CacheKey ab_c{"ab", "c", "", "", 1}, a_bc{"a", "bc", "", "", 1};
    BOOST_TEST(cache_key_digest(ab_c) != cache_key_digest(a_bc));
    CacheKey x{"", "", "", "x", 1}, y{"", "", "x", "", 1};
    BOOST_TEST(cache_key_digest(x) != cache_key_digest(y));
    ResultCache cache = ResultCache::open(db);
    cache.put(ab_c, "compile", "1");
    cache.put(a_bc, "compile", "2");
    BOOST_TEST(cache.get(ab_c).value() == "1");
    BOOST_TEST(cache.get(a_bc).value() == "2");
}

BOOST_AUTO_TEST_CASE(stats_count_entries_bytes_and_kinds) {
    ResultCache cache = ResultCache::open(db);
    cache.put(key(0), "compile", "12345");
    cache.put(key(1), "compile", "123");
    cache.put(key(2), "timeline", "1");
    const CacheStats st = cache.stats();
    BOOST_TEST(st.entries == 3);
    BOOST_TEST(st.bytes == 9);
    BOOST_TEST(st.schema_version == 2);
    BOOST_TEST(st.file_bytes > 0);
    BOOST_TEST(st.path == db);
    BOOST_REQUIRE(st.by_kind.size() == 2u);
    BOOST_TEST(st.by_kind[0].kind == "compile");
    BOOST_TEST(st.by_kind[0].entries == 2);
    BOOST_TEST(st.by_kind[0].bytes == 8);
    BOOST_TEST(st.by_kind[1].kind == "timeline");
}

BOOST_AUTO_TEST_CASE(entries_persist_and_clear_empties) {
    fill(db, 50);
    ResultCache cache = ResultCache::open(db);
    BOOST_TEST(cache.get(key(7)).value() == std::string(1000, 'h'));
    const auto before = fs::file_size(db);
    cache.clear();
    BOOST_TEST(cache.stats().entries == 0);
    BOOST_TEST(!cache.get(key(7)).has_value());
    BOOST_TEST(fs::file_size(db) < before);  // VACUUM gave the space back
    cache.put(key(7), "compile", "again");
    BOOST_TEST(cache.get(key(7)).value() == "again");
}

BOOST_AUTO_TEST_CASE(open_creates_missing_directories) {
    ResultCache cache = ResultCache::open(dir / "a" / "b" / "cache.db");
    cache.put(key(), "compile", "x");
    BOOST_TEST(fs::exists(dir / "a" / "b" / "cache.db"));
}

BOOST_AUTO_TEST_CASE(default_path_follows_xdg_then_home) {
    auto saved = [](const char* name) { return std::getenv(name) ? std::string(std::getenv(name)) : std::string(); };
    const std::string saved_xdg = saved("XDG_CACHE_HOME"), saved_home = saved("HOME");
    ::setenv("XDG_CACHE_HOME", "/xdg", 1);
    BOOST_TEST(ResultCache::default_path() == fs::path("/xdg/winglet/cache.db"));
    ::setenv("XDG_CACHE_HOME", "relative", 1);  // invalid per the XDG spec: ignored
    ::setenv("HOME", "/home/u", 1);
    BOOST_TEST(ResultCache::default_path() == fs::path("/home/u/.cache/winglet/cache.db"));
    ::unsetenv("XDG_CACHE_HOME");
    BOOST_TEST(ResultCache::default_path() == fs::path("/home/u/.cache/winglet/cache.db"));
    ::unsetenv("HOME");
    BOOST_CHECK_THROW(ResultCache::default_path(), CacheError);
    if (!saved_xdg.empty()) ::setenv("XDG_CACHE_HOME", saved_xdg.c_str(), 1);
    if (!saved_home.empty()) ::setenv("HOME", saved_home.c_str(), 1);
}

BOOST_AUTO_TEST_CASE(two_processes_writing_at_once_lose_nothing) {
    // Both children open the (not yet existing) file and start writing when the pipe closes.
    int go[2];
    BOOST_REQUIRE(::pipe(go) == 0);
    auto writer = [&](int first) {
        return [&, first] {
            ::close(go[1]);
            char c;
            (void)!::read(go[0], &c, 1);  // returns 0 when the parent closes its end
            ResultCache cache = ResultCache::open(db);
            for (int i = first; i < first + 500; ++i) cache.put(key(i), "compile", "value " + std::to_string(i));
            return true;
        };
    };
    const pid_t a = spawn(writer(0)), b = spawn(writer(500));
    ::close(go[0]);
    ::close(go[1]);
    BOOST_TEST(wait_exit(a) == 0);
    BOOST_TEST(wait_exit(b) == 0);
    ResultCache cache = ResultCache::open(db);
    BOOST_TEST(cache.stats().entries == 1000);
    int readable = 0;
    for (int i = 0; i < 1000; ++i) readable += cache.get(key(i)) == "value " + std::to_string(i);
    BOOST_TEST(readable == 1000);
    BOOST_TEST(corrupt_files().empty());
}

BOOST_AUTO_TEST_CASE(a_killed_writer_loses_no_committed_entry) {
    int ready[2];
    BOOST_REQUIRE(::pipe(ready) == 0);
    const pid_t child = spawn([&] {
        ResultCache cache = ResultCache::open(db);
        for (int i = 0;; ++i) {
            cache.put(key(i), "compile", "value " + std::to_string(i));
            if (i == 99) (void)!::write(ready[1], "x", 1);  // 100 committed, keep writing
        }
        return true;
    });
    ::close(ready[1]);
    char c;
    BOOST_REQUIRE(::read(ready[0], &c, 1) == 1);
    ::kill(child, SIGKILL);
    BOOST_TEST(wait_exit(child) == -SIGKILL);
    ::close(ready[0]);
    ResultCache cache = ResultCache::open(db);
    const int64_t entries = cache.stats().entries;
    BOOST_TEST(entries >= 100);
    for (int i = 0; i < entries; ++i) BOOST_TEST(cache.get(key(i)).value_or("<miss>") == "value " + std::to_string(i));
    BOOST_TEST(corrupt_files().empty());
    BOOST_TEST(log->str().empty());
}

BOOST_AUTO_TEST_CASE(random_bytes_are_moved_aside_and_replaced) {
    fill(db, 20);
    write_file(db, random_bytes(fs::file_size(db), 42));
    const std::string garbage = read_file(db);
    ResultCache cache = ResultCache::open(db);
    const auto aside = corrupt_files();
    BOOST_REQUIRE(aside.size() == 1u);
    BOOST_TEST(read_file(aside[0]) == garbage);  // kept, byte for byte
    BOOST_TEST(log->str().find("damaged") != std::string::npos);
    BOOST_TEST(log->str().find(aside[0].string()) != std::string::npos);
    BOOST_TEST(cache.stats().entries == 0);
    cache.put(key(), "compile", "fresh");
    BOOST_TEST(cache.get(key()).value() == "fresh");
}

BOOST_AUTO_TEST_CASE(a_file_truncated_in_the_middle_is_moved_aside_by_the_page_check) {
    fill(db, 300);
    fs::resize_file(db, fs::file_size(db) / 2);
    CacheOpenOptions check_everything;
    check_everything.quick_check_max_bytes = int64_t{1} << 40;
    ResultCache cache = ResultCache::open(db, check_everything);
    BOOST_TEST(corrupt_files().size() == 1u);
    BOOST_TEST(log->str().find("damaged") != std::string::npos);
    BOOST_TEST(!cache.get(key(1)).has_value());
    cache.put(key(1), "compile", "fresh");
    BOOST_TEST(cache.get(key(1)).value() == "fresh");
}

BOOST_AUTO_TEST_CASE(damage_found_in_get_is_recovered_once_and_retried) {
    fill(db, 300);
    // Keep page 1 (header and schema) intact, so open (without a page check) succeeds.
    std::string bytes = read_file(db);
    const size_t page = 4096;
    bytes.replace(page, bytes.size() - page, random_bytes(bytes.size() - page, 7));
    write_file(db, bytes);
    ResultCache cache = ResultCache::open(db);
    BOOST_TEST(corrupt_files().empty());
    BOOST_TEST(!cache.get(key(1)).has_value());  // damage seen, file replaced, lookup retried
    BOOST_TEST(corrupt_files().size() == 1u);
    BOOST_TEST(log->str().find("damaged") != std::string::npos);
    cache.put(key(1), "compile", "fresh");
    BOOST_TEST(cache.get(key(1)).value() == "fresh");
}

BOOST_AUTO_TEST_CASE(a_version_1_cache_migrates_and_keeps_its_entries) {
    {
        // The schema winglet 0.1.0 shipped, written here by hand rather than by the code under test.
        sqlite::Db v1 = sqlite::Db::open(db);
        v1.exec(R"sql(
            CREATE TABLE results (key TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL, model_hash TEXT NOT NULL,
                producer TEXT NOT NULL, device_fingerprint TEXT NOT NULL, options TEXT NOT NULL,
                result_format_version INTEGER NOT NULL, blob BLOB NOT NULL, blob_hash TEXT NOT NULL,
                created_at INTEGER NOT NULL, last_used_at INTEGER NOT NULL, hits INTEGER NOT NULL DEFAULT 0);
            PRAGMA user_version = 1;)sql");
        sqlite::Stmt insert(v1, "INSERT INTO results VALUES (?1, 'compile', 'm', 'p', 'd', 'o', 1, X'6F6C64', ?2, 0, 0, 7)");
        ContentHasher blob_hash;
        blob_hash.update("old", 3);
        insert.bind(1, cache_key_digest(key(3))).bind(2, blob_hash.hex()).step();
    }
    ResultCache cache = ResultCache::open(db);
    BOOST_TEST(cache.stats().schema_version == 2);
    BOOST_TEST(cache.get(key(3)).value_or("<miss>") == "old");
    cache.put(key(4), "compile", "new");
    BOOST_TEST(cache.get(key(4)).value_or("<miss>") == "new");
    BOOST_TEST(log->str().empty(), log->str());
}

BOOST_AUTO_TEST_CASE(a_newer_schema_is_refused_and_left_untouched) {
    fill(db, 3);
    std::string bytes = read_file(db);
    bytes[60] = bytes[61] = bytes[62] = 0;  // PRAGMA user_version: big-endian at offset 60
    bytes[63] = 99;
    write_file(db, bytes);
    BOOST_CHECK_EXCEPTION(ResultCache::open(db), CacheVersionError, [](const CacheVersionError& e) {
        const std::string m = e.what();
        return m.find("schema version 99") != std::string::npos && m.find("newer") != std::string::npos;
    });
    BOOST_TEST(!ResultCache::try_open(db).has_value());
    BOOST_TEST(log->str().find("running without the cache") != std::string::npos);
    BOOST_TEST(read_file(db) == bytes);
    BOOST_TEST(corrupt_files().empty());
}

BOOST_AUTO_TEST_SUITE_END()
