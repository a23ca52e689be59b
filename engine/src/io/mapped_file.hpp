// A read-only memory map of a whole file; weights borrowed from a model point into it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

namespace winglet {

class MappedFile {
public:
    // Throws InputError naming the file when it cannot be opened or mapped, or is not a regular file.
    static std::shared_ptr<const MappedFile> open(const std::filesystem::path& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const uint8_t* data() const { return data_; }
    uint64_t size() const { return size_; }
    const std::filesystem::path& path() const { return path_; }
    bool contains(const void* p, uint64_t n) const;

private:
    MappedFile() = default;
    std::filesystem::path path_;
    const uint8_t* data_ = nullptr;
    uint64_t size_ = 0;
};

}  // namespace winglet
