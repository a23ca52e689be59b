// Thin RAII wrappers over the SQLite C API: a connection, a prepared statement and an IMMEDIATE
// transaction. Only the cache's .cpp files include this (it pulls in sqlite3.h).
#pragma once

#include "cache/cache_error.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace winglet::sqlite {

// A failed SQLite call; code() is the extended result code.
class Error : public CacheError {
public:
    Error(int code, const std::string& message) : CacheError(message), code_(code) {}
    int code() const { return code_; }
    // The file is not a database or its pages are damaged: the cache must be rebuilt.
    bool is_corruption() const {
        const int primary = code_ & 0xff;
        return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
    }

private:
    int code_;
};

class Db {
public:
    // Opens (creating if missing) read-write; nothing is read from the file yet.
    static Db open(const std::filesystem::path& path);
    sqlite3* get() const { return db_.get(); }
    const std::filesystem::path& path() const { return path_; }
    // Runs one or more statements that return nothing of interest.
    void exec(const std::string& sql) const;
    // Throws Error for rc, with the connection's message and what was being done.
    [[noreturn]] void fail(int rc, std::string_view doing) const;

private:
    struct Closer {
        void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
    };
    std::unique_ptr<sqlite3, Closer> db_;
    std::filesystem::path path_;
};

// Bound values must outlive step(): they are bound without a copy (blobs may be megabytes).
class Stmt {
public:
    Stmt(const Db& db, std::string_view sql);
    Stmt& bind(int index, std::string_view text);
    Stmt& bind_blob(int index, std::string_view bytes);
    Stmt& bind(int index, int64_t value);
    // true: a row is ready; false: done.
    bool step();
    std::string text(int column) const;
    std::string blob(int column) const;
    int64_t int64(int column) const;

private:
    struct Finalizer {
        void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
    };
    const Db* db_;
    std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
};

// BEGIN IMMEDIATE takes the write lock up front (waiting up to the busy timeout), so a writer
// never fails half-way with SQLITE_BUSY_SNAPSHOT; rolled back unless commit() ran.
class Transaction {
public:
    explicit Transaction(const Db& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    const Db& db_;
    bool done_ = false;
};

// The single value of a one-row query such as "PRAGMA user_version".
int64_t query_int(const Db& db, std::string_view sql);

}  // namespace winglet::sqlite
