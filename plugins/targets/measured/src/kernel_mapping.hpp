// Which ops of the model each runtime kernel ran. A runtime rewrites the graph before it runs it:
// it fuses ops into one kernel (Conv+BatchNormalization+Relu, MatMul+Add), folds constant
// subgraphs at load, removes no-ops and inserts layout conversions (ONNX Runtime's NCHWc
// ReorderInput/ReorderOutput), renaming as it goes. This maps the kernels a profile timed back to
// the model's ops so that every op says where its time went: measured (it anchors a kernel, whose
// time it carries), fused into a named kernel, folded at load, or not observed. Never silently 0.
#pragma once

#include "runner_protocol.hpp"

#include <set>
#include <string>
#include <vector>

namespace winglet::measured {

// An op of the model, as the host's graph view gives it (execution order).
struct ModelOp {
    std::string name, op_type;
    std::vector<std::string> inputs;   // value names; "" for an absent optional input
    std::vector<std::string> outputs;
    double macs = 0;
    bool runs = true;   // false inside an If branch that is not taken (multiplier 0): it never runs
};

// Kernels come as the runner reports them (runner_protocol.hpp): the node of the optimized graph
// the runtime ran (name, op type, value names) and its timing over the profiled runs. A kernel
// inside a control-flow kernel must already have its time taken out of its parent's.
enum class OpSource { Measured, Fused, Folded, NotObserved };

struct OpMeasurement {
    OpSource source = OpSource::NotObserved;
    int kernel = -1;            // the kernel that ran it (Measured: its main kernel; Fused: the host kernel)
    std::vector<int> kernels;   // Measured: every kernel charged to it (main + layout conversions)
    double latency_us = 0, min_us = 0, max_us = 0, start_us = 0;   // Measured only
};

struct Mapping {
    std::vector<OpMeasurement> ops;   // one per ModelOp
    // Kernels no op could be charged with (their time is not in any op); normally empty.
    std::vector<int> unattributed;
};

// `constants`: names of values that are weights (initializers, Constant outputs) — an op reading
// only constants and folded values is folded. The time of every attributed kernel lands on exactly
// one op, so the ops' latencies sum to the attributed kernels' time.
Mapping map_kernels(const std::vector<ModelOp>& ops, const std::set<std::string>& constants,
                    const std::vector<Kernel>& kernels);

}  // namespace winglet::measured
