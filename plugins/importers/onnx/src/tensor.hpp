// Turning an onnx::TensorProto into bytes the engine can hold: borrowed from the mapped model file
// (self-referenced payloads left by slim_model_bytes), borrowed from a mapped external-data file,
// or converted from ONNX's typed fields into dense little-endian bytes (copied by the host).
#pragma once

#include "onnx/onnx_pb.h"

#include <winglet/plugin.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace winglet::onnx_importer {

// Storage bits of one element of an ONNX data type (4 for int4/uint4); 0 for STRING, UNDEFINED
// and codes this importer does not know.
uint32_t dtype_bits(int32_t onnx_type);
// Whether the ABI knows this data type code.
bool dtype_known(int32_t onnx_type);
const char* dtype_label(int32_t onnx_type);

// Bytes of `elements` elements of `onnx_type`, rounding 4-bit packings up; false on overflow.
bool dtype_byte_size(int32_t onnx_type, uint64_t elements, uint64_t& bytes);

// Validates tensor dims (no negative value, element count fits in 64 bits) and returns the
// element count. Throws sdk::Error(WG_ERR_FORMAT) naming `what` otherwise.
uint64_t checked_element_count(const google::protobuf::RepeatedField<int64_t>& dims,
                               const std::string& what);

// A tensor's bytes as handed to the host.
struct TensorBytes {
    int32_t dtype = 0;
    std::vector<int64_t> dims;
    uint64_t elements = 0;
    const void* data = nullptr;
    uint64_t size = 0;
    wg_data_mode mode = WG_DATA_COPY;
    std::vector<uint8_t> owned;  // backing store of COPY data converted from typed fields
    enum class Source { Empty, SelfRef, External, Raw, Typed, String } source = Source::Empty;
};

// Maps external-data files beside the model (through the host, which confines the paths) and
// caches the mapping per location for the duration of one import.
class ExternalFiles {
public:
    using Mapper = std::function<std::pair<const uint8_t*, uint64_t>(const std::string&)>;
    explicit ExternalFiles(Mapper mapper) : mapper_(std::move(mapper)) {}
    std::pair<const uint8_t*, uint64_t> get(const std::string& location);

private:
    Mapper mapper_;
    std::unordered_map<std::string, std::pair<const uint8_t*, uint64_t>> cache_;
};

struct TensorSourceContext {
    const uint8_t* model_data = nullptr;  // the mapped model file (request.data)
    uint64_t model_size = 0;
    ExternalFiles* external = nullptr;
};

// Thrown for a tensor whose data type the ABI cannot carry (the caller warns and skips it).
struct UnsupportedTensor : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Resolves the bytes of `t`. `what` names the tensor in messages ("initializer 'w'").
// Throws sdk::Error(WG_ERR_FORMAT) for malformed tensors, UnsupportedTensor for unknown dtypes;
// host errors from map_related_file propagate unchanged.
TensorBytes resolve_tensor(const onnx::TensorProto& t, const TensorSourceContext& ctx,
                           const std::string& what);

}  // namespace winglet::onnx_importer
