// A cheap identity of a file's state (what stat() says), to tell "unchanged since then" without
// reading the file; the same idea as ccache's direct mode and git's index.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace winglet {

struct FileStamp {
    std::string path;
    bool exists = false;
    bool is_directory = false;
    uint64_t device = 0, inode = 0, size = 0;
    int64_t mtime_ns = 0, ctime_ns = 0;  // ctime catches tools that restore mtime (cp -p, rsync -t)

    bool operator==(const FileStamp& o) const;
    bool operator!=(const FileStamp& o) const { return !(*this == o); }
};

// Follows symlinks, so re-pointing a link changes the stamp. A missing path is a valid stamp
// (exists = false): a file that appears later changes it.
FileStamp stamp_file(const std::filesystem::path& path);

// A file changed again within its file system's timestamp granularity after being stamped would
// keep its stamp; so a stamp is trusted only when the file was last touched at least this long
// before the stamp was taken (ccache's "file too new" rule, with FAT's 2 s granularity).
constexpr int64_t kStampSettleNs = int64_t{2'000'000'000};
bool is_settled(const FileStamp& stamp, int64_t stamped_at_ns);

int64_t now_ns();

}  // namespace winglet
