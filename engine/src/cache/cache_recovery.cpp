#include "cache/cache_recovery.hpp"

#include "cache/cache_error.hpp"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace winglet {
namespace {

std::string utc_stamp() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
    return buf;
}

fs::path with_suffix(const fs::path& p, const std::string& suffix) { return fs::path(p.string() + suffix); }

}  // namespace

std::optional<FileId> file_id(const fs::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return FileId{st.st_dev, st.st_ino};
}

RecoveryLock::RecoveryLock(const fs::path& db) {
    const fs::path lock = with_suffix(db, ".lock");
    fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw CacheError("cannot create " + lock.string() + ": " + std::strerror(errno));
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        const int err = errno;
        ::close(fd_);
        throw CacheError("cannot lock " + lock.string() + ": " + std::strerror(err));
    }
}

RecoveryLock::~RecoveryLock() { ::close(fd_); }  // closing releases the flock

fs::path move_aside(const fs::path& db) {
    const std::string base = db.string() + ".corrupt-" + utc_stamp();
    fs::path aside = base;
    for (int n = 2; fs::exists(aside); ++n) aside = base + "-" + std::to_string(n);
    std::error_code ec;
    fs::rename(db, aside, ec);
    if (ec) throw CacheError("cannot move damaged cache " + db.string() + " aside: " + ec.message());
    // SQLite would replay a leftover WAL or hot journal into the fresh file; they go with it.
    for (const char* side : {"-wal", "-shm", "-journal"})
        if (fs::exists(with_suffix(db, side), ec)) fs::rename(with_suffix(db, side), with_suffix(aside, side), ec);
    return aside;
}

}  // namespace winglet
