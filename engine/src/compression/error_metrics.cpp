#include "compression/error_metrics.hpp"

#include <cmath>
#include <limits>

namespace winglet {

ErrorMetrics measure_error(const float* x, const float* y, size_t n) {
    // Double sums of float products: relative error ~n * 2^-53, far below what is reported, and
    // fast (long double runs on the x87 unit at a fraction of the speed).
    double signal = 0, noise = 0, dot = 0, yy = 0;
    double max_abs = 0;
    for (size_t i = 0; i < n; ++i) {
        const double a = x[i], b = y[i], d = a - b;
        signal += a * a;
        noise += d * d;
        dot += a * b;
        yy += b * b;
        max_abs = std::max(max_abs, static_cast<double>(std::fabs(d)));
    }
    ErrorMetrics m;
    m.max_abs = max_abs;
    m.mse = n ? static_cast<double>(noise / n) : 0.0;
    m.sqnr_db = noise == 0 ? std::numeric_limits<double>::infinity()
                : signal == 0 ? -std::numeric_limits<double>::infinity()
                              : static_cast<double>(10 * std::log10(signal / noise));
    m.rel_l2 = signal == 0 ? (noise == 0 ? 0.0 : std::numeric_limits<double>::infinity())
                           : static_cast<double>(std::sqrt(noise / signal));
    m.cosine = signal == 0 && yy == 0 ? 1.0 : signal == 0 || yy == 0 ? 0.0 : static_cast<double>(dot / std::sqrt(signal * yy));
    return m;
}

}  // namespace winglet
