// Zero-copy core of winglet's ONNX importer: a protobuf wire-format rewriter.
//
// slim_model_bytes() takes the serialized bytes of an onnx.ModelProto (typically
// an mmap'd .onnx file) and returns a SLIM copy in which every large tensor
// payload is replaced by a reference to where those bytes lie in the ORIGINAL
// buffer. Parsing the slim copy with protobuf (ParseFromArray) then only
// parses the graph structure; the weights are never copied or even read.
//
// Self-reference convention (ONNX's own external-data mechanism is reused).
// An externalized TensorProto has, in the slim copy:
//   - no raw_data / float_data / double_data (whichever held the payload),
//   - data_location = EXTERNAL (1),
//   - exactly two external_data entries:
//       { key: kSelfOffsetKey, value: decimal offset of the payload's first
//                                     byte, counted from `data` (the start of
//                                     the buffer given to slim_model_bytes) }
//       { key: kSelfLengthKey, value: decimal length of the payload in bytes }
//     (use parse_self_reference_value() to read them back strictly).
// The referenced bytes are exactly what raw_data would have held: fixed-width
// little-endian elements as defined by the tensor's data_type (a packed
// float_data / double_data payload is byte-identical to raw_data).
//
// Which tensors are externalized: every TensorProto reachable through the
// schema walk below whose payload is at least SlimOptions::min_externalized_bytes
// long and which is not already data_location = EXTERNAL:
//   - raw_data (field 9) present -> its (last) occurrence is the payload;
//   - else data_type FLOAT/COMPLEX64 and float_data (field 4) is exactly one
//     packed run whose length is a multiple of 4 -> that run is the payload;
//   - else data_type DOUBLE/COMPLEX128 and double_data (field 10) is exactly
//     one packed run whose length is a multiple of 8 -> that run is the payload.
// Any pre-existing data_location / external_data fields of an externalized
// tensor are dropped (they are replaced by the ones above). All other fields of
// every message are copied byte for byte, in their original order, including
// unknown fields; only the length prefixes of enclosing messages are rewritten.
//
// Messages walked (everything else is copied verbatim, without descending):
//   ModelProto        7 graph, 20 training_info, 25 functions
//   TrainingInfoProto 1 initialization, 2 algorithm (GraphProto)
//   FunctionProto     7 node
//   GraphProto        1 node, 5 initializer, 15 sparse_initializer
//   NodeProto         5 attribute
//   AttributeProto    5 t, 6 g, 10 tensors, 11 graphs, 22 sparse_tensor,
//                     23 sparse_tensors
//   SparseTensorProto 1 values, 2 indices (TensorProto)
// so initializers, Constant-node tensors, tensors inside If/Loop/Scan
// subgraphs, functions, training graphs and sparse tensors' values/indices are
// all externalized the same way.
//
// Cost: O(number of fields of the walked messages). Payload bytes are skipped,
// never read; pages of an mmap'd file holding only weights are not touched.
//
// Hostile input: every varint, length and fixed field is bounds-checked. Any
// framing error (truncated varint/field, varint longer than 10 bytes, tag that
// does not fit in 32 bits, field number 0, wire type 6/7, unexpected or
// mismatched end-group, unterminated group, length running past the end of the
// enclosing message, nesting deeper than max_depth) throws WireFormatError
// naming the problem and the byte offset (from `data`) where it was found.
// Groups (wire types 3/4) in fields that are copied verbatim are accepted and
// skipped, as protobuf itself accepts them as unknown fields. The rewriter does
// not validate the content of fields it copies verbatim (protobuf will, when the
// slim copy is parsed).

#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace winglet::onnx_importer {

class WireFormatError : public std::runtime_error {
 public:
  // what() = "malformed protobuf at offset <offset>: <problem>"
  WireFormatError(uint64_t offset, const std::string& problem);
  uint64_t offset() const noexcept { return offset_; }

 private:
  uint64_t offset_;
};

struct SlimOptions {
  // Payloads shorter than this stay inline in the slim copy.
  uint64_t min_externalized_bytes = 1024;
  // Maximum message nesting (the ModelProto is depth 0, its graph depth 1, a
  // node depth 2, an attribute depth 3, an attribute's subgraph depth 4, ...;
  // groups inside verbatim fields count too). Recursion depth of the rewriter
  // is bounded by this value.
  uint32_t max_depth = 64;
};

struct SlimResult {
  std::string bytes;                  // serialized slim ModelProto
  uint64_t externalized_tensors = 0;  // number of tensors turned into self-references
  uint64_t externalized_bytes = 0;    // sum of their payload lengths
};

inline constexpr const char* kSelfOffsetKey = "winglet.self.offset";
inline constexpr const char* kSelfLengthKey = "winglet.self.length";

// Throws WireFormatError on malformed input (see above), std::invalid_argument
// if data is null while size > 0. Input up to any size (offsets are 64-bit).
SlimResult slim_model_bytes(const uint8_t* data, uint64_t size, const SlimOptions& options = {});

// Strict parser for the values written under kSelfOffsetKey / kSelfLengthKey:
// a canonical decimal (no sign, no leading zeros except "0", no spaces) that
// fits in uint64_t. Returns false otherwise. Callers must still check
// offset + length <= size of the original buffer (without overflow).
bool parse_self_reference_value(std::string_view text, uint64_t& value) noexcept;

}  // namespace winglet::onnx_importer
