// Finer granularity against coarser. What is guaranteed and asserted exactly:
//   - a finer group's range is a subset of the coarser group containing it, so with absmax
//     scaling its scale is <= the coarser one (max over a subset, then the same division);
//   - groupings that coincide give identical results.
// What is NOT guaranteed element by element: a smaller step does not make every rounding error
// smaller (x = 0.5 is exact on a step of 0.5 and off by 0.2 on a step of 0.3). Only the typical
// squared error, ~step^2 / 12 per group, shrinks with the step. So the MSE comparisons run on
// data built like real weights whose groups differ in range by orders of magnitude; there the
// expected MSE ratio is far below 1 and the assertion has a wide margin.
#define BOOST_TEST_MODULE quantize_granularity
#include <boost/test/unit_test.hpp>

#include "linear_quant.hpp"

#include <cmath>
#include <cstdint>
#include <random>

namespace q = winglet::quantize;
namespace tt = boost::test_tools;
using q::Granularity;

namespace {

q::QuantizedTensor run(const std::vector<float>& w, const std::vector<int64_t>& dims, Granularity g, int axis,
                       int bits = 8, int64_t block = 32, bool symmetric = true) {
    q::QuantOptions o;
    o.bits = bits;
    o.symmetric = symmetric;
    o.granularity = g;
    o.axis = axis;
    o.block_size = block;
    return q::quantize(w.data(), dims, o);
}

double mse(const std::vector<float>& w, const q::QuantizedTensor& t) {
    const std::vector<float> y = t.dequantize();
    double s = 0;
    for (size_t i = 0; i < w.size(); ++i) s += (static_cast<double>(w[i]) - y[i]) * (w[i] - y[i]);
    return s / static_cast<double>(w.size());
}

// rows x cols Gaussian weights, row r scaled by row_gain(r), column c by col_gain(c).
template <class RowGain, class ColGain>
std::vector<float> weights(int64_t rows, int64_t cols, unsigned seed, RowGain row_gain, ColGain col_gain) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> gauss(0.0f, 1.0f);
    std::vector<float> w(rows * cols);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c) w[r * cols + c] = gauss(rng) * row_gain(r) * col_gain(c);
    return w;
}

}  // namespace

BOOST_AUTO_TEST_CASE(per_channel_beats_per_tensor_when_channel_ranges_differ) {
    // 64 output channels whose gains span 10^-2..10^1, as in layers without weight
    // normalization. Per-tensor uses the largest channel's step for all of them.
    const int64_t rows = 64, cols = 256;
    const auto w = weights(rows, cols, 11, [](int64_t r) { return std::pow(10.0f, -2.0f + 3.0f * r / 63.0f); },
                           [](int64_t) { return 1.0f; });
    for (int bits : {8, 4, 2}) {
        BOOST_TEST_CONTEXT("bits " << bits) {
            const auto tensor = run(w, {rows, cols}, Granularity::PerTensor, 0, bits);
            const auto channel = run(w, {rows, cols}, Granularity::PerChannel, 0, bits);
            for (float s : channel.scales) BOOST_TEST(s <= tensor.scales[0]);  // guaranteed
            BOOST_TEST_MESSAGE("bits " << bits << ": MSE per channel / per tensor = " << mse(w, channel) / mse(w, tensor));
            // At 8 and 4 bits per-tensor noise is ~D^2/12 with the largest channel's D in
            // every channel, so every smaller channel gains (ratio ~0.1 and ~0.25). At 2 bits (codes -1, 0, 1) the small channels
            // round to 0 under the global step, an error of x^2 that their own step only cuts
            // to ~0.7 x^2, while the largest channels - which dominate the MSE - are the same
            // either way: better, but not by a wide factor.
            BOOST_TEST(mse(w, channel) < (bits == 2 ? 0.9 : 0.5) * mse(w, tensor));
        }
    }
}

