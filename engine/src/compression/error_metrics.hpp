// How far compressed weights are from the originals, measured by the engine from the values
// themselves (never taken from a plugin's word).
#pragma once

#include <cstddef>

namespace winglet {

struct ErrorMetrics {
    double sqnr_db = 0;   // 10 log10(sum x^2 / sum (x - y)^2); +inf when exact
    double rel_l2 = 0;    // ||x - y|| / ||x||
    double cosine = 1;    // x.y / (||x|| ||y||); 1 when both are zero
    double max_abs = 0;   // max |x - y|
    double mse = 0;
};

ErrorMetrics measure_error(const float* original, const float* decoded, size_t n);

}  // namespace winglet
