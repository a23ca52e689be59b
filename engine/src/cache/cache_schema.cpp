#include "cache/cache_schema.hpp"

#include <iterator>

namespace winglet {
namespace {

struct Migration {
    int version;      // user_version after this step
    const char* sql;  // run once, in order, inside the migration transaction
};

// Append-only: a schema change is one more entry with the next version; never edit a shipped one.
constexpr Migration kMigrations[] = {
    {1, R"sql(
        CREATE TABLE results (
            key                   TEXT PRIMARY KEY NOT NULL,  -- cache_key_digest()
            kind                  TEXT NOT NULL,              -- "compile", ...
            model_hash            TEXT NOT NULL,              -- the key's parts, for stats and debugging
            producer              TEXT NOT NULL,
            device_fingerprint    TEXT NOT NULL,
            options               TEXT NOT NULL,
            result_format_version INTEGER NOT NULL,
            blob                  BLOB NOT NULL,
            blob_hash             TEXT NOT NULL,              -- xxh3-128 of blob, checked on every get
            created_at            INTEGER NOT NULL,           -- Unix seconds, UTC
            last_used_at          INTEGER NOT NULL,
            hits                  INTEGER NOT NULL DEFAULT 0
        );
    )sql"},
    // Hits are no longer counted: recording one made every cached command a write transaction.
    // A rebuilt table rather than DROP COLUMN, which SQLite 3.40 fails on the commented schema.
    {2, R"sql(
        CREATE TABLE results_v2 (
            key                   TEXT PRIMARY KEY NOT NULL,  -- cache_key_digest()
            kind                  TEXT NOT NULL,              -- "compile", "compile-output", ...
            model_hash            TEXT NOT NULL,              -- the key's parts, for stats and debugging
            producer              TEXT NOT NULL,
            device_fingerprint    TEXT NOT NULL,
            options               TEXT NOT NULL,
            result_format_version INTEGER NOT NULL,
            blob                  BLOB NOT NULL,
            blob_hash             TEXT NOT NULL,              -- xxh3-128 of blob, checked on every get
            created_at            INTEGER NOT NULL            -- Unix seconds, UTC
        );
        INSERT INTO results_v2 SELECT key, kind, model_hash, producer, device_fingerprint, options,
                                      result_format_version, blob, blob_hash, created_at FROM results;
        DROP TABLE results;
        ALTER TABLE results_v2 RENAME TO results;
    )sql"},
};

constexpr bool ascending() {
    for (size_t i = 0; i < std::size(kMigrations); ++i)
        if (kMigrations[i].version != static_cast<int>(i) + 1) return false;
    return true;
}
static_assert(ascending(), "migrations must be numbered 1, 2, 3, ... in order");

}  // namespace

int latest_cache_schema_version() { return kMigrations[std::size(kMigrations) - 1].version; }

int checked_cache_schema_version(const sqlite::Db& db) {
    const int version = static_cast<int>(sqlite::query_int(db, "PRAGMA user_version"));
    if (version > latest_cache_schema_version())
        throw CacheVersionError("cache " + db.path().string() + " has schema version " + std::to_string(version) +
                                ", newer than this winglet knows (" +
                                std::to_string(latest_cache_schema_version()) +
                                "); it was written by a newer winglet and is left untouched "
                                "(use --cache PATH for another file, or --no-cache)");
    return version;
}

void migrate_cache_schema(const sqlite::Db& db) {
    const int latest = latest_cache_schema_version();
    if (checked_cache_schema_version(db) == latest) return;  // the common case takes no write lock
    sqlite::Transaction tx(db);
    const int current = checked_cache_schema_version(db);
    for (const Migration& m : kMigrations)
        if (m.version > current) db.exec(m.sql);
    db.exec("PRAGMA user_version = " + std::to_string(latest));
    tx.commit();
}

}  // namespace winglet
