// The cache's SQLite schema, versioned with PRAGMA user_version and an ordered list of migrations.
#pragma once

#include "cache/sqlite_handle.hpp"

namespace winglet {

// The newest schema version this build knows.
int latest_cache_schema_version();

// Throws CacheVersionError when the file's schema is newer than ours. Reads only.
int checked_cache_schema_version(const sqlite::Db& db);

// Applies the missing migrations in one IMMEDIATE transaction (another process may be doing the
// same; the version is re-read under the write lock, so each migration runs once).
void migrate_cache_schema(const sqlite::Db& db);

}  // namespace winglet
