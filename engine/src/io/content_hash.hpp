// Content hashes identify models in reports and, later, cache keys.
#pragma once

#include <cstdint>
#include <string>

namespace winglet {

// Incremental XXH3-128 over one or more byte ranges; hex() gives "xxh3-128:<32 hex digits>".
class ContentHasher {
public:
    ContentHasher();
    ~ContentHasher();
    ContentHasher(const ContentHasher&) = delete;
    ContentHasher& operator=(const ContentHasher&) = delete;
    void update(const void* data, uint64_t size);
    std::string hex() const;

private:
    void* state_;
};

}  // namespace winglet
