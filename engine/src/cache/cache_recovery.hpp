// Moving a damaged cache file out of the way, safely when several processes find it at once.
#pragma once

#include <filesystem>
#include <optional>
#include <sys/types.h>

namespace winglet {

// Identity of the file behind a path, to tell "still the bad file" from "already replaced".
struct FileId {
    dev_t device;
    ino_t inode;
    bool operator==(const FileId& o) const { return device == o.device && inode == o.inode; }
};
std::optional<FileId> file_id(const std::filesystem::path& path);

// An exclusive flock on "<db>.lock", held while one process moves the bad file aside.
class RecoveryLock {
public:
    explicit RecoveryLock(const std::filesystem::path& db);
    ~RecoveryLock();
    RecoveryLock(const RecoveryLock&) = delete;
    RecoveryLock& operator=(const RecoveryLock&) = delete;

private:
    int fd_ = -1;
};

// Renames db (and its -wal, -shm, -journal) to "<db>.corrupt-<UTC timestamp>[-N]..." and returns
// the new name of the main file. The old files are kept for a bug report, never deleted.
std::filesystem::path move_aside(const std::filesystem::path& db);

}  // namespace winglet
