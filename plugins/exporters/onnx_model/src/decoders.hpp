// The stored form and the decode nodes of each encoding (README.md, "How each encoding is stored
// and decoded"). Each function adds to `g` the initializers and nodes that compute `out`, a
// float32 tensor of e.dims equal to e.decoded; fields narrower than a byte go through `packed`.
#pragma once

#include "decode_graph.hpp"
#include "edits.hpp"
#include "packing.hpp"

#include <string>

namespace winglet::onnx_model {

// (code - zero point) * scale.
void decode_linear(const TensorEdit& e, const std::string& out, DecodeGraph& g, PackedFields& packed);

// tables[group(c) * 2^bits + index].
void decode_lut(const TensorEdit& e, const std::string& out, DecodeGraph& g, PackedFields& packed);

// A pruned (DENSE with a sparsity pattern) tensor stored sparse: the non-zero values and a 1-bit
// mask per element, or, for channel pruning, the kept channels and a 1-bit mask per channel.
bool has_sparse_form(const TensorEdit& e);
constexpr int64_t kSparseOpset = 11;  // CumSum
void decode_sparse(const TensorEdit& e, const std::string& out, DecodeGraph& g, PackedFields& packed);
// Bytes of the sparse form's payload (values or kept channels, and the mask), for messages.
uint64_t sparse_payload_bytes(const TensorEdit& e);

}  // namespace winglet::onnx_model
