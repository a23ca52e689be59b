// The --dim and --input override passes: fix an ONNX model's input dims to the values the user gave.
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

// --input NAME=DIMS: gives the main graph's input NAME exactly these dims (any stored dims, also
// symbolic or 0, are replaced). Names that are not inputs are left to the host to report.
void apply_input_shapes(onnx::ModelProto& model, const std::map<std::string, std::vector<int64_t>>& shapes);

// A main-graph input dim stored as 0 is, in practice, a dynamic dim that some exporters write
// as 0 (a real zero-sized model input cannot be fed); it becomes unknown so that nothing
// downstream is costed as empty. Inputs in `given` (--input) are left alone. Returns one note per
// such dim ("input 'x' dim 0").
std::vector<std::string> unknown_zero_input_dims(onnx::ModelProto& model,
                                                 const std::map<std::string, std::vector<int64_t>>& given);

}  // namespace winglet::onnx_importer
