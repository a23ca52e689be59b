// Tensor palettization: LUT layout, grouping along an axis, decode, storage accounting, errors.
#define BOOST_TEST_MODULE palettize_palettize
#include <boost/test/unit_test.hpp>

#include "palettize.hpp"
#include "test_data.hpp"

#include <tbb/global_control.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

using namespace winglet::palettize;
using namespace palettize_test;

namespace {

PalettizeOptions grouped(int bits, int64_t group_size, int axis) {
    PalettizeOptions o;
    o.bits = bits;
    o.grouping = Grouping::PerGroupedChannel;
    o.group_size = group_size;
    o.axis = axis;
    return o;
}

double sse(const std::vector<float>& a, const std::vector<float>& b) {
    double s = 0;
    for (size_t i = 0; i < a.size(); ++i) s += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    return s;
}

// Weights whose channels (along `axis` of a rank-2 [rows, cols] tensor) have very different
// scales, as real output channels do.
std::vector<float> channel_scaled(int64_t rows, int64_t cols, int axis, uint64_t seed) {
    std::vector<float> v = sample(Distribution::Gaussian, static_cast<size_t>(rows * cols), seed);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c) v[r * cols + c] *= 1.0f + 0.5f * static_cast<float>((axis == 0 ? r : c) % 7);
    return v;
}

}  // namespace

BOOST_AUTO_TEST_CASE(indices_follow_row_major_order) {
    // [[0, 10], [0, 10]], 1 bit: LUT {0, 10}, indices 0 1 0 1, lossless.
    const std::vector<float> w{0, 10, 0, 10};
    PalettizeOptions o;
    o.bits = 1;
    const PalettizedTensor p = palettize(w.data(), {2, 2}, o);
    BOOST_TEST(p.luts == (std::vector<float>{0, 10}), boost::test_tools::per_element());
    BOOST_TEST(p.indices == (std::vector<uint8_t>{0, 1, 0, 1}), boost::test_tools::per_element());
    BOOST_TEST(p.decode() == w, boost::test_tools::per_element());
    BOOST_TEST(p.lut_count() == 1u);
    BOOST_TEST(p.group_size == 2);
}

