// See slim_model.hpp for the contract. Implementation notes:
//
// - The walk is a recursive descent over the wire format restricted to the
//   ONNX messages that can (transitively) contain TensorProtos. For every other
//   field only the tag and the length/fixed width are read, so the cost is
//   O(number of fields), independent of payload sizes.
// - Output is written into a single std::string. A rewritten sub-message gets a
//   placeholder for its length prefix sized for its INPUT length; after its
//   content is written the real length is encoded and, only if its varint
//   width differs, the content is shifted (erase/insert of a few bytes).
//   Messages that did not change keep their exact original length.
// - Runs of consecutive verbatim fields are appended with a single copy.
// - Field numbers follow /usr/include/onnx/onnx.proto (ONNX 1.12).

#include "slim_model.hpp"

#include <algorithm>
#include <cstring>

namespace winglet::onnx_importer {

WireFormatError::WireFormatError(uint64_t offset, const std::string& problem)
    : std::runtime_error("malformed protobuf at offset " + std::to_string(offset) + ": " + problem),
      offset_(offset) {}

bool parse_self_reference_value(std::string_view text, uint64_t& value) noexcept {
  if (text.empty() || text.size() > 20) return false;
  if (text.size() > 1 && text[0] == '0') return false;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  value = v;
  return true;
}

namespace {

enum class Kind : uint8_t {
  Model,
  TrainingInfo,
  Function,
  Graph,
  Node,
  Attribute,
  SparseTensor,
  Tensor,
};

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::Model: return "ModelProto";
    case Kind::TrainingInfo: return "TrainingInfoProto";
    case Kind::Function: return "FunctionProto";
    case Kind::Graph: return "GraphProto";
    case Kind::Node: return "NodeProto";
    case Kind::Attribute: return "AttributeProto";
    case Kind::SparseTensor: return "SparseTensorProto";
    case Kind::Tensor: return "TensorProto";
  }
  return "message";
}

// Is length-delimited field `field` of message `parent` a message we descend into?
bool child_kind(Kind parent, uint32_t field, Kind& child) {
  switch (parent) {
    case Kind::Model:
      if (field == 7) { child = Kind::Graph; return true; }          // graph
      if (field == 20) { child = Kind::TrainingInfo; return true; }  // training_info
      if (field == 25) { child = Kind::Function; return true; }      // functions
      return false;
    case Kind::TrainingInfo:
      if (field == 1 || field == 2) { child = Kind::Graph; return true; }  // initialization, algorithm
      return false;
    case Kind::Function:
      if (field == 7) { child = Kind::Node; return true; }  // node
      return false;
    case Kind::Graph:
      if (field == 1) { child = Kind::Node; return true; }           // node
      if (field == 5) { child = Kind::Tensor; return true; }         // initializer
      if (field == 15) { child = Kind::SparseTensor; return true; }  // sparse_initializer
      return false;
    case Kind::Node:
      if (field == 5) { child = Kind::Attribute; return true; }  // attribute
      return false;
    case Kind::Attribute:
      if (field == 5 || field == 10) { child = Kind::Tensor; return true; }        // t, tensors
      if (field == 6 || field == 11) { child = Kind::Graph; return true; }         // g, graphs
      if (field == 22 || field == 23) { child = Kind::SparseTensor; return true; }  // sparse_tensor(s)
      return false;
    case Kind::SparseTensor:
      if (field == 1 || field == 2) { child = Kind::Tensor; return true; }  // values, indices
      return false;
    case Kind::Tensor:
      return false;
  }
  return false;
}

// Wire types.
constexpr uint32_t kVarint = 0;
constexpr uint32_t kFixed64 = 1;
constexpr uint32_t kLen = 2;
constexpr uint32_t kStartGroup = 3;
constexpr uint32_t kEndGroup = 4;
constexpr uint32_t kFixed32 = 5;

// TensorProto field numbers / enum values.
constexpr uint32_t kTensorDataType = 2;
constexpr uint32_t kTensorFloatData = 4;
constexpr uint32_t kTensorRawData = 9;
constexpr uint32_t kTensorDoubleData = 10;
constexpr uint32_t kTensorExternalData = 13;
constexpr uint32_t kTensorDataLocation = 14;
constexpr int32_t kFloat = 1, kDouble = 11, kComplex64 = 14, kComplex128 = 15;
constexpr int32_t kLocationDefault = 0, kLocationExternal = 1;

