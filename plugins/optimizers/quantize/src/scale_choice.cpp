#include "scale_choice.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace winglet::quantize {

GroupParams choose_params(float lo, float hi, CodeRange codes, bool symmetric) {
    if (lo == 0.0f && hi == 0.0f) return {1.0f, 0};
    GroupParams p;
    if (symmetric) {
        p.scale = std::max(-lo, hi) / static_cast<float>(codes.hi);
    } else {
        const double span = static_cast<double>(hi) - static_cast<double>(lo);
        p.scale = static_cast<float>(span / static_cast<double>(codes.hi - codes.lo));
    }
    if (p.scale == 0.0f) p.scale = std::numeric_limits<float>::denorm_min();
    if (!symmetric) {
        const float ideal = static_cast<float>(codes.lo) - lo / p.scale;
        const float rounded = std::nearbyint(ideal);
        p.zero_point = static_cast<int32_t>(
            std::clamp(rounded, static_cast<float>(codes.lo), static_cast<float>(codes.hi)));
    }
    return p;
}

}  // namespace winglet::quantize
