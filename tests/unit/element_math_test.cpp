// Element arithmetic of the shape evaluator against ONNX's operator definitions and what ONNX
// Runtime computes (integer Div truncates, Mod takes the divisor's sign, Cast wraps), by hand.
#define BOOST_TEST_MODULE element_math
#include <boost/test/unit_test.hpp>

#include "shapes/element_math.hpp"

#include <cmath>
#include <limits>

using namespace winglet;
using namespace winglet::shapes;

namespace {

Element i(int64_t v) { return Element::of(v); }
Element r(double v) { return Element::of_real(v); }
Element s(const std::string& symbol) { return Element{std::nullopt, symbol, std::nullopt}; }

// The integer an element holds, or a sentinel that no test expects.
int64_t int_of(const Element& e) { return e.value.value_or(-999999); }

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

}  // namespace

BOOST_AUTO_TEST_CASE(integer_division_and_modulo) {
    // ONNX Div on integers truncates towards zero (C semantics, as ONNX Runtime computes it).
    BOOST_TEST(int_of(apply(BinaryOp::Div, i(7), i(2))) == 3);
    BOOST_TEST(int_of(apply(BinaryOp::Div, i(-7), i(2))) == -3);
    // Mod without fmod: the result takes the divisor's sign (-7 mod 2 = 1, 7 mod -2 = -1).
    BOOST_TEST(int_of(apply(BinaryOp::Mod, i(-7), i(2))) == 1);
    BOOST_TEST(int_of(apply(BinaryOp::Mod, i(7), i(-2))) == -1);
    // fmod = 1: the dividend's sign (-7 fmod 2 = -1).
    BOOST_TEST(int_of(apply(BinaryOp::FMod, i(-7), i(2))) == -1);
    // Division by zero and the one overflowing quotient are unknown, never a number.
    BOOST_TEST(!apply(BinaryOp::Div, i(1), i(0)).known());
    BOOST_TEST(!apply(BinaryOp::Div, i(kMin), i(-1)).known());
    BOOST_TEST(!apply(BinaryOp::Mod, i(5), i(0)).known());
}

BOOST_AUTO_TEST_CASE(overflow_is_unknown) {
    BOOST_TEST(!apply(BinaryOp::Add, i(kMax), i(1)).known());
    BOOST_TEST(!apply(BinaryOp::Sub, i(kMin), i(1)).known());
    BOOST_TEST(!apply(BinaryOp::Mul, i(int64_t{1} << 32), i(int64_t{1} << 32)).known());
    BOOST_TEST(!apply(BinaryOp::Pow, i(2), i(63)).known());
    BOOST_TEST(int_of(apply(BinaryOp::Pow, i(2), i(62))) == int64_t{1} << 62);
    BOOST_TEST(!apply(UnaryOp::Neg, i(kMin)).known());
    BOOST_TEST(int_of(apply(BinaryOp::Pow, i(1), i(kMax))) == 1);   // stops early, no 2^63 loop
}

BOOST_AUTO_TEST_CASE(comparisons_and_logic_give_zero_or_one) {
    BOOST_TEST(int_of(apply(BinaryOp::Equal, i(16), i(16))) == 1);
    BOOST_TEST(int_of(apply(BinaryOp::Less, i(3), i(2))) == 0);
    BOOST_TEST(int_of(apply(BinaryOp::GreaterOrEqual, r(0.5), r(0.5))) == 1);
    BOOST_TEST(int_of(apply(BinaryOp::And, i(1), i(0))) == 0);
    BOOST_TEST(int_of(apply(BinaryOp::Xor, i(1), i(0))) == 1);
    BOOST_TEST(int_of(apply(UnaryOp::Not, i(0))) == 1);
    BOOST_TEST((truth(r(0.0)) == std::optional<bool>(false)));
    BOOST_TEST(!truth(s("batch")).has_value());
}

BOOST_AUTO_TEST_CASE(symbols_survive_identities_only) {
    BOOST_TEST(apply(BinaryOp::Mul, s("batch"), i(1)).symbol == "batch");
    BOOST_TEST(apply(BinaryOp::Add, i(0), s("batch")).symbol == "batch");
    BOOST_TEST(apply(BinaryOp::Div, s("batch"), i(1)).symbol == "batch");
    BOOST_TEST(int_of(apply(BinaryOp::Mul, s("batch"), i(0))) == 0);
    BOOST_TEST(int_of(apply(BinaryOp::Sub, s("seq"), s("seq"))) == 0);
    BOOST_TEST(int_of(apply(BinaryOp::Equal, s("seq"), s("seq"))) == 1);
    BOOST_TEST(apply(BinaryOp::Max, s("seq"), s("seq")).symbol == "seq");
    // seq * 8 is a size, but not one a symbol names.
    const Element times8 = apply(BinaryOp::Mul, s("seq"), i(8));
    BOOST_TEST(!times8.known());
    BOOST_TEST(times8.symbol.empty());
    BOOST_TEST(!apply(BinaryOp::Equal, s("seq"), s("batch")).known());
}

BOOST_AUTO_TEST_CASE(float_math) {
    BOOST_TEST(*apply(BinaryOp::Mul, r(7), r(1.5)).real == 10.5);
    BOOST_TEST(*apply(UnaryOp::Floor, r(10.5)).real == 10.0);
    BOOST_TEST(*apply(UnaryOp::Ceil, r(10.5)).real == 11.0);
    // Round is half to even, as ONNX specifies: 2.5 -> 2, 3.5 -> 4, -2.5 -> -2.
    BOOST_TEST(*apply(UnaryOp::Round, r(2.5)).real == 2.0);
    BOOST_TEST(*apply(UnaryOp::Round, r(3.5)).real == 4.0);
    BOOST_TEST(*apply(UnaryOp::Round, r(-2.5)).real == -2.0);
    BOOST_TEST(*apply(UnaryOp::Sqrt, r(16)).real == 4.0);
    BOOST_TEST(*apply(BinaryOp::FMod, r(7.5), r(2)).real == 1.5);
}

BOOST_AUTO_TEST_CASE(casts) {
    // Integer to narrower integer wraps: 300 -> uint8 44, 200 -> int8 -56, -1 -> uint16 65535.
    BOOST_TEST(int_of(cast_element(i(300), DType::UInt8)) == 44);
    BOOST_TEST(int_of(cast_element(i(200), DType::Int8)) == -56);
    BOOST_TEST(int_of(cast_element(i(-1), DType::UInt16)) == 65535);
    // Float to integer truncates towards zero; NaN and out-of-range are unknown.
    BOOST_TEST(int_of(cast_element(r(-2.7), DType::Int64)) == -2);
    BOOST_TEST(int_of(cast_element(r(9.99), DType::Int32)) == 9);
    BOOST_TEST(!cast_element(r(std::nan("")), DType::Int64).known());
    BOOST_TEST(!cast_element(r(1e19), DType::Int64).known());
    // To bool: non-zero is 1.
    BOOST_TEST(int_of(cast_element(r(0.25), DType::Bool)) == 1);
    // To float32: rounded to float32 (0.1 is not a float32 number).
    BOOST_TEST(*cast_element(r(0.1), DType::Float32).real == static_cast<double>(0.1f));
    BOOST_TEST(*cast_element(i(3), DType::Float64).real == 3.0);
    // A symbolic size survives integer casts, not float ones.
    BOOST_TEST(cast_element(s("batch"), DType::Int32).symbol == "batch");
    BOOST_TEST(!cast_element(s("batch"), DType::Float32).known());
}
