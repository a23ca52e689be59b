// Small cases worked out by hand (arithmetic in the comments), scale layouts and storage.
#define BOOST_TEST_MODULE quantize_hand_cases
#include <boost/test/unit_test.hpp>

#include "linear_quant.hpp"

#include <cmath>
#include <limits>

namespace q = winglet::quantize;
namespace tt = boost::test_tools;
using q::Granularity;

namespace {

q::QuantOptions options(int bits, bool symmetric, Granularity g, int axis = 0, int64_t block = 32) {
    q::QuantOptions o;
    o.bits = bits;
    o.symmetric = symmetric;
    o.granularity = g;
    o.axis = axis;
    o.block_size = block;
    return o;
}

std::vector<int> codes_of(const q::QuantizedTensor& t) { return {t.codes.begin(), t.codes.end()}; }

}  // namespace

BOOST_AUTO_TEST_CASE(code_ranges) {
    // Symmetric drops -2^(b-1); asymmetric uses the full two's-complement range.
    BOOST_TEST(q::code_range(8, true).lo == -127);
    BOOST_TEST(q::code_range(8, true).hi == 127);
    BOOST_TEST(q::code_range(4, true).lo == -7);
    BOOST_TEST(q::code_range(2, true).lo == -1);
    BOOST_TEST(q::code_range(2, true).hi == 1);
    BOOST_TEST(q::code_range(8, false).lo == -128);
    BOOST_TEST(q::code_range(4, false).lo == -8);
    BOOST_TEST(q::code_range(4, false).hi == 7);
    BOOST_TEST(q::code_range(2, false).lo == -2);
    BOOST_TEST(q::code_range(2, false).hi == 1);
}

BOOST_AUTO_TEST_CASE(int8_symmetric_ties_round_to_even) {
    // x = [-1, 0.5, 0.25, 1]: scale = fl(1/127) = 0.007874016. In fp32, 0.5 / scale is exactly
    // 63.5 (checked below) -> half to even -> 64; 0.25 / scale = 31.75 -> 32; +-1 -> +-127.
    const std::vector<float> x{-1.0f, 0.5f, 0.25f, 1.0f};
    const q::QuantizedTensor t = q::quantize(x.data(), {4}, options(8, true, Granularity::PerTensor));
    const float scale = 1.0f / 127.0f;
    BOOST_TEST(t.scales.at(0) == scale);
    BOOST_TEST(0.5f / scale == 63.5f);  // the tie really is a tie in fp32
    BOOST_TEST(codes_of(t) == (std::vector<int>{-127, 64, 32, 127}), tt::per_element());
    BOOST_TEST(t.zero_points.at(0) == 0);
    BOOST_TEST(t.scale_dims().empty());  // a scalar, as ONNX wants for per-tensor
}

