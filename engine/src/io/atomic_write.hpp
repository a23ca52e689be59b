// Writing a file so that readers see the old content or the new, never a torn one.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string_view>

namespace winglet {

// Calls `write` on a stream to a temporary file beside `path`, then renames it into place, so a
// failed write never leaves a truncated file and never clobbers a previous good one. Throws
// OutputError when the file cannot be written; exceptions from `write` propagate (no file left).
void write_file_atomically(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write);
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace winglet
