// What identifies a cached result: everything the result depends on, and nothing else.
#pragma once

#include <cstdint>
#include <string>

namespace winglet {

struct CacheKey {
    std::string model_hash;          // content hash of the model file(s)
    std::string producer;            // plugin id + version, e.g. "spec-target 1.0.0"
    std::string device_fingerprint;  // content hash of the device spec
    std::string options;             // canonical options / recipe text
    uint32_t result_format_version = 0;  // bumped when the stored blob's layout changes
};

// "xxh3-128:<32 hex>" over all parts, each length-prefixed so ("ab","c") and ("a","bc") differ.
std::string cache_key_digest(const CacheKey& key);

}  // namespace winglet
