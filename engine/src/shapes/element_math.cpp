#include "shapes/element_math.hpp"

#include <cmath>
#include <limits>
#include <unordered_map>

namespace winglet::shapes {
namespace {

constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

Element boolean(bool b) { return Element::of(b ? 1 : 0); }

template <typename T>
Element compare(BinaryOp op, T a, T b) {
    switch (op) {
        case BinaryOp::Equal: return boolean(a == b);
        case BinaryOp::Less: return boolean(a < b);
        case BinaryOp::LessOrEqual: return boolean(a <= b);
        case BinaryOp::Greater: return boolean(a > b);
        default: return boolean(a >= b);
    }
}

std::optional<int64_t> int_power(int64_t base, int64_t exponent) {
    if (exponent < 0) return base == 1 ? std::optional<int64_t>(1) : std::nullopt;
    int64_t result = 1;
    for (int64_t i = 0; i < exponent; ++i) {
        if (__builtin_mul_overflow(result, base, &result)) return std::nullopt;
        if (result == 0 || result == 1) break;   // stays so; bounds the loop for huge exponents
    }
    return result;
}

Element int_binary(BinaryOp op, int64_t a, int64_t b) {
    int64_t r = 0;
    switch (op) {
        case BinaryOp::Add: return __builtin_add_overflow(a, b, &r) ? Element{} : Element::of(r);
        case BinaryOp::Sub: return __builtin_sub_overflow(a, b, &r) ? Element{} : Element::of(r);
        case BinaryOp::Mul: return __builtin_mul_overflow(a, b, &r) ? Element{} : Element::of(r);
        case BinaryOp::Div:
            if (b == 0 || (a == kInt64Min && b == -1)) return Element{};
            return Element::of(a / b);   // truncates, as ONNX Runtime's integer Div does
        case BinaryOp::Mod:
        case BinaryOp::FMod:
            if (b == 0 || (a == kInt64Min && b == -1)) return Element{};
            r = a % b;
            // Mod without fmod takes the divisor's sign (Python's %); fmod the dividend's.
            if (op == BinaryOp::Mod && r != 0 && ((r < 0) != (b < 0))) r += b;
            return Element::of(r);
        case BinaryOp::Pow: {
            const auto p = int_power(a, b);
            return p ? Element::of(*p) : Element{};
        }
        case BinaryOp::Min: return Element::of(std::min(a, b));
        case BinaryOp::Max: return Element::of(std::max(a, b));
        case BinaryOp::And: return boolean(a != 0 && b != 0);
        case BinaryOp::Or: return boolean(a != 0 || b != 0);
        case BinaryOp::Xor: return boolean((a != 0) != (b != 0));
        default: return compare(op, a, b);
    }
}

Element real_binary(BinaryOp op, double a, double b) {
    switch (op) {
        case BinaryOp::Add: return Element::of_real(a + b);
        case BinaryOp::Sub: return Element::of_real(a - b);
        case BinaryOp::Mul: return Element::of_real(a * b);
        case BinaryOp::Div: return Element::of_real(a / b);
        case BinaryOp::Mod:   // Mod of floats needs fmod = 1; without it the model is invalid
        case BinaryOp::FMod: return Element::of_real(std::fmod(a, b));
        case BinaryOp::Pow: return Element::of_real(std::pow(a, b));
        case BinaryOp::Min: return Element::of_real(std::fmin(a, b));
        case BinaryOp::Max: return Element::of_real(std::fmax(a, b));
        case BinaryOp::And: return boolean(a != 0 && b != 0);
        case BinaryOp::Or: return boolean(a != 0 || b != 0);
        case BinaryOp::Xor: return boolean((a != 0) != (b != 0));
        default: return compare(op, a, b);
    }
}

// Identities that keep a symbolic dim or know the result anyway: x*1, 1*x, x*0, x+0, 0+x, x-0,
// x-x, x/1, min/max(x, x), x == x.
Element symbolic_binary(BinaryOp op, const Element& a, const Element& b) {
    const bool same_symbol = !a.value && !b.value && !a.symbol.empty() && a.symbol == b.symbol;
    switch (op) {
        case BinaryOp::Mul:
            if (b.value == 1) return a;
            if (a.value == 1) return b;
            if (a.value == 0 || b.value == 0) return Element::of(0);
            break;
        case BinaryOp::Add:
            if (b.value == 0) return a;
            if (a.value == 0) return b;
            break;
        case BinaryOp::Sub:
            if (b.value == 0) return a;
            if (same_symbol) return Element::of(0);
            break;
        case BinaryOp::Div:
            if (b.value == 1) return a;
            break;
        case BinaryOp::Min:
        case BinaryOp::Max:
            if (same_symbol) return a;
            break;
        case BinaryOp::Equal:
        case BinaryOp::LessOrEqual:
        case BinaryOp::GreaterOrEqual:
            if (same_symbol) return Element::of(1);
            break;
        case BinaryOp::Less:
        case BinaryOp::Greater:
            if (same_symbol) return Element::of(0);
            break;
        default:
            break;
    }
    return Element{};
}

double as_real(const Element& e) { return e.real ? *e.real : static_cast<double>(*e.value); }

// Bits and signedness of the integer dtypes a Cast may produce.
struct IntType {
    int bits;
    bool is_signed;
};

std::optional<IntType> int_type(DType t) {
    switch (t) {
        case DType::Int8: return IntType{8, true};
        case DType::Int16: return IntType{16, true};
        case DType::Int32: return IntType{32, true};
        case DType::Int64: return IntType{64, true};
        case DType::UInt8: return IntType{8, false};
        case DType::UInt16: return IntType{16, false};
        case DType::UInt32: return IntType{32, false};
        case DType::UInt64: return IntType{64, false};
        default: return std::nullopt;
    }
}

// Two's-complement wrap of `v` to `type`; unknown for a uint64 beyond int64 (not representable here).
Element wrap(int64_t v, IntType type) {
    if (type.bits == 64) return type.is_signed || v >= 0 ? Element::of(v) : Element{};
    const uint64_t mask = (uint64_t{1} << type.bits) - 1;
    uint64_t bits = static_cast<uint64_t>(v) & mask;
    if (type.is_signed && (bits >> (type.bits - 1)) != 0) return Element::of(static_cast<int64_t>(bits | ~mask));
    return Element::of(static_cast<int64_t>(bits));
}

}  // namespace

std::optional<BinaryOp> binary_op(std::string_view op_type) {
    static const std::unordered_map<std::string_view, BinaryOp> ops{
        {"Add", BinaryOp::Add}, {"Sub", BinaryOp::Sub}, {"Mul", BinaryOp::Mul}, {"Div", BinaryOp::Div},
        {"Mod", BinaryOp::Mod}, {"Pow", BinaryOp::Pow}, {"Min", BinaryOp::Min}, {"Max", BinaryOp::Max},
        {"Equal", BinaryOp::Equal}, {"Less", BinaryOp::Less}, {"LessOrEqual", BinaryOp::LessOrEqual},
        {"Greater", BinaryOp::Greater}, {"GreaterOrEqual", BinaryOp::GreaterOrEqual}, {"And", BinaryOp::And},
        {"Or", BinaryOp::Or}, {"Xor", BinaryOp::Xor}};
    const auto it = ops.find(op_type);
    return it == ops.end() ? std::nullopt : std::optional<BinaryOp>(it->second);
}

std::optional<UnaryOp> unary_op(std::string_view op_type) {
    static const std::unordered_map<std::string_view, UnaryOp> ops{
        {"Neg", UnaryOp::Neg}, {"Abs", UnaryOp::Abs}, {"Sign", UnaryOp::Sign}, {"Not", UnaryOp::Not},
        {"Floor", UnaryOp::Floor}, {"Ceil", UnaryOp::Ceil}, {"Round", UnaryOp::Round}, {"Sqrt", UnaryOp::Sqrt},
        {"Reciprocal", UnaryOp::Reciprocal}, {"Exp", UnaryOp::Exp}, {"Log", UnaryOp::Log}, {"Relu", UnaryOp::Relu}};
    const auto it = ops.find(op_type);
    return it == ops.end() ? std::nullopt : std::optional<UnaryOp>(it->second);
}

Element apply(BinaryOp op, const Element& a, const Element& b) {
    if (a.value && b.value) return int_binary(op, *a.value, *b.value);
    if (a.known() && b.known()) return real_binary(op, as_real(a), as_real(b));
    if (a.real || b.real) return Element{};
    return symbolic_binary(op, a, b);
}

Element apply(UnaryOp op, const Element& a) {
    if (op == UnaryOp::Not) {
        const auto t = truth(a);
        return t ? boolean(!*t) : Element{};
    }
    if (a.value) {
        const int64_t v = *a.value;
        switch (op) {
            case UnaryOp::Neg: return v == kInt64Min ? Element{} : Element::of(-v);
            case UnaryOp::Abs: return v == kInt64Min ? Element{} : Element::of(v < 0 ? -v : v);
            case UnaryOp::Sign: return Element::of(v > 0 ? 1 : v < 0 ? -1 : 0);
            case UnaryOp::Relu: return Element::of(v > 0 ? v : 0);
            case UnaryOp::Floor:
            case UnaryOp::Ceil:
            case UnaryOp::Round: return a;
            default: break;   // float-only math on an integer: treat it as a real
        }
    }
    if (!a.known()) return Element{};
    const double v = as_real(a);
    switch (op) {
        case UnaryOp::Neg: return Element::of_real(-v);
        case UnaryOp::Abs: return Element::of_real(std::fabs(v));
        case UnaryOp::Sign: return Element::of_real(v > 0 ? 1.0 : v < 0 ? -1.0 : 0.0);
        case UnaryOp::Relu: return Element::of_real(v > 0 ? v : 0.0);
        case UnaryOp::Floor: return Element::of_real(std::floor(v));
        case UnaryOp::Ceil: return Element::of_real(std::ceil(v));
        case UnaryOp::Round: return Element::of_real(std::nearbyint(v));   // half to even (default mode)
        case UnaryOp::Sqrt: return Element::of_real(std::sqrt(v));
        case UnaryOp::Reciprocal: return Element::of_real(1.0 / v);
        case UnaryOp::Exp: return Element::of_real(std::exp(v));
        case UnaryOp::Log: return Element::of_real(std::log(v));
        default: return Element{};
    }
}

Element cast_element(const Element& e, DType to) {
    if (to == DType::Bool) {
        const auto t = truth(e);
        return t ? boolean(*t) : Element{};
    }
    if (const auto type = int_type(to)) {
        if (e.value) return wrap(*e.value, *type);
        if (e.real) {
            const double t = std::trunc(*e.real);
            // Doubles at or above 2^63 (and NaN) are not int64s.
            if (!(t >= -9223372036854775808.0 && t < 9223372036854775808.0)) return Element{};
            return wrap(static_cast<int64_t>(t), *type);
        }
        return e;   // a symbol (a size) survives integer casts
    }
    if (dtype_is_float(to) && e.known()) {
        const double v = as_real(e);
        return Element::of_real(to == DType::Float32 ? static_cast<double>(static_cast<float>(v)) : v);
    }
    return Element{};
}

std::optional<bool> truth(const Element& e) {
    if (e.value) return *e.value != 0;
    if (e.real) return *e.real != 0;
    return std::nullopt;
}

}  // namespace winglet::shapes
