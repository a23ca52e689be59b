#include "cache/result_cache.hpp"

#include "cache/cache_schema.hpp"
#include "cache/sqlite_handle.hpp"
#include "io/content_hash.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <thread>

namespace fs = std::filesystem;

namespace winglet {
namespace {

// Long enough to ride out another process's compile-sized write, short enough to not hang a user.
constexpr int kBusyTimeoutMs = 10'000;

std::string blob_checksum(std::string_view blob) {
    ContentHasher h;
    h.update(blob.data(), blob.size());
    return h.hex();
}

int64_t now() { return static_cast<int64_t>(std::time(nullptr)); }

int64_t size_or_zero(const fs::path& p) {
    std::error_code ec;
    const auto n = fs::file_size(p, ec);
    return ec ? 0 : static_cast<int64_t>(n);
}

// quick_check walks every page (no index cross-checks); on damage it reports rows or fails itself.
void quick_check(const sqlite::Db& db) {
    sqlite::Stmt s(db, "PRAGMA quick_check(1)");
    const std::string verdict = s.step() ? s.text(0) : std::string("no result");
    if (verdict != "ok") throw sqlite::Error(SQLITE_CORRUPT, "cache " + db.path().string() + ": quick_check: " + verdict);
}

// WAL: readers never block the writer and a killed writer leaves only an uncommitted tail.
// Switching a new file to WAL needs it exclusively, and SQLite answers BUSY at once (without the
// busy handler) while another process is opening it too; so retry until the busy timeout.
void use_wal(const sqlite::Db& db) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
    for (;;) {
        try {
            sqlite::Stmt mode(db, "PRAGMA journal_mode=WAL");
            if (mode.step() && mode.text(0) != "wal")
                spdlog::debug("cache {}: journal mode is {}, not wal", db.path().string(), mode.text(0));
            return;
        } catch (const sqlite::Error& e) {
            if ((e.code() & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() > deadline) throw;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

}  // namespace

ResultCache::ResultCache(fs::path path, CacheOpenOptions options) : path_(std::move(path)), options_(options) {}
ResultCache::ResultCache(ResultCache&&) noexcept = default;
ResultCache& ResultCache::operator=(ResultCache&&) noexcept = default;
ResultCache::~ResultCache() = default;

ResultCache ResultCache::open(const fs::path& path, const CacheOpenOptions& options) {
    std::error_code ec;
    if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
    if (ec) throw CacheError("cannot create the cache directory " + path.parent_path().string() + ": " + ec.message());
    ResultCache cache(path, options);
    const std::optional<FileId> before = file_id(path);
    try {
        cache.connect();
    } catch (const sqlite::Error& e) {
        if (!e.is_corruption()) throw;
        cache.recover(e.what(), before);
    }
    return cache;
}

std::optional<ResultCache> ResultCache::try_open(const fs::path& path) {
    try {
        return open(path);
    } catch (const CacheError& e) {
        spdlog::warn("{}; running without the cache", e.what());
        return std::nullopt;
    }
}

fs::path ResultCache::default_path() {
    // XDG says relative values are invalid and must be ignored.
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg && fs::path(xdg).is_absolute())
        return fs::path(xdg) / "winglet" / "cache.db";
    if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache" / "winglet" / "cache.db";
    throw CacheError("no cache location: neither XDG_CACHE_HOME nor HOME is set (use --cache PATH)");
}

void ResultCache::connect() {
    db_.reset();
    auto db = std::make_unique<sqlite::Db>(sqlite::Db::open(path_));
    sqlite3_busy_timeout(db->get(), kBusyTimeoutMs);
    // First read of the file: a non-database fails here with SQLITE_NOTADB. A newer schema is
    // refused before anything (even the journal mode) is written.
    checked_cache_schema_version(*db);
    use_wal(*db);
    // NORMAL in WAL mode: a power cut may lose the last commits, never consistency.
    db->exec("PRAGMA synchronous=NORMAL");
    // Keep the -wal and -shm files when the last connection closes, the WAL truncated to 0 bytes
    // after its checkpoint (journal_size_limit=0) so that nothing in it outlives the connection:
    // every command would otherwise create and delete both files, a third of a cached command's
    // time.
    int persist = 1;
    sqlite3_file_control(db->get(), "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
    db->exec("PRAGMA journal_size_limit=0");
    if (size_or_zero(path_) <= options_.quick_check_max_bytes) quick_check(*db);
    migrate_cache_schema(*db);
    db_ = std::move(db);
    file_ = file_id(path_);
}

void ResultCache::recover(const std::string& reason, std::optional<FileId> bad_file) {
    db_.reset();
    RecoveryLock lock(path_);
    // Another process may have replaced the bad file while we waited for the lock.
    const std::optional<FileId> current = file_id(path_);
    if (current && (!bad_file || current == bad_file)) {
        const fs::path aside = move_aside(path_);
        spdlog::warn("cache {} is damaged ({}); moved it to {} and started an empty cache; results will be "
                     "computed again", path_.string(), reason, aside.string());
    }
    connect();
}

// Runs op; on corruption, rebuilds the cache once and runs op again on the fresh file.
template <class F>
auto ResultCache::with_recovery(F&& op) -> decltype(op()) {
    try {
        if (!db_) connect();
        return op();
    } catch (const sqlite::Error& e) {
        if (!e.is_corruption()) throw;
        recover(e.what(), file_);
        return op();
    }
}

std::optional<std::string> ResultCache::get(const CacheKey& key) {
    const std::string digest = cache_key_digest(key);
    return with_recovery([&] { return lookup(digest); });
}

std::optional<std::string> ResultCache::lookup(const std::string& digest) {
    sqlite::Stmt s(*db_, "SELECT blob, blob_hash FROM results WHERE key = ?1");
    s.bind(1, digest);
    if (!s.step()) return std::nullopt;
    std::string blob = s.blob(0);
    if (blob_checksum(blob) != s.text(1)) {
        // Damage SQLite cannot see (a flipped bit inside a page): drop the entry, recompute.
        spdlog::warn("cache {}: entry {} failed its checksum; dropping it, the result will be computed again",
                     path_.string(), digest);
        sqlite::Transaction tx(*db_);
        sqlite::Stmt del(*db_, "DELETE FROM results WHERE key = ?1");
        del.bind(1, digest).step();
        tx.commit();
        return std::nullopt;
    }
    return blob;
}

void ResultCache::put(const CacheKey& key, std::string_view kind, std::string_view blob) {
    const std::string digest = cache_key_digest(key), checksum = blob_checksum(blob);
    const auto version = static_cast<int64_t>(key.result_format_version);
    with_recovery([&] {
        sqlite::Transaction tx(*db_);
        sqlite::Stmt s(*db_, R"sql(
            INSERT INTO results (key, kind, model_hash, producer, device_fingerprint, options,
                                 result_format_version, blob, blob_hash, created_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, blob = excluded.blob,
                blob_hash = excluded.blob_hash, created_at = excluded.created_at)sql");
        s.bind(1, digest).bind(2, kind).bind(3, key.model_hash).bind(4, key.producer);
        s.bind(5, key.device_fingerprint).bind(6, key.options).bind(7, version);
        s.bind_blob(8, blob).bind(9, checksum).bind(10, now());
        s.step();
        tx.commit();
    });
}

CacheStats ResultCache::stats() {
    return with_recovery([&] {
        CacheStats st;
        st.path = path_;
        st.schema_version = checked_cache_schema_version(*db_);
        sqlite::Stmt s(*db_, "SELECT kind, COUNT(*), COALESCE(SUM(LENGTH(blob)), 0) "
                             "FROM results GROUP BY kind ORDER BY kind");
        while (s.step()) {
            KindStats k{s.text(0), s.int64(1), s.int64(2)};
            st.entries += k.entries;
            st.bytes += k.bytes;
            st.by_kind.push_back(std::move(k));
        }
        st.file_bytes = size_or_zero(path_) + size_or_zero(path_.string() + "-wal");
        return st;
    });
}

void ResultCache::clear() {
    with_recovery([&] {
        sqlite::Transaction tx(*db_);
        db_->exec("DELETE FROM results");
        tx.commit();
    });
    // Giving the space back is best effort: the entries are gone either way.
    try {
        db_->exec("VACUUM");
        db_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (const sqlite::Error& e) {
        spdlog::warn("{} (the cache is empty, but its file was not shrunk)", e.what());
    }
}

}  // namespace winglet
