// The --dim override pass: fixes symbolic dims of an ONNX model to the values the user gave.
#pragma once

#include "onnx/onnx_pb.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace winglet::onnx_importer {

// Replaces every symbolic dim named like an override by its value, in the inputs, outputs and
// value_info of the main graph and of every subgraph. Returns the override names that matched
// no dim in the model.
std::vector<std::string> apply_dim_overrides(onnx::ModelProto& model,
                                             const std::map<std::string, int64_t>& overrides);

}  // namespace winglet::onnx_importer
