#include "cache/sqlite_handle.hpp"

namespace winglet::sqlite {

Db Db::open(const std::filesystem::path& path) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    Db db;
    db.db_.reset(raw);  // closed even when opening failed
    db.path_ = path;
    if (rc != SQLITE_OK) db.fail(rc, "cannot open");
    sqlite3_extended_result_codes(raw, 1);
    return db;
}

void Db::exec(const std::string& sql) const {
    const int rc = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(rc, sql);
}

void Db::fail(int rc, std::string_view doing) const {
    const char* detail = db_ ? sqlite3_errmsg(db_.get()) : sqlite3_errstr(rc);
    throw Error(rc, "cache " + path_.string() + ": " + std::string(doing) + ": " + detail);
}

Stmt::Stmt(const Db& db, std::string_view sql) : db_(&db) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v2(db.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    stmt_.reset(raw);
    if (rc != SQLITE_OK) db.fail(rc, sql);
}

Stmt& Stmt::bind(int index, std::string_view text) {
    const int rc = sqlite3_bind_text64(stmt_.get(), index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
    if (rc != SQLITE_OK) db_->fail(rc, "bind");
    return *this;
}

Stmt& Stmt::bind_blob(int index, std::string_view bytes) {
    // A null pointer would bind SQL NULL, not an empty blob.
    const char* data = bytes.empty() ? "" : bytes.data();
    const int rc = sqlite3_bind_blob64(stmt_.get(), index, data, bytes.size(), SQLITE_STATIC);
    if (rc != SQLITE_OK) db_->fail(rc, "bind");
    return *this;
}

Stmt& Stmt::bind(int index, int64_t value) {
    const int rc = sqlite3_bind_int64(stmt_.get(), index, value);
    if (rc != SQLITE_OK) db_->fail(rc, "bind");
    return *this;
}

bool Stmt::step() {
    const int rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_->fail(rc, sqlite3_sql(stmt_.get()));
}

std::string Stmt::text(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), column));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), column))) : std::string();
}

std::string Stmt::blob(int column) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_.get(), column));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), column))) : std::string();
}

int64_t Stmt::int64(int column) const { return sqlite3_column_int64(stmt_.get(), column); }

Transaction::Transaction(const Db& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
    if (!done_) sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);  // best effort
}

void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

int64_t query_int(const Db& db, std::string_view sql) {
    Stmt s(db, sql);
    if (!s.step()) db.fail(SQLITE_ERROR, std::string(sql) + " returned no row");
    return s.int64(0);
}

}  // namespace winglet::sqlite
