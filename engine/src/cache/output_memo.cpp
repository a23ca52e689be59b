#include "cache/output_memo.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace winglet {
namespace {

// Little-endian, length-prefixed fields: outputs may be any bytes, so no text format.
class RecordWriter {
public:
    void u64(uint64_t v) {
        for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>(v >> (8 * i)));
    }
    void bytes(std::string_view s) {
        u64(s.size());
        out_.append(s.data(), s.size());
    }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

class RecordReader {
public:
    explicit RecordReader(std::string_view in) : in_(in) {}
    uint64_t u64() {
        need(8);
        uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v |= uint64_t{static_cast<unsigned char>(in_[pos_ + i])} << (8 * i);
        pos_ += 8;
        return v;
    }
    std::string bytes() {
        const uint64_t n = u64();
        need(n);
        std::string s(in_.substr(pos_, n));
        pos_ += n;
        return s;
    }
    // A count read from the record, bounded by what the rest of it could hold.
    uint64_t count(uint64_t min_bytes_each) {
        const uint64_t n = u64();
        if (n > (in_.size() - pos_) / min_bytes_each) throw std::runtime_error("memo record: count out of range");
        return n;
    }
    bool done() const { return pos_ == in_.size(); }

private:
    void need(uint64_t n) const {
        if (n > in_.size() - pos_) throw std::runtime_error("memo record: truncated");
    }
    std::string_view in_;
    size_t pos_ = 0;
};

constexpr uint64_t kStampFields = 8;

}  // namespace

std::string encode_memo_record(const std::vector<FileStamp>& stamps, const CommandOutputs& outputs) {
    RecordWriter w;
    w.u64(stamps.size());
    for (const FileStamp& s : stamps) {
        w.bytes(s.path);
        w.u64(s.exists);
        w.u64(s.is_directory);
        w.u64(s.device);
        w.u64(s.inode);
        w.u64(s.size);
        w.u64(static_cast<uint64_t>(s.mtime_ns));
        w.u64(static_cast<uint64_t>(s.ctime_ns));
    }
    w.bytes(outputs.stdout_text);
    w.u64(outputs.file_bytes.has_value());
    w.bytes(outputs.file_bytes.value_or(""));
    w.u64(outputs.warnings.size());
    for (const std::string& warning : outputs.warnings) w.bytes(warning);
    return w.take();
}

std::pair<std::vector<FileStamp>, CommandOutputs> decode_memo_record(std::string_view record) {
    RecordReader r(record);
    std::vector<FileStamp> stamps(r.count(kStampFields * 8));
    for (FileStamp& s : stamps) {
        s.path = r.bytes();
        s.exists = r.u64() != 0;
        s.is_directory = r.u64() != 0;
        s.device = r.u64();
        s.inode = r.u64();
        s.size = r.u64();
        s.mtime_ns = static_cast<int64_t>(r.u64());
        s.ctime_ns = static_cast<int64_t>(r.u64());
    }
    CommandOutputs outputs;
    outputs.stdout_text = r.bytes();
    const bool has_file = r.u64() != 0;
    std::string file = r.bytes();
    if (has_file) outputs.file_bytes = std::move(file);
    outputs.warnings.resize(r.count(8));
    for (std::string& warning : outputs.warnings) warning = r.bytes();
    if (!r.done()) throw std::runtime_error("memo record: trailing bytes");
    return {std::move(stamps), std::move(outputs)};
}

OutputMemo::OutputMemo(ResultCache& cache, std::string subject, std::string request)
    : cache_(cache), subject_(std::move(subject)), request_(std::move(request)) {}

CacheKey OutputMemo::key() const {
    CacheKey key;
    key.model_hash = subject_;
    key.producer = std::string("winglet ") + WINGLET_VERSION;
    key.options = request_;
    key.result_format_version = kOutputMemoFormatVersion;
    return key;
}

std::optional<CommandOutputs> OutputMemo::recall() {
    const std::optional<std::string> record = cache_.get(key());
    if (!record) return std::nullopt;
    try {
        auto [stamps, outputs] = decode_memo_record(*record);
        for (const FileStamp& then : stamps)
            if (stamp_file(then.path) != then) {
                spdlog::debug("cache {}: {} changed since the stored output; running again", cache_.path().string(),
                              then.path);
                return std::nullopt;
            }
        return std::move(outputs);
    } catch (const std::runtime_error& e) {
        spdlog::warn("cache {}: a stored output is unreadable ({}); running again", cache_.path().string(), e.what());
        return std::nullopt;
    }
}

void OutputMemo::remember(const std::vector<std::filesystem::path>& inputs, const CommandOutputs& outputs) {
    const int64_t stamped_at = now_ns();
    std::vector<FileStamp> stamps;
    stamps.reserve(inputs.size());
    for (const auto& path : inputs) {
        stamps.push_back(stamp_file(path));
        if (!is_settled(stamps.back(), stamped_at)) {
            spdlog::debug("cache: {} changed in the last seconds; its output is not remembered yet", path.string());
            return;
        }
    }
    cache_.put(key(), kOutputMemoKind, encode_memo_record(stamps, outputs));
}

}  // namespace winglet
