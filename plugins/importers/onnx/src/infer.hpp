// libonnx's shape inference, guarded: whether to run it, and what becomes of its answer. The --dim
// overrides that precede it are in dim_overrides.hpp.
#pragma once

#include "onnx/onnx_pb.h"

#include <functional>
#include <string>

namespace winglet::onnx_importer {

using WarnFn = std::function<void(const std::string&)>;

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
