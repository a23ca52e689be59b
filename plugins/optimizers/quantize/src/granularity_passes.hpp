// The parallel passes for each granularity. Each fills codes, scales and zero points of a
// tensor whose metadata and buffers are already set up, and returns false when it met a
// non-finite weight (the caller then locates it and throws; the buffers are garbage).
#pragma once

#include "axis_view.hpp"
#include "linear_quant.hpp"

namespace winglet::quantize {

bool quantize_per_tensor(const float* w, QuantizedTensor& t);
bool quantize_per_channel(const float* w, const AxisView& view, QuantizedTensor& t);
bool quantize_per_block(const float* w, const AxisView& view, QuantizedTensor& t);

}  // namespace winglet::quantize