size_t varint_size(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// Writes v into p (which must have room for varint_size(v) bytes).
void encode_varint(char* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>(static_cast<uint8_t>(v) | 0x80);
    v >>= 7;
  }
  *p = static_cast<char>(v);
}

void append_varint(std::string& out, uint64_t v) {
  char buf[10];
  size_t n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>(static_cast<uint8_t>(v) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out.append(buf, n);
}

// One parsed field. Offsets are absolute (from the start of the input buffer).
struct Field {
  uint64_t tag_offset = 0;      // first byte of the tag
  uint64_t value_offset = 0;    // first byte after the tag (length varint for LEN)
  uint64_t payload_offset = 0;  // LEN only: first payload byte
  uint64_t end = 0;             // one past the last byte of the field
  uint64_t value = 0;           // varint value (VARINT) / payload length (LEN)
  uint32_t number = 0;
  uint32_t wire_type = 0;
};

class Rewriter {
 public:
  Rewriter(const uint8_t* data, uint64_t size, const SlimOptions& options, SlimResult& result)
      : data_(data), size_(size), options_(options), result_(result), out_(result.bytes) {}

  void run() { rewrite_message(Kind::Model, 0, size_, 0); }

 private:
  [[noreturn]] void fail(uint64_t offset, const std::string& problem) const {
    throw WireFormatError(offset, problem);
  }

  // Describes the limit `end` of the message currently being read (for errors).
  std::string where(uint64_t end, const char* context) const {
    if (end == size_)
      return "the end of the buffer (size " + std::to_string(size_) + ")";
    return std::string("the end of the enclosing ") + context + " (which ends at offset " +
           std::to_string(end) + ")";
  }

  uint64_t read_varint(uint64_t& pos, uint64_t end, const char* what, const char* context) const {
    const uint64_t start = pos;
    uint64_t result = 0;
    for (unsigned i = 0; i < 10; ++i) {
      if (pos >= end)
        fail(start, std::string("truncated ") + what + " varint: runs past " + where(end, context));
      const uint8_t b = data_[pos++];
      result |= static_cast<uint64_t>(b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) return result;
    }
    fail(start, std::string(what) + " varint is longer than 10 bytes");
  }

  void check_depth(uint32_t depth, uint64_t offset, const char* what) const {
    if (depth > options_.max_depth)
      fail(offset, std::string("nesting deeper than max_depth (") +
                       std::to_string(options_.max_depth) + ") at " + what);
  }

  // Reads one field starting at `pos` inside a message/group ending at `end`.
  // `depth` is the depth of the message containing the field. Start-groups are
  // skipped entirely (the returned field spans the whole group). An end-group
  // tag is returned as such only when `group_number` != 0 (inside a group);
  // otherwise it is an error.
  Field read_field(uint64_t pos, uint64_t end, uint32_t depth, const char* context,
                   uint32_t group_number) const {
    Field f;
    f.tag_offset = pos;
    const uint64_t tag = read_varint(pos, end, "tag", context);
    if (tag > 0xFFFFFFFFull) fail(f.tag_offset, "tag " + std::to_string(tag) + " does not fit in 32 bits");
    f.number = static_cast<uint32_t>(tag >> 3);
    f.wire_type = static_cast<uint32_t>(tag & 7);
    if (f.number == 0) fail(f.tag_offset, std::string("field number 0 is invalid (in ") + context + ")");
    f.value_offset = pos;
    switch (f.wire_type) {
      case kVarint:
        f.value = read_varint(pos, end, "value", context);
        break;
      case kFixed64:
        if (end - pos < 8)
          fail(pos, "fixed64 value of field " + std::to_string(f.number) + " runs past " + where(end, context));
        pos += 8;
        break;
      case kFixed32:
        if (end - pos < 4)
          fail(pos, "fixed32 value of field " + std::to_string(f.number) + " runs past " + where(end, context));
        pos += 4;
        break;
      case kLen: {
        const uint64_t len = read_varint(pos, end, "length", context);
        if (len > end - pos)
          fail(f.value_offset, "length " + std::to_string(len) + " of field " + std::to_string(f.number) +
                                   " runs past " + where(end, context));
        f.value = len;
        f.payload_offset = pos;
        pos += len;
        break;
      }
      case kStartGroup:
        pos = skip_group(f.number, f.tag_offset, pos, end, depth + 1, context);
        break;
      case kEndGroup:
        if (group_number == 0)
          fail(f.tag_offset, "unexpected end-group tag (field " + std::to_string(f.number) + ") in " + context);
        break;
      default:
        fail(f.tag_offset, "invalid wire type " + std::to_string(f.wire_type) + " (field " +
                               std::to_string(f.number) + ") in " + context);
    }
    f.end = pos;
    return f;
  }

  // Skips the body of a group that started (tag at `start`) just before `pos`.
  // Returns the offset just past the matching end-group tag.
  uint64_t skip_group(uint32_t number, uint64_t start, uint64_t pos, uint64_t end, uint32_t depth,
                      const char* context) const {
    check_depth(depth, start, "group");
    while (pos < end) {
      const Field f = read_field(pos, end, depth, "group", number);
      if (f.wire_type == kEndGroup) {
        if (f.number != number)
          fail(f.tag_offset, "end-group tag for field " + std::to_string(f.number) +
                                 " does not match the group started for field " + std::to_string(number) +
                                 " at offset " + std::to_string(start));
        return f.end;
      }
      pos = f.end;
    }
    fail(start, "group of field " + std::to_string(number) + " is not terminated before " + where(end, context));
  }

  // Appends field `f` (tag and original tag bytes) followed by the rewritten
  // child message of kind `child`.
  void write_child(const Field& f, Kind child, uint32_t child_depth) {
    check_depth(child_depth, f.tag_offset, kind_name(child));
    out_.append(reinterpret_cast<const char*>(data_ + f.tag_offset), f.value_offset - f.tag_offset);
    const size_t len_pos = out_.size();
    const size_t reserved = varint_size(f.value);
    out_.append(reserved, '\0');
    const size_t content_start = out_.size();
    if (child == Kind::Tensor)
      rewrite_tensor(f.payload_offset, f.end, child_depth);
    else
      rewrite_message(child, f.payload_offset, f.end, child_depth);
    const uint64_t out_len = out_.size() - content_start;
    const size_t needed = varint_size(out_len);
    if (needed < reserved)
      out_.erase(len_pos + needed, reserved - needed);
    else if (needed > reserved)
      out_.insert(len_pos + reserved, needed - reserved, '\0');
    encode_varint(&out_[len_pos], out_len);
  }

  void append_input(uint64_t begin, uint64_t end) {
    if (end > begin) out_.append(reinterpret_cast<const char*>(data_ + begin), end - begin);
  }

  void rewrite_message(Kind kind, uint64_t begin, uint64_t end, uint32_t depth) {
    const char* context = kind_name(kind);
    uint64_t pos = begin;
    uint64_t run_start = begin;  // start of the pending run of verbatim fields
    while (pos < end) {
      const Field f = read_field(pos, end, depth, context, 0);
      Kind child;
      if (f.wire_type == kLen && child_kind(kind, f.number, child)) {
        append_input(run_start, f.tag_offset);
        write_child(f, child, depth + 1);
        run_start = f.end;
      }
      pos = f.end;
    }
    append_input(run_start, end);
  }

  void rewrite_tensor(uint64_t begin, uint64_t end, uint32_t depth) {
    const char* context = kind_name(Kind::Tensor);

    // Pass 1: scan. Mirrors protobuf semantics: last data_type wins; last
    // valid data_location wins (proto2 closed enum: unknown values go to the
    // unknown-field set); raw_data is optional bytes -> last occurrence wins;
    // float_data/double_data are repeated -> occurrences concatenate.
    int32_t data_type = 0;
    int32_t location = kLocationDefault;
    uint64_t raw_count = 0, raw_off = 0, raw_len = 0;
    uint64_t float_count = 0, float_off = 0, float_len = 0;
    bool float_packed = false;
    uint64_t double_count = 0, double_off = 0, double_len = 0;
    bool double_packed = false;

    uint64_t pos = begin;
    while (pos < end) {
      const Field f = read_field(pos, end, depth, context, 0);
      pos = f.end;
      switch (f.number) {
        case kTensorDataType:
          if (f.wire_type == kVarint) data_type = static_cast<int32_t>(static_cast<uint32_t>(f.value));
          break;
        case kTensorDataLocation:
          if (f.wire_type == kVarint) {
            const int32_t v = static_cast<int32_t>(static_cast<uint32_t>(f.value));
            if (v == kLocationDefault || v == kLocationExternal) location = v;
          }
          break;
        case kTensorRawData:
          if (f.wire_type == kLen) {
            ++raw_count;
            raw_off = f.payload_offset;
            raw_len = f.value;
          }
          break;
        case kTensorFloatData:
          if (f.wire_type == kLen || f.wire_type == kFixed32) {
            ++float_count;
            float_packed = f.wire_type == kLen;
            float_off = f.payload_offset;
            float_len = f.value;
          }
          break;
        case kTensorDoubleData:
          if (f.wire_type == kLen || f.wire_type == kFixed64) {
            ++double_count;
            double_packed = f.wire_type == kLen;
            double_off = f.payload_offset;
            double_len = f.value;
          }
          break;
        default:
          break;
      }
    }

    // Decide.
    const uint64_t min_bytes = options_.min_externalized_bytes;
    uint32_t payload_field = 0;
    uint64_t payload_off = 0, payload_len = 0;
    if (location != kLocationExternal) {
      if (raw_count > 0) {
        if (raw_len >= min_bytes) {
          payload_field = kTensorRawData;
          payload_off = raw_off;
          payload_len = raw_len;
        }
      } else if ((data_type == kFloat || data_type == kComplex64) && float_count == 1 && float_packed &&
                 float_len % 4 == 0 && float_len >= min_bytes) {
        payload_field = kTensorFloatData;
        payload_off = float_off;
        payload_len = float_len;
      } else if ((data_type == kDouble || data_type == kComplex128) && double_count == 1 && double_packed &&
                 double_len % 8 == 0 && double_len >= min_bytes) {
        payload_field = kTensorDoubleData;
        payload_off = double_off;
        payload_len = double_len;
      }
    }
    if (payload_field == 0) {
      append_input(begin, end);
      return;
    }

    // Pass 2: copy every field except the payload field (all its LEN
    // occurrences), data_location and external_data; then append ours.
    pos = begin;
    uint64_t run_start = begin;
    while (pos < end) {
      const Field f = read_field(pos, end, depth, context, 0);
      // A data_location whose value is not a valid DataLocation lives in
      // protobuf's unknown-field set; it is kept like any unknown field.
      const int32_t location_value = static_cast<int32_t>(static_cast<uint32_t>(f.value));
      const bool valid_location = f.number == kTensorDataLocation && f.wire_type == kVarint &&
                                  (location_value == kLocationDefault || location_value == kLocationExternal);
      const bool drop = (f.number == payload_field && f.wire_type == kLen) || valid_location ||
                        (f.number == kTensorExternalData && f.wire_type == kLen);
      if (drop) {
        append_input(run_start, f.tag_offset);
        run_start = f.end;
      }
      pos = f.end;
    }
    append_input(run_start, end);

    out_.push_back(static_cast<char>((kTensorDataLocation << 3) | kVarint));
    out_.push_back(static_cast<char>(kLocationExternal));
    append_entry(kSelfOffsetKey, payload_off);
    append_entry(kSelfLengthKey, payload_len);

    ++result_.externalized_tensors;
    result_.externalized_bytes += payload_len;
  }

  // external_data entry: StringStringEntryProto { 1: key, 2: value }.
  void append_entry(const char* key, uint64_t value) {
    const std::string v = std::to_string(value);
    const size_t key_len = std::strlen(key);
    const uint64_t entry_len = 1 + varint_size(key_len) + key_len + 1 + varint_size(v.size()) + v.size();
    out_.push_back(static_cast<char>((kTensorExternalData << 3) | kLen));
    append_varint(out_, entry_len);
    out_.push_back(static_cast<char>((1 << 3) | kLen));
    append_varint(out_, key_len);
    out_.append(key, key_len);
    out_.push_back(static_cast<char>((2 << 3) | kLen));
    append_varint(out_, v.size());
    out_.append(v);
  }

  const uint8_t* data_;
  uint64_t size_;
  SlimOptions options_;
  SlimResult& result_;
  std::string& out_;
};

}  // namespace

SlimResult slim_model_bytes(const uint8_t* data, uint64_t size, const SlimOptions& options) {
  SlimResult result;
  if (size == 0) return result;
  if (data == nullptr) throw std::invalid_argument("slim_model_bytes: null data with non-zero size");
  // The slim copy is roughly the size of the graph structure; start with a
  // modest buffer and let it grow geometrically rather than reserving `size`.
  result.bytes.reserve(static_cast<size_t>(std::min<uint64_t>(size, uint64_t{1} << 20)));
  Rewriter(data, size, options, result).run();
  return result;
}

}  // namespace winglet::onnx_importer
