// How a group's (scale, zero point) follows from its range.
#pragma once

#include "linear_quant.hpp"

namespace winglet::quantize {

struct GroupParams {
    float scale = 1.0f;
    int32_t zero_point = 0;
};

// lo <= 0 <= hi, both finite.
//   symmetric:  scale = max(-lo, hi) / qmax in fp32, zero point 0.
//   asymmetric: scale = (hi - lo) / (qmax - qmin), evaluated in double and rounded once to
//               fp32 (hi - lo can exceed FLT_MAX); zero point = saturate(round_half_even(
//               qmin - lo / scale)) with lo / scale in fp32, as ONNX DynamicQuantizeLinear.
// A group of zeros gets scale 1 and zero point 0. A scale that underflows to 0 (max|x| below
// ~64 * 2^-149) becomes the smallest subnormal, so x / scale stays finite and within a few
// units of the code range, where saturation takes over.
GroupParams choose_params(float lo, float hi, CodeRange codes, bool symmetric);

}  // namespace winglet::quantize
