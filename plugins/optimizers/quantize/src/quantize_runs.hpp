// The inner loops: QuantizeLinear over a contiguous run of weights. Written so that the compiler
// vectorizes them (no calls, no aliasing, no branches).
#pragma once

#include <cfloat>
#include <cstdint>
#include <limits>

namespace winglet::quantize {

static_assert(std::numeric_limits<float>::is_iec559, "round_half_even needs IEEE-754 binary32");
static_assert(FLT_EVAL_METHOD == 0, "round_half_even needs float arithmetic done in float");

// Round half to even for |v| <= 2^22: adding 1.5 * 2^23 lands in [2^23, 2^24), where floats
// are exactly the integers, so the addition rounds v under the current (default: nearest-even)
// rounding mode, and the subtraction is exact. Equal to std::nearbyint on that range (a test
// checks), but it vectorizes: std::nearbyint is a libm call on baseline x86-64, which has no
// SSE4.1 roundps.
inline float round_half_even(float v) {
    constexpr float kShift = 12582912.0f;  // 1.5 * 2^23
    return (v + kShift) - kShift;
}

// ONNX: q = saturate(round(x / scale) + zp). Clamping x / scale to [qmin - zp, qmax - zp]
// before rounding gives the same code - rounding is monotone and the bounds are integers - and
// keeps v inside round_half_even's range and the int conversion defined. The division is kept:
// x * (1 / scale) differs from x / scale in the last bit often enough to flip ties.
inline void quantize_run(const float* __restrict x, int64_t n, float scale, int32_t zero_point,
                         int qmin, int qmax, int8_t* __restrict codes) {
    const float lo = static_cast<float>(qmin - zero_point);
    const float hi = static_cast<float>(qmax - zero_point);
    for (int64_t i = 0; i < n; ++i) {
        float v = x[i] / scale;
        v = v < lo ? lo : v;
        v = v > hi ? hi : v;
        codes[i] = static_cast<int8_t>(static_cast<int32_t>(round_half_even(v)) + zero_point);
    }
}

// The same with a scale and zero point per element (a row that crosses groups). Symmetric:
// every zero point is 0 and `zero_points` is not read (may be null).
template <bool kSymmetric>
void quantize_run_varying(const float* __restrict x, int64_t n, const float* __restrict scales,
                          const int8_t* __restrict zero_points, int qmin, int qmax, int8_t* __restrict codes) {
    for (int64_t i = 0; i < n; ++i) {
        const int32_t zp = kSymmetric ? 0 : zero_points[i];
        const float lo = static_cast<float>(qmin - zp);
        const float hi = static_cast<float>(qmax - zp);
        float v = x[i] / scales[i];
        v = v < lo ? lo : v;
        v = v > hi ? hi : v;
        codes[i] = static_cast<int8_t>(static_cast<int32_t>(round_half_even(v)) + zp);
    }
}

}  // namespace winglet::quantize