BOOST_AUTO_TEST_CASE(unused_lut_entries_repeat_the_last_centroid) {
    const std::vector<float> w{-1, 2, 5, 2, -1, 5};
    PalettizeOptions o;
    o.bits = 3;
    const PalettizedTensor p = palettize(w.data(), {6}, o);
    BOOST_TEST(p.luts == (std::vector<float>{-1, 2, 5, 5, 5, 5, 5, 5}), boost::test_tools::per_element());
    BOOST_TEST(p.decode() == w, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(grouped_channels_on_axis_0_conv_oihw) {
    // 10 output channels, groups of 4: channels 0-3, 4-7 and a last partial group 8-9 -> 3 LUTs.
    const std::vector<int64_t> dims{10, 3, 3, 3};
    const std::vector<float> w = sample(Distribution::Laplace, 270, 21);
    const PalettizedTensor p = palettize(w.data(), dims, grouped(2, 4, 0));
    BOOST_TEST(p.lut_count() == 3u);  // ceil(10 / 4)
    BOOST_TEST(p.luts.size() == 12u);
    BOOST_TEST(p.indices.size() == 270u);
    BOOST_TEST(p.group_size == 4);
    const std::vector<float> decoded = p.decode();
    for (size_t i = 0; i < 270; ++i) {
        const size_t channel = i / 27, group = channel / 4;
        BOOST_TEST(p.indices[i] < 4);
        BOOST_TEST(decoded[i] == p.luts[group * 4 + p.indices[i]]);
    }
    // Each LUT is the k-means of exactly its own channels' weights.
    for (size_t g = 0; g < 3; ++g) {
        const size_t begin = g * 4 * 27, end = std::min<size_t>(270, (g + 1) * 4 * 27);
        const KMeans1DResult r = kmeans_1d(w.data() + begin, end - begin, 4);
        BOOST_TEST(std::vector<float>(p.luts.begin() + g * 4, p.luts.begin() + g * 4 + 4) == r.centroids,
                   boost::test_tools::per_element());
    }
}

BOOST_AUTO_TEST_CASE(grouped_channels_on_axis_1_gemm_b_not_transposed) {
    // B is K x N = 6 x 10 (transB = 0): output channels on axis 1, groups of 3 -> 4 LUTs, the
    // last holding channel 9 alone.
    const std::vector<float> w = channel_scaled(6, 10, 1, 5);
    const PalettizedTensor p = palettize(w.data(), {6, 10}, grouped(1, 3, 1));
    BOOST_TEST(p.lut_count() == 4u);  // ceil(10 / 3)
    BOOST_TEST(p.axis == 1);
    const std::vector<float> decoded = p.decode();
    for (size_t r = 0; r < 6; ++r) {
        for (size_t c = 0; c < 10; ++c) {
            const size_t i = r * 10 + c;
            BOOST_TEST(decoded[i] == p.luts[(c / 3) * 2 + p.indices[i]]);
        }
    }
    // The lone channel 9 (6 values) gets its own 2-entry LUT: k-means of column 9.
    std::vector<float> column;
    for (size_t r = 0; r < 6; ++r) column.push_back(w[r * 10 + 9]);
    const KMeans1DResult r = kmeans_1d(column.data(), column.size(), 2);
    BOOST_TEST(std::vector<float>(p.luts.begin() + 6, p.luts.end()) == r.centroids, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(grouped_error_is_never_above_per_tensor_error) {
    // Each group's optimal LUT is at least as good on that group as the per-tensor LUT, which
    // is one candidate for it (groups of 8 x 64 = 512 values stay on the exact path).
    for (const int axis : {0, 1}) {
        const int64_t rows = 64, cols = 64;
        const std::vector<float> w = channel_scaled(rows, cols, axis, 17 + axis);
        for (const int bits : {2, 3, 4}) {
            PalettizeOptions per_tensor;
            per_tensor.bits = bits;
            per_tensor.axis = axis;
            const double tensor_sse = sse(palettize(w.data(), {rows, cols}, per_tensor).decode(), w);
            const double grouped_sse = sse(palettize(w.data(), {rows, cols}, grouped(bits, 8, axis)).decode(), w);
            BOOST_TEST_CONTEXT("axis " << axis << ", bits " << bits) {
                BOOST_TEST(grouped_sse <= tensor_sse);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(decoded_error_is_the_clustering_sse) {
    // 30000 weights (histogram path): the decoded tensor's squared error is the SSE the 1-D
    // k-means reports, so every index points at the nearest LUT entry.
    const std::vector<float> w = sample(Distribution::Laplace, 30000, 31);
    PalettizeOptions o;
    o.bits = 4;
    const PalettizedTensor p = palettize(w.data(), {300, 100}, o);
    const KMeans1DResult r = kmeans_1d(w.data(), w.size(), 16);
    BOOST_TEST(!r.exact);
    BOOST_TEST(std::fabs(sse(p.decode(), w) - r.sse) <= 1e-9 * r.sse);
    BOOST_TEST(std::fabs(sse(p.decode(), w) - nearest_sse(w, r.centroids)) <= 1e-9 * r.sse);
}

BOOST_AUTO_TEST_CASE(storage_bits_by_hand) {
    // dims {4, 2, 3}: 24 elements, 3 bits -> 72 index bits; 8 fp32 entries per LUT = 256 bits.
    const std::vector<float> w = sample(Distribution::Gaussian, 24, 3);
    PalettizeOptions o;
    o.bits = 3;
    BOOST_TEST(palettize(w.data(), {4, 2, 3}, o).storage_bits() == 72u + 256u);
    // Groups of 3 channels along axis 0: channels 0-2 and 3 -> 2 LUTs -> 72 + 512.
    BOOST_TEST(palettize(w.data(), {4, 2, 3}, grouped(3, 3, 0)).storage_bits() == 72u + 512u);
    // Groups of 1 along axis 2 (3 channels): 3 LUTs -> 72 + 768.
    BOOST_TEST(palettize(w.data(), {4, 2, 3}, grouped(3, 1, 2)).storage_bits() == 72u + 768u);
}

BOOST_AUTO_TEST_CASE(scalar_and_single_group) {
    const float one = 0.75f;
    PalettizeOptions o;
    o.bits = 2;
    const PalettizedTensor p = palettize(&one, {}, o);
    BOOST_TEST(p.luts == (std::vector<float>{0.75f, 0.75f, 0.75f, 0.75f}), boost::test_tools::per_element());
    BOOST_TEST(p.decode() == (std::vector<float>{0.75f}), boost::test_tools::per_element());
    BOOST_TEST(p.storage_bits() == 2u + 128u);  // one 2-bit index, four fp32 entries
    // group_size == dims[axis]: one group, the same as per-tensor.
    const std::vector<float> w = sample(Distribution::Uniform, 60, 8);
    PalettizeOptions per_tensor;
    per_tensor.bits = 2;
    per_tensor.axis = 1;
    const PalettizedTensor a = palettize(w.data(), {5, 12}, per_tensor);
    const PalettizedTensor b = palettize(w.data(), {5, 12}, grouped(2, 12, 1));
    BOOST_TEST(a.luts == b.luts, boost::test_tools::per_element());
    BOOST_TEST(a.indices == b.indices, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(bit_identical_across_thread_counts) {
    // 16 groups of 4 channels x 2048 = 8192 values each: the histogram path, groups in parallel.
    const std::vector<float> w = channel_scaled(64, 2048, 0, 23);
    const PalettizeOptions o = grouped(4, 4, 0);
    const PalettizedTensor a = palettize(w.data(), {64, 2048}, o);
    PalettizedTensor one;
    {
        tbb::global_control serial(tbb::global_control::max_allowed_parallelism, 1);
        one = palettize(w.data(), {64, 2048}, o);
    }
    BOOST_TEST(a.lut_count() == 16u);
    BOOST_TEST((a.luts == one.luts));
    BOOST_TEST((a.indices == one.indices));
}

BOOST_AUTO_TEST_CASE(bad_inputs_throw_invalid_argument_naming_the_problem) {
    const std::vector<float> w(24, 1.0f);
    auto says = [](const std::string& part) {
        return [part](const std::invalid_argument& e) { return std::string(e.what()).find(part) != std::string::npos; };
    };
    PalettizeOptions o;
    o.bits = 0;
    BOOST_CHECK_EXCEPTION(palettize(w.data(), {4, 6}, o), std::invalid_argument, says("bits must be in 1..8, got 0"));
    o.bits = 9;
    BOOST_CHECK_EXCEPTION(palettize(w.data(), {4, 6}, o), std::invalid_argument, says("bits must be in 1..8, got 9"));
    o.bits = 4;
    BOOST_CHECK_EXCEPTION(palettize(w.data(), {4, 0}, o), std::invalid_argument, says("empty tensor"));
    BOOST_CHECK_EXCEPTION(palettize(w.data(), {-4, 6}, o), std::invalid_argument, says("empty tensor"));
    o.axis = 2;
    BOOST_CHECK_EXCEPTION(palettize(w.data(), {4, 6}, o), std::invalid_argument, says("axis 2 out of range"));
    o.axis = -1;
    BOOST_CHECK_EXCEPTION(palettize(w.data(), {4, 6}, o), std::invalid_argument, says("axis -1 out of range"));
    BOOST_CHECK_EXCEPTION(palettize(w.data(), {4, 6}, grouped(4, 0, 0)), std::invalid_argument, says("group_size 0 does not fit"));
    BOOST_CHECK_EXCEPTION(palettize(w.data(), {4, 6}, grouped(4, 5, 0)), std::invalid_argument, says("group_size 5 does not fit"));
    BOOST_CHECK_EXCEPTION(palettize(w.data(), {}, grouped(4, 1, 0)), std::invalid_argument, says("scalar"));
    std::vector<float> bad = w;
    bad[13] = std::numeric_limits<float>::quiet_NaN();
    BOOST_CHECK_EXCEPTION(palettize(bad.data(), {4, 6}, PalettizeOptions{}), std::invalid_argument, says("weight 13 is NaN"));
    // Grouped on axis 1: the message still names the index in the whole tensor.
    BOOST_CHECK_EXCEPTION(palettize(bad.data(), {4, 6}, grouped(4, 2, 1)), std::invalid_argument, says("weight 13 is NaN"));
    bad[13] = -std::numeric_limits<float>::infinity();
    BOOST_CHECK_EXCEPTION(palettize(bad.data(), {4, 6}, grouped(4, 2, 0)), std::invalid_argument, says("weight 13 is -Inf"));
}
