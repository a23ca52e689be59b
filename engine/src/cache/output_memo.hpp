// Remembers what a command printed and wrote, keyed by its request and valid only while every
// file it read keeps its stamp. A repeated command then costs a few stat() calls and one SQLite
// lookup instead of an import; the content-keyed plan cache stays the second line of defence
// (a touched but unchanged model misses here and still skips the target). Same design as
// ccache's direct mode over its preprocessor mode.
#pragma once

#include "cache/result_cache.hpp"
#include "io/file_stamp.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace winglet {

struct CommandOutputs {
    std::string stdout_text;
    std::optional<std::string> file_bytes;  // what went to --output, when asked for
    std::vector<std::string> warnings;      // logged at warn level during the run; replayed
};

// Bumped when the stored record's layout changes.
constexpr uint32_t kOutputMemoFormatVersion = 1;
constexpr const char* kOutputMemoKind = "compile-output";

class OutputMemo {
public:
    // `subject` names what the request is about (the model path, for `cache stats`); `request` is
    // the canonical text of everything besides file contents that shapes the outputs.
    OutputMemo(ResultCache& cache, std::string subject, std::string request);

    // The outputs, when remembered and none of the files they came from changed.
    std::optional<CommandOutputs> recall();
    // Stamps `inputs` and stores. Skipped (nothing stored) when an input changed too recently
    // to trust its stamp; a later run stores it.
    void remember(const std::vector<std::filesystem::path>& inputs, const CommandOutputs& outputs);

private:
    CacheKey key() const;
    ResultCache& cache_;
    std::string subject_, request_;
};

// The stored record: the inputs' stamps, then the outputs. Exposed for tests.
std::string encode_memo_record(const std::vector<FileStamp>& stamps, const CommandOutputs& outputs);
// Throws std::runtime_error on a malformed record.
std::pair<std::vector<FileStamp>, CommandOutputs> decode_memo_record(std::string_view record);

}  // namespace winglet
