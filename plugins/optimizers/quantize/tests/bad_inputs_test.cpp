// Every rejected input throws std::invalid_argument whose message names the problem.
#define BOOST_TEST_MODULE quantize_bad_inputs
#include <boost/test/unit_test.hpp>

#include "linear_quant.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace q = winglet::quantize;
using q::Granularity;

namespace {

q::QuantOptions options(int bits, Granularity g, int axis = 0, int64_t block = 32, bool symmetric = true) {
    q::QuantOptions o;
    o.bits = bits;
    o.granularity = g;
    o.axis = axis;
    o.block_size = block;
    o.symmetric = symmetric;
    return o;
}

// The message of the std::invalid_argument that quantize throws, "" if none.
std::string failure(const std::vector<float>& w, const std::vector<int64_t>& dims, const q::QuantOptions& o) {
    try {
        q::quantize(w.data(), dims, o);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

bool mentions(const std::string& message, const std::string& part) { return message.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_CASE(unsupported_bit_widths) {
    const std::vector<float> w(4, 1.0f);
    for (int bits : {0, 1, 3, 16, -8}) {
        const std::string m = failure(w, {4}, options(bits, Granularity::PerTensor));
        BOOST_TEST(mentions(m, "bits must be 8, 4 or 2 (got " + std::to_string(bits) + ")"), m);
    }
    BOOST_CHECK_THROW(q::code_range(5, true), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(axis_out_of_range) {
    const std::vector<float> w(6, 1.0f);
    std::string m = failure(w, {2, 3}, options(8, Granularity::PerChannel, 2));
    BOOST_TEST(mentions(m, "axis 2 is out of range for a rank-2 tensor (expected -2..1)"), m);
    m = failure(w, {2, 3}, options(8, Granularity::PerBlock, -3));
    BOOST_TEST(mentions(m, "axis -3"), m);
    m = failure({1.0f}, {}, options(8, Granularity::PerChannel, 0));
    BOOST_TEST(mentions(m, "rank-0"), m);
    // PerTensor ignores the axis.
    BOOST_CHECK_NO_THROW(q::quantize(w.data(), {2, 3}, options(8, Granularity::PerTensor, 7)));
}

BOOST_AUTO_TEST_CASE(block_size_below_one) {
    const std::vector<float> w(6, 1.0f);
    for (int64_t block : {0, -4}) {
        const std::string m = failure(w, {2, 3}, options(8, Granularity::PerBlock, 1, block));
        BOOST_TEST(mentions(m, "block_size " + std::to_string(block) + " must be at least 1"), m);
    }
    BOOST_CHECK_NO_THROW(q::quantize(w.data(), {2, 3}, options(8, Granularity::PerChannel, 1, 0)));  // unused there
}

BOOST_AUTO_TEST_CASE(negative_dims_and_null_weights) {
    const std::vector<float> w(6, 1.0f);
    std::string m = failure(w, {2, -3}, options(8, Granularity::PerTensor));
    BOOST_TEST(mentions(m, "dims[1] = -3 is negative"), m);
    try {
        q::quantize(nullptr, {2, 3}, options(8, Granularity::PerTensor));
        BOOST_ERROR("null weights accepted");
    } catch (const std::invalid_argument& e) {
        BOOST_TEST(mentions(e.what(), "null"), e.what());
    }
}

BOOST_AUTO_TEST_CASE(non_finite_weights_are_located_in_every_pass) {
    // Each layout goes through a different pass (see granularity_passes.cpp); all must refuse
    // inf and NaN and say where the first one is.
    struct Layout {
        const char* what;
        std::vector<int64_t> dims;
        Granularity g;
        int axis;
        int64_t block;
    };
    const std::vector<Layout> layouts{
        {"per tensor", {6, 10}, Granularity::PerTensor, 0, 1},
        {"per channel, channel = one run", {6, 10}, Granularity::PerChannel, 0, 1},
        {"per channel, rows across channels", {6, 10}, Granularity::PerChannel, 1, 1},
        {"per channel, strided runs", {3, 4, 5}, Granularity::PerChannel, 1, 1},
        {"per block along the last axis", {6, 10}, Granularity::PerBlock, 1, 4},
        {"per block across rows", {6, 10}, Granularity::PerBlock, 0, 4},
    };
    const float specials[] = {std::numeric_limits<float>::quiet_NaN(), -std::numeric_limits<float>::quiet_NaN(),
                              std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()};
    for (const Layout& l : layouts) {
        for (float bad : specials) {
            for (bool symmetric : {true, false}) {
                std::vector<float> w(60, 0.5f);
                w[37] = bad;
                w[41] = bad;
                const std::string m = failure(w, l.dims, options(8, l.g, l.axis, l.block, symmetric));
                BOOST_TEST_CONTEXT(l.what << ", value " << bad) {
                    BOOST_TEST(mentions(m, "weight at flat index 37 is not finite"), m);
                }
            }
        }
    }
}
