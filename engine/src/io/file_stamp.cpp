#include "io/file_stamp.hpp"

#include <sys/stat.h>

#include <chrono>
#include <tuple>

namespace winglet {

bool FileStamp::operator==(const FileStamp& o) const {
    return std::tie(path, exists, is_directory, device, inode, size, mtime_ns, ctime_ns) ==
           std::tie(o.path, o.exists, o.is_directory, o.device, o.inode, o.size, o.mtime_ns, o.ctime_ns);
}

FileStamp stamp_file(const std::filesystem::path& path) {
    FileStamp s;
    s.path = path.string();
    struct stat st {};
    if (::stat(s.path.c_str(), &st) != 0) return s;
    s.exists = true;
    s.is_directory = S_ISDIR(st.st_mode);
    s.device = static_cast<uint64_t>(st.st_dev);
    s.inode = static_cast<uint64_t>(st.st_ino);
    s.size = static_cast<uint64_t>(st.st_size);
    s.mtime_ns = int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec;
    s.ctime_ns = int64_t{st.st_ctim.tv_sec} * 1'000'000'000 + st.st_ctim.tv_nsec;
    return s;
}

bool is_settled(const FileStamp& stamp, int64_t stamped_at_ns) {
    if (!stamp.exists) return true;
    return stamp.mtime_ns <= stamped_at_ns - kStampSettleNs && stamp.ctime_ns <= stamped_at_ns - kStampSettleNs;
}

int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace winglet
