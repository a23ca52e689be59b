// Arithmetic on shapes whose dims may be known, symbolic ("batch") or anonymous-unknown, shared by
// every family of shape rules.
#pragma once

#include "graph/graph.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace winglet::shapes {

// A shape fact that cannot hold (2 vs 3 where they must agree, an axis out of range). Rules throw
// it with a plain message; the driver rethrows it as InputError naming the node.
struct ShapeError : std::runtime_error { using std::runtime_error::runtime_error; };

inline Dim unknown_dim() { return Dim{}; }

// Provably the same size: equal known values, or the same symbol.
bool same_dim(const Dim& a, const Dim& b);
// Provably different sizes: both known and unequal.
bool different_dims(const Dim& a, const Dim& b);
std::string dim_to_string(const Dim& d);

// The dim two facts about one size agree on (the more informative one); throws ShapeError when
// they provably differ. `what` names the size in the message ("inner dimension").
Dim unify_dims(const Dim& a, const Dim& b, const std::string& what);
// The dim two alternatives have in common (If branches, loop iterations): kept when provably the
// same, unknown otherwise. Never throws.
Dim join_dims(const Dim& a, const Dim& b);
std::optional<Shape> join_shapes(const std::optional<Shape>& a, const std::optional<Shape>& b);

// Numpy multidirectional broadcasting. A known 1 yields to the other side; equal symbols broadcast
// with each other; a known n > 1 against an unknown is n (the unknown must be 1 or n). Throws
// ShapeError for two known dims that differ with neither being 1.
Dim broadcast_dim(const Dim& a, const Dim& b);
Shape broadcast_shapes(const Shape& a, const Shape& b);

// Product of dims [begin, end): known when all are (or one is 0); a single symbolic dim among
// known 1s keeps its symbol; unknown otherwise. Throws ShapeError on int64 overflow.
Dim dims_product(const Shape& shape, size_t begin, size_t end);

// Overflow-checked arithmetic for dim sizes; throws ShapeError.
int64_t checked_add(int64_t a, int64_t b);
int64_t checked_sub(int64_t a, int64_t b);
int64_t checked_mul(int64_t a, int64_t b);
// A size computed in floating point (Resize scales) as int64; throws ShapeError when it is not
// a representable non-negative size.
int64_t size_from_double(double size);
// Floor and ceiling division for b > 0 (C++ '/' truncates towards zero).
int64_t floor_div(int64_t a, int64_t b);
int64_t ceil_div(int64_t a, int64_t b);

// ONNX axis in [-rank, rank) to [0, rank); throws ShapeError when out of range.
size_t normalize_axis(int64_t axis, size_t rank);
// Several axes, each normalized; throws on duplicates.
std::vector<size_t> normalize_axes(const std::vector<int64_t>& axes, size_t rank);

// One element of a small tensor whose contents the shape pass evaluates (the output of Shape, a
// Reshape target, a Resize scale, an If condition): a known integer (possibly negative, e.g. -1;
// booleans are 0/1), a symbolic dim, a known floating-point number, or unknown. A tensor's
// elements are all integers or all reals, as its dtype says.
struct Element {
    std::optional<int64_t> value;
    std::string symbol;          // name of the symbolic dim when value is unknown; may be ""
    std::optional<double> real;  // floating-point tensors

    static Element of(int64_t v) { return Element{v, {}, std::nullopt}; }
    static Element of_real(double v) { return Element{std::nullopt, {}, v}; }
    static Element from_dim(const Dim& d);
    bool known() const { return value.has_value() || real.has_value(); }
    // The dim this element denotes as a size: known when it is a non-negative integer.
    Dim to_dim() const;
};
using Elements = std::vector<Element>;

// The integers when every element is known.
std::optional<std::vector<int64_t>> known_ints(const Elements& values);

// The dims of a shape when all are known.
std::optional<std::vector<int64_t>> known_dims(const Shape& shape);
// Row-major strides of fully known dims.
std::vector<int64_t> row_major_strides(const std::vector<int64_t>& dims);

// One axis of a Slice after ONNX's clamping rules: the first index taken and how many are taken.
struct SliceRange {
    int64_t first = 0;
    int64_t count = 0;
};
// Throws ShapeError for step 0.
SliceRange slice_range(int64_t dim, int64_t start, int64_t end, int64_t step);

}  // namespace winglet::shapes
