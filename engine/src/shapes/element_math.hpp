// Arithmetic on single elements of evaluated small tensors, as ONNX Runtime computes it: integer
// ops wrap-free (an overflow makes the element unknown, never a wrong number), integer Div
// truncates, Mod follows the divisor's sign unless fmod, comparisons give 0/1. Symbolic dims
// survive the identities x*1, x+0, x-0, x/1 and min/max(x, x); x*0, x-x and x == x are known.
#pragma once

#include "core/dtype.hpp"
#include "shapes/dims.hpp"

#include <string_view>

namespace winglet::shapes {

enum class BinaryOp { Add, Sub, Mul, Div, Mod, FMod, Pow, Min, Max, Equal, Less, LessOrEqual, Greater, GreaterOrEqual, And, Or, Xor };
enum class UnaryOp { Neg, Abs, Sign, Not, Floor, Ceil, Round, Sqrt, Reciprocal, Exp, Log, Relu };

// nullopt when `op_type` is not an elementwise op this evaluator knows.
std::optional<BinaryOp> binary_op(std::string_view op_type);
std::optional<UnaryOp> unary_op(std::string_view op_type);

Element apply(BinaryOp op, const Element& a, const Element& b);
Element apply(UnaryOp op, const Element& a);

// Cast to `to`: integers wrap to the target width (as a C++ static_cast does), floats truncate
// towards zero into integers (unknown when out of range or NaN), float32 results are rounded to
// float32. Symbols survive integer-to-integer casts.
Element cast_element(const Element& e, DType to);

// Whether an element counts as true (If conditions, Where, Not): non-zero; nullopt if unknown.
std::optional<bool> truth(const Element& e);

}  // namespace winglet::shapes
