#include "io/content_hash.hpp"

#include <xxhash.h>

#include <cstdio>
#include <new>

namespace winglet {

ContentHasher::ContentHasher() : state_(XXH3_createState()) {
    if (!state_) throw std::bad_alloc();
    XXH3_128bits_reset(static_cast<XXH3_state_t*>(state_));
}

ContentHasher::~ContentHasher() { XXH3_freeState(static_cast<XXH3_state_t*>(state_)); }

void ContentHasher::update(const void* data, uint64_t size) {
    if (size) XXH3_128bits_update(static_cast<XXH3_state_t*>(state_), data, size);
}

std::string ContentHasher::hex() const {
    const XXH128_hash_t h = XXH3_128bits_digest(static_cast<XXH3_state_t*>(state_));
    char buf[33];
    std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                  static_cast<unsigned long long>(h.low64));
    return std::string("xxh3-128:") + buf;
}

}  // namespace winglet
