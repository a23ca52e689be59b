#include "io/mapped_file.hpp"

#include "core/errors.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace winglet {

std::shared_ptr<const MappedFile> MappedFile::open(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw InputError("cannot open '" + path.string() + "': " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw InputError("'" + path.string() + "' is not a regular file");
    }
    std::shared_ptr<MappedFile> file(new MappedFile());
    file->path_ = path;
    file->size_ = static_cast<uint64_t>(st.st_size);
    if (file->size_ > 0) {
        void* p = ::mmap(nullptr, file->size_, PROT_READ, MAP_PRIVATE, fd, 0);
        const int map_errno = errno;
        ::close(fd);
        if (p == MAP_FAILED)
            throw InputError("cannot map '" + path.string() + "': " + std::strerror(map_errno));
        file->data_ = static_cast<const uint8_t*>(p);
    } else {
        ::close(fd);
    }
    return file;
}

MappedFile::~MappedFile() {
    if (data_) ::munmap(const_cast<uint8_t*>(data_), size_);
}

bool MappedFile::contains(const void* p, uint64_t n) const {
    const auto* b = static_cast<const uint8_t*>(p);
    if (!data_ || b < data_) return n == 0 && b == data_;
    const auto offset = static_cast<uint64_t>(b - data_);
    return offset <= size_ && n <= size_ - offset;
}

}  // namespace winglet
