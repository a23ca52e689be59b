// A content-keyed store of result blobs (e.g. compiled plans as JSON) in one SQLite file that
// several processes may share. Not thread-safe: one ResultCache per thread.
#pragma once

#include "cache/cache_error.hpp"
#include "cache/cache_key.hpp"
#include "cache/cache_recovery.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace winglet {

namespace sqlite { class Db; }

struct KindStats {
    std::string kind;
    int64_t entries = 0;
    int64_t bytes = 0;  // of result blobs
};

struct CacheStats {
    std::filesystem::path path;
    int schema_version = 0;
    int64_t entries = 0;
    int64_t bytes = 0;       // of result blobs
    int64_t file_bytes = 0;  // the database file plus its WAL
    std::vector<KindStats> by_kind;  // sorted by kind
};

struct CacheOpenOptions {
    // PRAGMA quick_check at open for files up to this size. It reads every page (~0.5 ms per
    // MiB), so commands that must answer in milliseconds leave it off and rely on SQLite's own
    // corruption errors, which get/put recover from the same way, and on each entry's checksum;
    // `winglet cache stats` turns it on.
    int64_t quick_check_max_bytes = 0;
};

class ResultCache {
public:
    // Opens or creates the cache (and its directories). A damaged file is moved aside to
    // "<path>.corrupt-<UTC time>" with a warning and replaced by an empty cache. Throws
    // CacheVersionError for a file from a newer winglet, CacheError when it cannot be used.
    static ResultCache open(const std::filesystem::path& path, const CacheOpenOptions& options = {});
    // For commands that work without a cache: any CacheError becomes a warning and nullopt.
    static std::optional<ResultCache> try_open(const std::filesystem::path& path);
    // $XDG_CACHE_HOME/winglet/cache.db, else $HOME/.cache/winglet/cache.db; CacheError if neither.
    static std::filesystem::path default_path();

    ResultCache(ResultCache&&) noexcept;
    ResultCache& operator=(ResultCache&&) noexcept;
    ~ResultCache();

    // The stored blob, or nullopt. Read-only: a hit writes nothing, so it takes no write lock and
    // leaves no WAL frames for the next process to replay (a few milliseconds per command).
    std::optional<std::string> get(const CacheKey& key);
    // Inserts or replaces the entry.
    void put(const CacheKey& key, std::string_view kind, std::string_view blob);
    CacheStats stats();
    // Removes every entry and gives the space back to the file system.
    void clear();
    const std::filesystem::path& path() const { return path_; }

private:
    ResultCache(std::filesystem::path path, CacheOpenOptions options);
    void connect();
    void recover(const std::string& reason, std::optional<FileId> bad_file);
    template <class F> auto with_recovery(F&& op) -> decltype(op());
    std::optional<std::string> lookup(const std::string& digest);

    std::filesystem::path path_;
    CacheOpenOptions options_;
    std::unique_ptr<sqlite::Db> db_;
    std::optional<FileId> file_;  // identity of the file db_ has open
};

}  // namespace winglet
