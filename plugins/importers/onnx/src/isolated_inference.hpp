// Running libonnx's shape inference isolated from the engine: in a forked child with a timeout,
// whose answer (the inferred types) comes back over a pipe and is applied to the parent's model.
#pragma once

#include "onnx/onnx_pb.h"

#include <string>

namespace winglet::onnx_importer {

// How a run of libonnx ended: kOk; kThrew (InferShapes threw, `message` says what; the types
// inferred until then are in the payload); kSkipped (the graph was not given to libonnx,
// `message` says why).
enum : char { kOk = 'O', kThrew = 'E', kSkipped = 'S' };

struct ChildOutcome {
    bool finished = false;  // the child reported; otherwise `failure` says what happened
    char status = kOk;
    std::string message, payload, failure;
};

// Sorts `model`'s nodes for libonnx and runs InferShapes (data propagation on, node-level errors
// non-fatal) in a forked child killed after `timeout_seconds`. In process, on a copy, when
// WINGLET_ONNX_INFER_IN_PROCESS is set (and not "0") or no child can be started. `model` itself
// is left as it is: apply the payload with apply_payload.
ChildOutcome infer_isolated(onnx::ModelProto& model, int timeout_seconds);

// Puts the inferred types into the parent's model. False if the payload does not fit it.
bool apply_payload(onnx::ModelProto& model, const std::string& payload);

}  // namespace winglet::onnx_importer
