#include "checks.hpp"

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

namespace winglet::prune {
namespace {

[[noreturn]] void reject(const char* fn, const std::string& what) {
    throw std::invalid_argument(std::string(fn) + ": " + what);
}

}  // namespace

void require_fraction(const char* fn, const char* name, double value) {
    if (value >= 0.0 && value < 1.0) return;
    std::ostringstream what;
    what << name << ' ' << value << " is outside [0, 1)";
    reject(fn, what.str());
}

int64_t element_count(const char* fn, const std::vector<int64_t>& dims) {
    int64_t n = 1;
    for (size_t d = 0; d < dims.size(); ++d) {
        if (dims[d] < 0) reject(fn, "dims[" + std::to_string(d) + "] = " + std::to_string(dims[d]) + " is negative");
        if (dims[d] != 0 && n > std::numeric_limits<int64_t>::max() / dims[d])
            reject(fn, "the element count of the dims overflows int64");
        n *= dims[d];
    }
    return n;
}

int normalized_axis(const char* fn, int axis, size_t rank) {
    const int r = static_cast<int>(rank);
    if (axis < -r || axis >= r) {
        reject(fn, "axis " + std::to_string(axis) + " is out of range for a rank-" + std::to_string(r) +
                       " tensor (expected " + std::to_string(-r) + ".." + std::to_string(r - 1) + ")");
    }
    return axis < 0 ? axis + r : axis;
}

void require_finite(const char* fn, const float* w, int64_t n) {
    if (n > 0 && w == nullptr) reject(fn, "weights pointer is null for " + std::to_string(n) + " elements");
    for (int64_t i = 0; i < n; ++i) {
        if (!std::isfinite(w[i])) {
            std::ostringstream what;
            what << "weight at flat index " << i << " is not finite (" << w[i] << ")";
            reject(fn, what.str());
        }
    }
}

AxisView view_around(const std::vector<int64_t>& dims, int axis) {
    AxisView v;
    for (int d = 0; d < static_cast<int>(dims.size()); ++d) {
        if (d < axis) v.outer *= dims[d];
        else if (d == axis) v.extent = dims[d];
        else v.inner *= dims[d];
    }
    return v;
}

uint64_t share_of(double fraction, uint64_t count) {
    return static_cast<uint64_t>(std::llround(fraction * static_cast<double>(count)));
}

}  // namespace winglet::prune
