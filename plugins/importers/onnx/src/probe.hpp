// Recognizing an ONNX ModelProto from the first bytes of a file.
#pragma once

#include <cstdint>

namespace winglet::onnx_importer {

// Confidence 0..100 that `head` starts a serialized onnx.ModelProto: walks the protobuf fields
// the head holds and checks them against ModelProto's field numbers and wire types. A leading
// ir_version (field 1, tag 0x08) with a plausible value, as every common exporter writes, gives 90.
int32_t probe_onnx(const uint8_t* head, uint64_t size);

}  // namespace winglet::onnx_importer
