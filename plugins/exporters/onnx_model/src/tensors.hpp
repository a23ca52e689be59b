// Small helpers that build ONNX tensors, nodes and value infos, and convert float32 values to the
// float types a weight may have been stored in.
#pragma once

#include "onnx/onnx_pb.h"

#include <cstdint>
#include <string>
#include <vector>

namespace winglet::onnx_model {

// IEEE binary16 / bfloat16 bits of `f`, rounded to nearest, ties to even (as ONNX Cast does).
uint16_t float_to_half(float f);
uint16_t float_to_bfloat16(float f);

// Element count of `dims`; throws sdk::Error(WG_ERR_INVALID_ARGUMENT) for a negative dim or an
// overflow. `what` names the tensor in the message.
uint64_t element_count(const std::vector<int64_t>& dims, const std::string& what);

// A tensor whose payload is `bytes` little-endian bytes in raw_data.
onnx::TensorProto make_tensor(const std::string& name, int32_t dtype, const std::vector<int64_t>& dims,
                              const void* data, size_t bytes);

// Replaces the payload of `t` (keeping its name, dims, dtype and doc_string) by `values`
// converted to t's dtype (FLOAT, FLOAT16, BFLOAT16 or DOUBLE), stored in raw_data.
void replace_float_payload(onnx::TensorProto& t, const float* values, uint64_t count);

onnx::NodeProto make_node(const std::string& op_type, const std::vector<std::string>& inputs,
                          const std::vector<std::string>& outputs, const std::string& name);
void add_int_attribute(onnx::NodeProto& node, const std::string& name, int64_t value);

// name: dtype[dims], for graph.input entries of IR < 4 models.
onnx::ValueInfoProto make_value_info(const std::string& name, int32_t dtype, const std::vector<int64_t>& dims);

std::vector<int64_t> tensor_dims(const onnx::TensorProto& t);
const char* dtype_name(int32_t dtype);
// Bytes of one element of a float dtype (FLOAT, FLOAT16, BFLOAT16, DOUBLE); 0 for others.
unsigned dtype_size(int32_t dtype);
std::string dims_text(const std::vector<int64_t>& dims);

}  // namespace winglet::onnx_model