BOOST_AUTO_TEST_CASE(ties_on_an_exact_scale) {
    // max|x| = 127 -> scale 1 exactly: x / scale = x, ties go to the even neighbour.
    const std::vector<float> x{127.0f, 2.5f, 3.5f, -2.5f, 0.5f, 1.5f, -0.5f, -126.5f};
    const q::QuantizedTensor t = q::quantize(x.data(), {8}, options(8, true, Granularity::PerTensor));
    BOOST_TEST(t.scales.at(0) == 1.0f);
    BOOST_TEST(codes_of(t) == (std::vector<int>{127, 2, 4, -2, 0, 2, 0, -126}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(int4_asymmetric_by_hand) {
    // x = [-1.125, 0, 2.625, 1.0], int4 asymmetric, qmin = -8, qmax = 7:
    //   range [min(x,0), max(x,0)] = [-1.125, 2.625], scale = 3.75 / 15 = 0.25 (exact)
    //   zero point = round(qmin - min/scale) = round(-8 + 4.5) = round(-3.5) = -4 (half to even)
    //   codes: -1.125/0.25 = -4.5 -> -4, -4 + (-4) = -8
    //           0                ->  0,  0 + (-4) = -4
    //           2.625/0.25 = 10.5 -> 10, 10 + (-4) =  6
    //           1.0/0.25  =  4    ->  4,  4 + (-4) =  0
    //   dequantized: (-8+4)*0.25 = -1, 0, (6+4)*0.25 = 2.5, 1.0 - zero stays exact.
    const std::vector<float> x{-1.125f, 0.0f, 2.625f, 1.0f};
    const q::QuantizedTensor t = q::quantize(x.data(), {4}, options(4, false, Granularity::PerTensor));
    BOOST_TEST(t.scales.at(0) == 0.25f);
    BOOST_TEST(t.zero_points.at(0) == -4);
    BOOST_TEST(codes_of(t) == (std::vector<int>{-8, -4, 6, 0}), tt::per_element());
    BOOST_TEST(t.dequantize() == (std::vector<float>{-1.0f, 0.0f, 2.5f, 1.0f}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(asymmetric_one_sided_data_moves_the_zero_point_to_an_end) {
    // x = [0, 1.5, 3.75], int4 asymmetric: range [0, 3.75], scale 0.25, zero point
    // round(-8 - 0) = -8 = qmin; codes 0 -> -8, 6 - 8 = -2, 15 - 8 = 7.
    // All <= 0: x = [-3.75, -1] -> range [-3.75, 0], zero point round(-8 + 15) = 7 = qmax;
    // codes -15 + 7 = -8, -4 + 7 = 3.
    const std::vector<float> pos{0.0f, 1.5f, 3.75f}, neg{-3.75f, -1.0f};
    const q::QuantizedTensor p = q::quantize(pos.data(), {3}, options(4, false, Granularity::PerTensor));
    const q::QuantizedTensor n = q::quantize(neg.data(), {2}, options(4, false, Granularity::PerTensor));
    BOOST_TEST(p.zero_points.at(0) == -8);
    BOOST_TEST(codes_of(p) == (std::vector<int>{-8, -2, 7}), tt::per_element());
    BOOST_TEST(n.zero_points.at(0) == 7);
    BOOST_TEST(codes_of(n) == (std::vector<int>{-8, 3}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(int2_symmetric_by_hand) {
    // qmax = 1: scale = 3 / 1 = 3; -3 -> -1, -1.5/3 = -0.5 -> -0 (tie to even), 1.4/3 -> 0, 3 -> 1.
    const std::vector<float> x{-3.0f, -1.5f, 1.4f, 3.0f};
    const q::QuantizedTensor t = q::quantize(x.data(), {4}, options(2, true, Granularity::PerTensor));
    BOOST_TEST(t.scales.at(0) == 3.0f);
    BOOST_TEST(codes_of(t) == (std::vector<int>{-1, 0, 0, 1}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(per_channel_along_each_axis) {
    // x = [[1, -2, 0],
    //      [4, 0.5, 0]]   (2 x 3)
    // axis 0 (rows):    row 0 max|x| 2 -> scale 2/127: 1 -> 63.5 -> 64, -2 -> -127, 0 -> 0
    //                   row 1 max|x| 4 -> scale 4/127: 4 -> 127, 0.5 -> 15.875 -> 16, 0 -> 0
    // axis 1 (columns): col 0 {1, 4} -> 4/127: 31.75 -> 32, 127; col 1 {-2, 0.5} -> 2/127:
    //                   -127, 31.75 -> 32; col 2 all zero -> scale 1, codes 0.
    // fp32 check: 2/127, 4/127 are fl(1/127) times powers of two, so every quotient above is
    // the exact value written.
    const std::vector<float> x{1.0f, -2.0f, 0.0f, 4.0f, 0.5f, 0.0f};
    const q::QuantizedTensor rows = q::quantize(x.data(), {2, 3}, options(8, true, Granularity::PerChannel, 0));
    BOOST_TEST(rows.scale_dims() == (std::vector<int64_t>{2}), tt::per_element());
    BOOST_TEST(rows.scales == (std::vector<float>{2.0f / 127.0f, 4.0f / 127.0f}), tt::per_element());
    BOOST_TEST(codes_of(rows) == (std::vector<int>{64, -127, 0, 127, 16, 0}), tt::per_element());

    const q::QuantizedTensor cols = q::quantize(x.data(), {2, 3}, options(8, true, Granularity::PerChannel, 1));
    BOOST_TEST(cols.scale_dims() == (std::vector<int64_t>{3}), tt::per_element());
    BOOST_TEST(cols.scales == (std::vector<float>{4.0f / 127.0f, 2.0f / 127.0f, 1.0f}), tt::per_element());
    BOOST_TEST(codes_of(cols) == (std::vector<int>{32, -127, 0, 127, 32, 0}), tt::per_element());
    BOOST_TEST(cols.zero_points == (std::vector<int8_t>{0, 0, 0}), tt::per_element());
    const std::vector<float> back = cols.dequantize();
    BOOST_TEST(back[2] == 0.0f);
    BOOST_TEST(back[1] == -2.0f);  // -127 * fl(2/127): max|x| comes back within one rounding
}

BOOST_AUTO_TEST_CASE(per_block_layout_with_a_tail) {
    // x (2 x 5), int8 symmetric, blocks of 2 along axis 1 -> scale dims [2, ceil(5/2) = 3]:
    //   row 0: [1, -2 | 0.5, 0.25 | 3]      scales 2/127, 0.5/127, 3/127
    //   row 1: [0, 0  | 4, -1     | -0.5]   scales 1 (zero block), 4/127, 0.5/127
    // codes: 1/(2/127) = 63.5 -> 64, -127 | 127, 63.5 -> 64 | 127
    //        0, 0 | 127, -1/(4/127) = -31.75 -> -32 | -127
    const std::vector<float> x{1.0f, -2.0f, 0.5f, 0.25f, 3.0f, 0.0f, 0.0f, 4.0f, -1.0f, -0.5f};
    const q::QuantizedTensor t = q::quantize(x.data(), {2, 5}, options(8, true, Granularity::PerBlock, 1, 2));
    BOOST_TEST(t.block_size == 2);
    BOOST_TEST(t.scale_dims() == (std::vector<int64_t>{2, 3}), tt::per_element());
    const std::vector<float> scales{2.0f / 127, 0.5f / 127, 3.0f / 127, 1.0f, 4.0f / 127, 0.5f / 127};
    BOOST_TEST(t.scales == scales, tt::per_element());
    BOOST_TEST(codes_of(t) == (std::vector<int>{64, -127, 127, 64, 127, 0, 0, 127, -32, -127}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(per_block_across_rows) {
    // x (3 x 2) = [[1, -4], [2, 1], [-0.5, 2]], blocks of 2 along axis 0 -> scale dims [2, 2]:
    //   block 0 (rows 0-1): column 0 {1, 2} -> 2/127, column 1 {-4, 1} -> 4/127
    //   block 1 (row 2):    column 0 {-0.5} -> 0.5/127, column 1 {2} -> 2/127
    // codes: 63.5 -> 64, -127 / 127, 31.75 -> 32 / -127, 127
    const std::vector<float> x{1.0f, -4.0f, 2.0f, 1.0f, -0.5f, 2.0f};
    const q::QuantizedTensor t = q::quantize(x.data(), {3, 2}, options(8, true, Granularity::PerBlock, 0, 2));
    BOOST_TEST(t.scale_dims() == (std::vector<int64_t>{2, 2}), tt::per_element());
    BOOST_TEST(t.scales == (std::vector<float>{2.0f / 127, 4.0f / 127, 0.5f / 127, 2.0f / 127}), tt::per_element());
    BOOST_TEST(codes_of(t) == (std::vector<int>{64, -127, 127, 32, -127, 127}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(zero_groups_and_tiny_groups_are_safe) {
    // All zeros: scale 1, zero point 0, codes 0, dequantized exactly 0 - in both modes.
    const std::vector<float> zeros(6, 0.0f);
    for (bool symmetric : {true, false}) {
        const q::QuantizedTensor t = q::quantize(zeros.data(), {2, 3}, options(4, symmetric, Granularity::PerChannel));
        BOOST_TEST(t.scales == (std::vector<float>{1.0f, 1.0f}), tt::per_element());
        BOOST_TEST(t.zero_points == (std::vector<int8_t>{0, 0}), tt::per_element());
        BOOST_TEST(codes_of(t) == std::vector<int>(6, 0), tt::per_element());
        BOOST_TEST(t.dequantize() == zeros, tt::per_element());
    }
    // max|x| = 2^-149 (the smallest subnormal): max|x| / 127 underflows to 0; the scale becomes
    // 2^-149, so x / scale = 1 and the code is 1, never a division by zero.
    const float tiny = std::numeric_limits<float>::denorm_min();
    const std::vector<float> x{tiny, 0.0f, -tiny};
    const q::QuantizedTensor t = q::quantize(x.data(), {3}, options(8, true, Granularity::PerTensor));
    BOOST_TEST(t.scales.at(0) == tiny);
    BOOST_TEST(codes_of(t) == (std::vector<int>{1, 0, -1}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(extreme_magnitudes_do_not_overflow) {
    // Asymmetric range FLT_MAX - (-FLT_MAX) overflows fp32; the scale is computed in double:
    // 2 * FLT_MAX / 255 is finite. Codes: -FLT_MAX -> qmin, FLT_MAX -> qmax.
    const float big = std::numeric_limits<float>::max();
    const std::vector<float> x{-big, 0.0f, big};
    const q::QuantizedTensor t = q::quantize(x.data(), {3}, options(8, false, Granularity::PerTensor));
    BOOST_TEST(std::isfinite(t.scales.at(0)));
    BOOST_TEST(t.codes.front() == -128);
    BOOST_TEST(t.codes.back() == 127);
}

BOOST_AUTO_TEST_CASE(negative_axis_counts_from_the_end) {
    const std::vector<float> x{1.0f, -2.0f, 0.0f, 4.0f, 0.5f, 0.0f};
    const q::QuantizedTensor last = q::quantize(x.data(), {2, 3}, options(8, true, Granularity::PerChannel, -1));
    const q::QuantizedTensor one = q::quantize(x.data(), {2, 3}, options(8, true, Granularity::PerChannel, 1));
    BOOST_TEST(last.axis == 1);
    BOOST_TEST(last.codes == one.codes, tt::per_element());
    BOOST_TEST(last.scales == one.scales, tt::per_element());
}

BOOST_AUTO_TEST_CASE(storage_bits_by_hand) {
    const std::vector<float> x(10, 1.0f);
    // int4 symmetric per channel, 2 x 5: 4 * 10 codes + 32 * 2 scales, no zero points = 104.
    BOOST_TEST(q::quantize(x.data(), {2, 5}, options(4, true, Granularity::PerChannel)).storage_bits() == 104u);
    // int4 asymmetric, blocks of 2 along axis 1 -> 2 x 3 groups:
    // 4 * 10 + 32 * 6 + 4 * 6 = 40 + 192 + 24 = 256.
    BOOST_TEST(q::quantize(x.data(), {2, 5}, options(4, false, Granularity::PerBlock, 1, 2)).storage_bits() == 256u);
    // int8 symmetric per tensor: 8 * 10 + 32 = 112. int2 asymmetric per tensor: 20 + 32 + 2 = 54.
    BOOST_TEST(q::quantize(x.data(), {10}, options(8, true, Granularity::PerTensor)).storage_bits() == 112u);
    BOOST_TEST(q::quantize(x.data(), {10}, options(2, false, Granularity::PerTensor)).storage_bits() == 54u);
}

BOOST_AUTO_TEST_CASE(empty_and_scalar_tensors) {
    const q::QuantizedTensor empty = q::quantize(nullptr, {0, 4}, options(8, true, Granularity::PerChannel, 1));
    BOOST_TEST(empty.codes.empty());
    BOOST_TEST(empty.scales.size() == 4u);
    const float one = -0.75f;
    const q::QuantizedTensor scalar = q::quantize(&one, {}, options(8, true, Granularity::PerTensor));
    BOOST_TEST(scalar.codes.size() == 1u);
    BOOST_TEST(scalar.codes[0] == -127);
}
