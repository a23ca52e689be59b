// The steps between parsing and conversion: --dim overrides and libonnx's shape inference.
#pragma once

#include "onnx/onnx_pb.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace winglet::onnx_importer {

using WarnFn = std::function<void(const std::string&)>;

// Replaces every symbolic dim named like an override by its value, in the inputs, outputs and
// value_info of the main graph and of every subgraph. Returns the override names that matched
// no dim in the model.
std::vector<std::string> apply_dim_overrides(onnx::ModelProto& model,
                                             const std::map<std::string, int64_t>& overrides);

struct InferenceResult {
    bool ran = false;        // libonnx inference was attempted
    bool completed = false;  // ... and returned without throwing
    std::string skipped_because;  // why it was not attempted
    double seconds = 0;
};

// Runs onnx::shape_inference::InferShapes (data propagation on, node-level errors non-fatal) and
// puts the inferred types into `model`'s value_info. Not attempted when the model is newer than
// libonnx knows (IR version, or the opset of a domain libonnx knows) or a node reads a value
// nothing defines. Nodes are handed to libonnx in topological order. libonnx runs in a forked
// child process, so a crash inside it (1.12 has inference functions that crash on malformed
// attributes) costs only the inferred shapes; WINGLET_ONNX_INFER_IN_PROCESS=1 runs it in process.
// Every reason not to run, and any failure, is reported through `warn`; the engine's own shape
// rules fill what stays unknown. Symbolic dims are kept (libonnx propagates dim_param).
InferenceResult infer_shapes_guarded(onnx::ModelProto& model, const WarnFn& warn);

}  // namespace winglet::onnx_importer
