// A row-major tensor seen as [outer, extent, inner] around one axis: element (o, a, i) sits at
// flat index (o * extent + a) * inner + i. Every granularity is a grouping of this view.
#pragma once

#include <cstdint>
#include <vector>

namespace winglet::quantize {

struct AxisView {
    int64_t outer = 1;   // product of the dims before the axis
    int64_t extent = 1;  // dims[axis]
    int64_t inner = 1;   // product of the dims after the axis
};

// `axis` must already be in [0, dims.size()).
inline AxisView view_around(const std::vector<int64_t>& dims, int axis) {
    AxisView v;
    for (int d = 0; d < static_cast<int>(dims.size()); ++d) {
        if (d < axis) v.outer *= dims[d];
        else if (d == axis) v.extent = dims[d];
        else v.inner *= dims[d];
    }
    return v;
}

// a, b >= 0, b > 0; no a + b - 1 that could overflow for a huge block_size.
inline int64_t ceil_div(int64_t a, int64_t b) { return a / b + (a % b != 0); }

}  // namespace winglet::quantize
