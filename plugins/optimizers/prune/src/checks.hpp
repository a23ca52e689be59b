// Argument checks and the tensor view shared by the pruning functions. Each check throws
// std::invalid_argument prefixed with the calling function's name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace winglet::prune {

// A row-major tensor as [outer, extent, inner] around one axis: element (o, a, i) sits at
// flat index (o * extent + a) * inner + i.
struct AxisView {
    int64_t outer = 1, extent = 1, inner = 1;
};

// "<fn>: sparsity 1.5 is outside [0, 1)" unless 0 <= value < 1 (NaN fails too).
void require_fraction(const char* fn, const char* name, double value);
// The element count of dims; rejects negative dims and int64 overflow.
int64_t element_count(const char* fn, const std::vector<int64_t>& dims);
// axis in [-rank, rank) -> [0, rank).
int normalized_axis(const char* fn, int axis, size_t rank);
// Rejects a null w with n > 0 and names the first non-finite weight.
void require_finite(const char* fn, const float* w, int64_t n);

AxisView view_around(const std::vector<int64_t>& dims, int axis);

// llround(fraction * count): how many of `count` items a fraction selects.
uint64_t share_of(double fraction, uint64_t count);

}  // namespace winglet::prune
