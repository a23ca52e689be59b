#include "cache/cache_key.hpp"

#include "io/content_hash.hpp"

#include <array>

namespace winglet {
namespace {

// Fixed little-endian encoding, so digests are the same on every host.
void feed_u64(ContentHasher& h, uint64_t v) {
    std::array<unsigned char, 8> bytes{};
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<unsigned char>(v >> (8 * i));
    h.update(bytes.data(), bytes.size());
}

void feed_field(ContentHasher& h, const std::string& s) {
    feed_u64(h, s.size());
    h.update(s.data(), s.size());
}

}  // namespace

std::string cache_key_digest(const CacheKey& key) {
    ContentHasher h;
    // A domain tag: a future key layout gets new digests instead of colliding with these.
    feed_field(h, "winglet-cache-key/1");
    feed_field(h, key.model_hash);
    feed_field(h, key.producer);
    feed_field(h, key.device_fingerprint);
    feed_field(h, key.options);
    feed_u64(h, key.result_format_version);
    return h.hex();
}

}  // namespace winglet
