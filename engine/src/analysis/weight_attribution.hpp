// Parameters and weight bytes per op. Each weight (initializer or Constant-node tensor,
// including ones a subgraph reads from an enclosing graph) is attributed to the first op that
// reads it in execution order, so a shared weight counts once and the ops sum to the totals.
//   params:       elements of numeric weights. int32, int64, bool and string tensors are shape,
//                 index and mask data, not parameters (so the int32 bias of a QLinearConv is
//                 left out too: C_out elements, negligible). BatchNormalization's running mean
//                 and variance are statistics, not learned parameters (PyTorch's "buffers"), so
//                 the count matches published figures (torchvision ResNet-50: 25,557,032).
//   weight_bytes: storage of every weight, index data included: it is part of the model's size.
// A weight no op reads is counted nowhere.
#pragma once

#include "analysis/op_walk.hpp"
#include "core/dtype.hpp"

#include <vector>

namespace winglet::analysis {

bool is_parameter_dtype(DType dtype);

// Fills report.params and report.weight_bytes of `ops` (in execution order).
void attribute_weights(std::vector<ScheduledOp>& ops);

}  // namespace winglet::analysis
