// Errors of the result cache. Callers that can run without a cache turn them into a warning.
#pragma once

#include <stdexcept>
#include <string>

namespace winglet {

// The cache cannot be used (I/O, permissions, locked too long, unexpected contents).
struct CacheError : std::runtime_error { using std::runtime_error::runtime_error; };

// The file was written by a newer winglet (schema version above the ones we know). We never
// touch such a file: migrating down or "repairing" it would destroy the newer engine's results.
struct CacheVersionError : CacheError { using CacheError::CacheError; };

}  // namespace winglet
