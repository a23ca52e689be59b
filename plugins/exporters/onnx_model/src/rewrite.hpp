// Writes a compressed ONNX model: the source model with every edited weight stored in its
// compressed form and decoded back by standard ONNX operators (see README.md for the layouts).
#pragma once

#include <winglet/plugin.h>

#include <string>
#include <vector>

namespace winglet::onnx_model {

// Name of the metadata entry that keeps the source model's producer ("<name> <version>").
inline constexpr const char* kSourceProducerKey = "winglet.source_producer";

// The serialized model. Throws sdk::Error: WG_ERR_UNSUPPORTED (not an ONNX source, external data,
// an opset below 7, a weight that is not a float type, a model past protobuf's 2 GiB),
// WG_ERR_FORMAT (the source does not parse), WG_ERR_INVALID_ARGUMENT (an edit that names nothing
// or does not match its tensor), WG_ERR_INTERNAL (the result fails the ONNX checker).
// `warnings` (if given) receives what the user should know about the file, e.g. a pruned tensor
// written dense because the model's opset cannot decode the sparse form.
std::string write_compressed_model(const wg_model_edit& edit, const std::string& plugin_version,
                                   std::vector<std::string>* warnings = nullptr);

}  // namespace winglet::onnx_model
