#include "shapes/dims.hpp"

#include <algorithm>
#include <limits>

namespace winglet::shapes {

bool same_dim(const Dim& a, const Dim& b) {
    if (a.known() || b.known()) return a.known() && b.known() && a.value == b.value;
    return !a.symbol.empty() && a.symbol == b.symbol;
}

bool different_dims(const Dim& a, const Dim& b) {
    return a.known() && b.known() && a.value != b.value;
}

std::string dim_to_string(const Dim& d) {
    if (d.known()) return std::to_string(d.value);
    return d.symbol.empty() ? "?" : d.symbol;
}

Dim unify_dims(const Dim& a, const Dim& b, const std::string& what) {
    if (different_dims(a, b))
        throw ShapeError(what + " differs: " + dim_to_string(a) + " vs " + dim_to_string(b));
    if (a.known()) return a;
    if (b.known()) return b;
    return a.symbol.empty() ? b : a;
}

Dim join_dims(const Dim& a, const Dim& b) {
    return same_dim(a, b) ? a : unknown_dim();
}

std::optional<Shape> join_shapes(const std::optional<Shape>& a, const std::optional<Shape>& b) {
    if (!a || !b || a->size() != b->size()) return std::nullopt;
    Shape joined(a->size());
    for (size_t i = 0; i < a->size(); ++i) joined[i] = join_dims((*a)[i], (*b)[i]);
    return joined;
}

Dim broadcast_dim(const Dim& a, const Dim& b) {
    if (a.known() && a.value == 1) return b;
    if (b.known() && b.value == 1) return a;
    if (a.known() && b.known()) {
        if (a.value != b.value)
            throw ShapeError("cannot broadcast dims " + dim_to_string(a) + " and " + dim_to_string(b));
        return a;
    }
    if (a.known()) return a;
    if (b.known()) return b;
    // Two symbols: equal ones are one size; different ones may be 1, so nothing is known.
    return same_dim(a, b) ? a : unknown_dim();
}

Shape broadcast_shapes(const Shape& a, const Shape& b) {
    const Shape& longer = a.size() >= b.size() ? a : b;
    const Shape& shorter = a.size() >= b.size() ? b : a;
    const size_t offset = longer.size() - shorter.size();
    Shape out(longer.begin(), longer.begin() + static_cast<std::ptrdiff_t>(offset));
    try {
        for (size_t i = 0; i < shorter.size(); ++i)
            out.push_back(broadcast_dim(longer[offset + i], shorter[i]));
    } catch (const ShapeError&) {
        throw ShapeError("cannot broadcast " + shape_to_string(a) + " with " + shape_to_string(b));
    }
    return out;
}

Dim dims_product(const Shape& shape, size_t begin, size_t end) {
    int64_t known_product = 1;
    const Dim* only_unknown = nullptr;
    size_t unknown_count = 0;
    for (size_t i = begin; i < end; ++i) {
        const Dim& d = shape[i];
        if (d.known()) {
            if (d.value == 0) return Dim::of(0);
            known_product = checked_mul(known_product, d.value);
        } else {
            only_unknown = &d;
            ++unknown_count;
        }
    }
    if (unknown_count == 0) return Dim::of(known_product);
    if (unknown_count == 1 && known_product == 1) return *only_unknown;
    return unknown_dim();
}

int64_t checked_add(int64_t a, int64_t b) {
    int64_t r = 0;
    if (__builtin_add_overflow(a, b, &r)) throw ShapeError("a dimension overflows int64");
    return r;
}

int64_t checked_sub(int64_t a, int64_t b) {
    int64_t r = 0;
    if (__builtin_sub_overflow(a, b, &r)) throw ShapeError("a dimension overflows int64");
    return r;
}

int64_t size_from_double(double size) {
    // 2^63 is exactly representable; anything at or above it (or NaN) is not an int64.
    if (!(size >= 0 && size < 9223372036854775808.0)) throw ShapeError("size " + std::to_string(size) + " is not a valid dimension");
    return static_cast<int64_t>(size);
}

int64_t checked_mul(int64_t a, int64_t b) {
    int64_t r = 0;
    if (__builtin_mul_overflow(a, b, &r)) throw ShapeError("a dimension overflows int64");
    return r;
}

int64_t floor_div(int64_t a, int64_t b) {
    const int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

int64_t ceil_div(int64_t a, int64_t b) {
    const int64_t q = a / b;
    return (a % b != 0 && a > 0) ? q + 1 : q;
}

size_t normalize_axis(int64_t axis, size_t rank) {
    const auto r = static_cast<int64_t>(rank);
    if (axis < -r || axis >= r)
        throw ShapeError("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
    return static_cast<size_t>(axis < 0 ? axis + r : axis);
}

std::vector<size_t> normalize_axes(const std::vector<int64_t>& axes, size_t rank) {
    std::vector<size_t> out;
    out.reserve(axes.size());
    for (int64_t a : axes) {
        const size_t axis = normalize_axis(a, rank);
        if (std::find(out.begin(), out.end(), axis) != out.end())
            throw ShapeError("axis " + std::to_string(a) + " is given twice");
        out.push_back(axis);
    }
    return out;
}

Element Element::from_dim(const Dim& d) {
    if (d.known()) return of(d.value);
    return Element{std::nullopt, d.symbol, std::nullopt};
}

Dim Element::to_dim() const {
    if (value) return *value >= 0 ? Dim::of(*value) : unknown_dim();
    return symbol.empty() ? unknown_dim() : Dim::named(symbol);
}

std::optional<std::vector<int64_t>> known_ints(const Elements& values) {
    std::vector<int64_t> out;
    out.reserve(values.size());
    for (const Element& v : values) {
        if (!v.value) return std::nullopt;
        out.push_back(*v.value);
    }
    return out;
}

std::optional<std::vector<int64_t>> known_dims(const Shape& shape) {
    std::vector<int64_t> dims;
    dims.reserve(shape.size());
    for (const Dim& d : shape) {
        if (!d.known()) return std::nullopt;
        dims.push_back(d.value);
    }
    return dims;
}

std::vector<int64_t> row_major_strides(const std::vector<int64_t>& dims) {
    std::vector<int64_t> strides(dims.size(), 1);
    for (size_t i = dims.size(); i-- > 1;) strides[i - 1] = strides[i] * dims[i];
    return strides;
}

SliceRange slice_range(int64_t dim, int64_t start, int64_t end, int64_t step) {
    if (step == 0) throw ShapeError("a slice step is 0");
    if (dim <= 0) return SliceRange{};
    // Adding dim to a negative index cannot overflow; INT64_MAX/INT64_MIN mean "to the end".
    if (start < 0) start += dim;
    if (end < 0) end += dim;
    SliceRange r;
    if (step > 0) {
        start = std::clamp<int64_t>(start, 0, dim);
        end = std::clamp<int64_t>(end, 0, dim);
        r.count = end > start ? ceil_div(end - start, step) : 0;
    } else {
        start = std::clamp<int64_t>(start, 0, dim - 1);
        end = std::clamp<int64_t>(end, -1, dim - 1);
        const int64_t stride = step == std::numeric_limits<int64_t>::min() ? std::numeric_limits<int64_t>::max() : -step;
        r.count = start > end ? ceil_div(start - end, stride) : 0;
    }
    r.first = start;
    return r;
}

}  // namespace winglet::shapes