BOOST_AUTO_TEST_CASE(per_block_beats_per_channel_when_blocks_split_channels) {
    // Output channels along axis 0; blocks of 32 along axis 1 subdivide each channel. Column
    // groups of 32 get gains 10^-2..10^1 (outlier input features, as in LLM weights).
    const int64_t rows = 32, cols = 512;
    const auto w = weights(rows, cols, 12, [](int64_t) { return 1.0f; },
                           [](int64_t c) { return std::pow(10.0f, -2.0f + 3.0f * static_cast<float>(c / 32) / 15.0f); });
    for (int bits : {8, 4}) {
        BOOST_TEST_CONTEXT("bits " << bits) {
            const auto channel = run(w, {rows, cols}, Granularity::PerChannel, 0, bits);
            const auto block = run(w, {rows, cols}, Granularity::PerBlock, 1, bits, 32);
            BOOST_REQUIRE_EQUAL(block.scales.size(), static_cast<size_t>(rows * cols / 32));
            for (int64_t r = 0; r < rows; ++r)
                for (int64_t b = 0; b < cols / 32; ++b) BOOST_TEST(block.scales[r * (cols / 32) + b] <= channel.scales[r]);
            BOOST_TEST_MESSAGE("bits " << bits << ": MSE per block / per channel = " << mse(w, block) / mse(w, channel));
            BOOST_TEST(mse(w, block) < 0.5 * mse(w, channel));
        }
    }
}

BOOST_AUTO_TEST_CASE(asymmetric_beats_symmetric_on_one_sided_data) {
    // Post-ReLU-like all-positive data: symmetric wastes the negative half of its codes, so its
    // step is max/qmax = max/127 against max/255 for asymmetric: ~4x the MSE.
    std::mt19937 rng(13);
    std::uniform_real_distribution<float> u(0.0f, 3.0f);
    std::vector<float> w(4096);
    for (float& v : w) v = u(rng);
    const auto sym = run(w, {4096}, Granularity::PerTensor, 0, 8, 32, true);
    const auto asym = run(w, {4096}, Granularity::PerTensor, 0, 8, 32, false);
    BOOST_TEST_MESSAGE("MSE asymmetric / symmetric = " << mse(w, asym) / mse(w, sym));
    BOOST_TEST(mse(w, asym) < 0.5 * mse(w, sym));
}

BOOST_AUTO_TEST_CASE(coinciding_groupings_agree_exactly) {
    const int64_t rows = 24, cols = 40;
    const auto w = weights(rows, cols, 14, [](int64_t r) { return 1.0f + r; }, [](int64_t) { return 1.0f; });
    for (bool symmetric : {true, false}) {
        // One block covering a whole row == the row as a channel.
        const auto channel = run(w, {rows, cols}, Granularity::PerChannel, 0, 4, 32, symmetric);
        const auto whole_row = run(w, {rows, cols}, Granularity::PerBlock, 1, 4, cols, symmetric);
        const auto longer = run(w, {rows, cols}, Granularity::PerBlock, 1, 4, 1000, symmetric);
        const auto longest = run(w, {rows, cols}, Granularity::PerBlock, 1, 4, INT64_MAX, symmetric);
        BOOST_TEST(whole_row.codes == channel.codes, tt::per_element());
        BOOST_TEST(whole_row.scales == channel.scales, tt::per_element());
        BOOST_TEST(whole_row.zero_points == channel.zero_points, tt::per_element());
        BOOST_TEST(longer.codes == channel.codes, tt::per_element());
        BOOST_TEST(longest.codes == channel.codes, tt::per_element());
        BOOST_TEST(longest.scale_dims() == (std::vector<int64_t>{rows, 1}), tt::per_element());
        // A single channel == the whole tensor.
        const auto tensor = run(w, {1, rows * cols}, Granularity::PerTensor, 0, 4, 32, symmetric);
        const auto one_channel = run(w, {1, rows * cols}, Granularity::PerChannel, 0, 4, 32, symmetric);
        BOOST_TEST(one_channel.codes == tensor.codes, tt::per_element());
        BOOST_TEST(one_channel.scales == tensor.scales, tt::per_element());
        // Blocks of the full extent across rows (axis 0) == channels along axis 1.
        const auto columns = run(w, {rows, cols}, Granularity::PerChannel, 1, 4, 32, symmetric);
        const auto column_blocks = run(w, {rows, cols}, Granularity::PerBlock, 0, 4, rows, symmetric);
        BOOST_TEST(column_blocks.codes == columns.codes, tt::per_element());
        BOOST_TEST(column_blocks.scales == columns.scales, tt::per_element());
        const auto huge_column_blocks = run(w, {rows, cols}, Granularity::PerBlock, 0, 4, INT64_MAX, symmetric);
        BOOST_TEST(huge_column_blocks.codes == columns.codes, tt::per_element());
    }
}
