// The built prune plugin, loaded with dlopen and driven through the raw C ABI by a minimal fake
// host (set_error and set_compressed only, the latter copying the desc as the engine does), on
// tensors small enough to prune by hand.
#define BOOST_TEST_MODULE prune_plugin_abi
#include <boost/test/unit_test.hpp>

#include <winglet/plugin.h>

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "optimizer_abi_harness.hpp"


namespace tt = boost::test_tools;

BOOST_AUTO_TEST_CASE(descriptor_names_the_technique_and_its_options) {
    Plugin p;
    BOOST_TEST(p.desc->abi_major == WG_ABI_MAJOR);
    BOOST_TEST(p.desc->abi_minor == WG_ABI_MINOR);
    BOOST_TEST(std::string(p.desc->name) == "prune");
    BOOST_TEST(std::string(p.desc->version).size() > 0u);
    const wg_optimizer_vtable& vt = p.vt();
    BOOST_TEST(vt.struct_size == sizeof(wg_optimizer_vtable));
    BOOST_TEST(std::string(vt.technique) == "prune");
    BOOST_TEST(std::string(vt.summary).size() > 0u);
    BOOST_TEST_REQUIRE(vt.option_count == 6u);
    const char* names[] = {"method", "sparsity", "n", "m", "fraction", "norm"};
    const char* defaults[] = {"magnitude", "0.5", "2", "4", "0.5", "l2"};
    const char* values[] = {"magnitude, n_m, channels", "a number in [0, 1)", "an integer in 1..m",
                            "an integer >= 1", "a number in [0, 1)", "l1, l2"};
    for (uint64_t i = 0; i < vt.option_count; ++i) {
        const wg_option_desc& o = *vt.options[i];
        BOOST_TEST(o.struct_size == sizeof(wg_option_desc));
        BOOST_TEST(std::string(o.name) == names[i]);
        BOOST_TEST(std::string(o.default_value) == defaults[i]);
        BOOST_TEST(std::string(o.values) == values[i]);
        BOOST_TEST(std::string(o.description).size() > 0u);
    }
}

BOOST_AUTO_TEST_CASE(check_options_accepts_defaults_and_every_listed_value) {
    Plugin p;
    BOOST_TEST(p.check({}).code == WG_OK);
    BOOST_TEST(p.check({{"method", "magnitude"}, {"sparsity", "0.5"}}).code == WG_OK);
    BOOST_TEST(p.check({{"sparsity", "0"}}).code == WG_OK);
    BOOST_TEST(p.check({{"sparsity", ".9"}}).code == WG_OK);
    BOOST_TEST(p.check({{"method", "n_m"}}).code == WG_OK);
    BOOST_TEST(p.check({{"method", "n_m"}, {"n", "2"}, {"m", "4"}}).code == WG_OK);
    BOOST_TEST(p.check({{"method", "n_m"}, {"n", "4"}, {"m", "4"}}).code == WG_OK);
    BOOST_TEST(p.check({{"method", "n_m"}, {"n", "1"}, {"m", "8"}}).code == WG_OK);
    BOOST_TEST(p.check({{"method", "channels"}, {"fraction", "0.25"}, {"norm", "l1"}}).code == WG_OK);
    BOOST_TEST(p.check({{"method", "channels"}, {"norm", "l2"}}).code == WG_OK);
}

BOOST_AUTO_TEST_CASE(check_options_rejects_with_key_value_and_accepted_values) {
    Plugin p;
    const std::vector<std::pair<Options, std::string>> cases = {
        {{{"sparsity", "1.5"}}, "prune: sparsity 1.5 is not a number in [0, 1)"},
        {{{"sparsity", "1"}}, "prune: sparsity 1 is not a number in [0, 1)"},
        {{{"sparsity", "-0.1"}}, "prune: sparsity -0.1 is not a number in [0, 1)"},
        {{{"sparsity", "nan"}}, "prune: sparsity nan is not a number in [0, 1)"},
        {{{"sparsity", "50%"}}, "prune: sparsity 50% is not a number in [0, 1)"},
        {{{"method", "n_m"}, {"n", "5"}, {"m", "4"}}, "prune: n 5 is not an integer in 1..m (m is 4)"},
        {{{"method", "n_m"}, {"n", "5"}}, "prune: n 5 is not an integer in 1..m (m is 4)"},
        {{{"method", "n_m"}, {"n", "0"}}, "prune: n 0 is not an integer in 1..m"},
        {{{"method", "n_m"}, {"m", "0"}}, "prune: m 0 is not an integer >= 1"},
        {{{"method", "random"}}, "prune: method random is not one of magnitude, n_m, channels"},
        {{{"method", "channels"}, {"norm", "linf"}}, "prune: norm linf is not one of l1, l2"},
        {{{"method", "channels"}, {"fraction", "2"}}, "prune: fraction 2 is not a number in [0, 1)"},
        {{{"n", "2"}}, "prune: n applies only to method n_m (method is magnitude)"},
        {{{"method", "n_m"}, {"sparsity", "0.5"}}, "prune: sparsity applies only to method magnitude (method is n_m)"},
        {{{"norm", "l1"}}, "prune: norm applies only to method channels (method is magnitude)"},
        {{{"ratio", "0.5"}}, "prune: unknown option 'ratio' (options: method, sparsity, n, m, fraction, norm)"},
    };
    for (const auto& [options, message] : cases) {
        const HostError e = p.check(options);
        BOOST_TEST(e.code == WG_ERR_INVALID_ARGUMENT, message);
        BOOST_TEST(e.message == message);
    }
}

BOOST_AUTO_TEST_CASE(magnitude_zeroes_the_smallest_and_stores_values_plus_a_bitmask) {
    // Half of 6 = 3 smallest |w|: 0.1, -0.2, 1.
    Plugin p;
    const std::vector<float> w{1, -5, 0.1f, 3, -0.2f, 4};
    const Compressed c = compress(p, w, {2, 3}, 0, 1, {});
    BOOST_TEST_REQUIRE(c.status == WG_OK, c.error.message);
    const Result& r = c.result;
    BOOST_TEST(r.calls == 1);
    BOOST_TEST(r.encoding == WG_ENCODING_DENSE);
    BOOST_TEST(r.decode == WG_DECODE_NONE);
    BOOST_TEST(r.compute_dtype == WG_DTYPE_FLOAT32);
    BOOST_TEST(r.sparsity_pattern == WG_SPARSITY_UNSTRUCTURED);
    BOOST_TEST(r.codes_null);
    BOOST_TEST(r.scales.empty());
    BOOST_TEST(r.luts.empty());
    BOOST_TEST(r.decoded == (std::vector<float>{0, -5, 0, 3, 0, 4}), tt::per_element());
    BOOST_TEST(r.storage_bits == 3u * 32 + 6u);  // three fp32 non-zeros + a 6-bit mask
}

BOOST_AUTO_TEST_CASE(two_of_four_along_the_reduction_axis) {
    // MatMul B [K = 8, N = 3]: K (axis 0) is the reduction axis, so each column holds two groups
    // of 4 consecutive rows, and every group keeps its two largest |w|.
    Plugin p;
    std::vector<float> w(24);
    for (int i = 0; i < 24; ++i) w[i] = static_cast<float>(((i * 7) % 24) + 1) * (i % 2 ? -1.0f : 1.0f);
    const Compressed c = compress(p, w, {8, 3}, 1, 0, {{"method", "n_m"}});
    BOOST_TEST_REQUIRE(c.status == WG_OK, c.error.message);
    const Result& r = c.result;
    BOOST_TEST(r.sparsity_pattern == WG_SPARSITY_N_M);
    BOOST_TEST(r.sparsity_n == 2u);
    BOOST_TEST(r.sparsity_m == 4u);
    for (int col = 0; col < 3; ++col) {
        for (int group = 0; group < 2; ++group) {
            std::vector<float> magnitudes;
            int zeros = 0;
            for (int k = 4 * group; k < 4 * group + 4; ++k) {
                magnitudes.push_back(std::fabs(w[k * 3 + col]));
                zeros += r.decoded[k * 3 + col] == 0.0f;
            }
            BOOST_TEST(zeros == 2, "column " << col << " group " << group);
            std::sort(magnitudes.begin(), magnitudes.end());
            for (int k = 4 * group; k < 4 * group + 4; ++k) {
                const float kept = r.decoded[k * 3 + col];
                const bool large = std::fabs(w[k * 3 + col]) >= magnitudes[2];
                BOOST_TEST(kept == (large ? w[k * 3 + col] : 0.0f));
            }
        }
    }
    // 12 kept fp32 weights + a 24-bit mask: 408 bits, what 2-bit positions of the 12 would cost too.
    BOOST_TEST(r.storage_bits == 12u * 32 + 24u);
}

BOOST_AUTO_TEST_CASE(n_m_on_a_conv_weight_uses_its_input_channels) {
    // Conv W [O = 2, I = 4, 1, 1], reduction axis 1: each filter's 4 input weights form a group.
    // {1, -4, 3, 2} keeps -4 and 3; {0.5, 0.1, -0.2, 0.3} keeps 0.5 and 0.3.
    Plugin p;
    const std::vector<float> w{1, -4, 3, 2, 0.5f, 0.1f, -0.2f, 0.3f};
    const Compressed c = compress(p, w, {2, 4, 1, 1}, 0, 1, {{"method", "n_m"}, {"n", "2"}, {"m", "4"}});
    BOOST_TEST_REQUIRE(c.status == WG_OK, c.error.message);
    BOOST_TEST(c.result.decoded == (std::vector<float>{0, -4, 3, 0, 0.5f, 0, 0, 0.3f}), tt::per_element());
    // 1:8 on the same weights along axis 1 is one short group of 4 per filter: keep 1 of each; two
    // fp32 values and an 8-bit mask.
    const Compressed one = compress(p, w, {2, 4, 1, 1}, 0, 1, {{"method", "n_m"}, {"n", "1"}, {"m", "8"}});
    BOOST_TEST_REQUIRE(one.status == WG_OK, one.error.message);
    BOOST_TEST(one.result.decoded == (std::vector<float>{0, -4, 0, 0, 0.5f, 0, 0, 0}), tt::per_element());
    BOOST_TEST(one.result.storage_bits == 2u * 32 + 8u);
}

BOOST_AUTO_TEST_CASE(channels_drop_whole_output_channels_by_norm) {
    // Gemm B with transB = 1: [N = 3, K = 2], output channels on axis 0. 0.4 of 3 rounds to 1.
    // L2 norms 3, 2.83, 10.05 drop channel 1; L1 norms 3, 4, 11 drop channel 0.
    Plugin p;
    const std::vector<float> w{3, 0, 2, 2, 10, 1};
    const Compressed l2 = compress(p, w, {3, 2}, 0, 1, {{"method", "channels"}, {"fraction", "0.4"}});
    BOOST_TEST_REQUIRE(l2.status == WG_OK, l2.error.message);
    BOOST_TEST(l2.result.sparsity_pattern == WG_SPARSITY_CHANNELS);
    BOOST_TEST(l2.result.decoded == (std::vector<float>{3, 0, 0, 0, 10, 1}), tt::per_element());
    // Two kept channels of two fp32 weights, and a 3-bit mask of the channels.
    BOOST_TEST(l2.result.storage_bits == 2u * 2 * 32 + 3u);
    BOOST_TEST(l2.result.param_axis == 0, "the channel axis, for the writer");
    const Compressed l1 =
        compress(p, w, {3, 2}, 0, 1, {{"method", "channels"}, {"fraction", "0.4"}, {"norm", "l1"}});
    BOOST_TEST_REQUIRE(l1.status == WG_OK, l1.error.message);
    BOOST_TEST(l1.result.decoded == (std::vector<float>{0, 0, 2, 2, 10, 1}), tt::per_element());

    // MatMul B [K = 2, N = 3], the same weights transposed: channels are the columns (axis 1).
    const std::vector<float> t{3, 2, 10, 0, 2, 1};
    const Compressed cols = compress(p, t, {2, 3}, 1, 0, {{"method", "channels"}, {"fraction", "0.4"}});
    BOOST_TEST_REQUIRE(cols.status == WG_OK, cols.error.message);
    BOOST_TEST(cols.result.decoded == (std::vector<float>{3, 0, 10, 0, 0, 1}), tt::per_element());
    BOOST_TEST(cols.result.storage_bits == 2u * 2 * 32 + 3u);  // columns 0 and 2, 3 mask bits
    BOOST_TEST(cols.result.param_axis == 1);
}

BOOST_AUTO_TEST_CASE(a_kept_channel_of_zeros_is_not_stored) {
    // fraction 0.1 of 3 channels rounds to 0 removed, but channel 0 holds only zeros: the writer
    // stores channels 1 and 2 (2 x 2 fp32) and the 3-bit channel mask, and so does the count.
    Plugin p;
    const std::vector<float> w{0, 0, 2, 2, 10, 1};
    const Compressed c = compress(p, w, {3, 2}, 0, 1, {{"method", "channels"}, {"fraction", "0.1"}});
    BOOST_TEST_REQUIRE(c.status == WG_OK, c.error.message);
    BOOST_TEST(c.result.decoded == w, tt::per_element());
    BOOST_TEST(c.result.storage_bits == 2u * 2 * 32 + 3u);
}

BOOST_AUTO_TEST_CASE(failures_are_invalid_argument_with_a_message) {
    Plugin p;
    std::vector<float> w{1, -5, 0.1f, 3, -0.2f, 4};
    w[2] = std::numeric_limits<float>::quiet_NaN();
    const Compressed nan = compress(p, w, {2, 3}, 0, 1, {});
    BOOST_TEST(nan.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(nan.result.calls == 0);
    BOOST_TEST(nan.error.message.find("tensor 'W' of op 'gemm0'") == 0u, nan.error.message);
    BOOST_TEST(nan.error.message.find("weight at flat index 2 is not finite") != std::string::npos,
               nan.error.message);

    w[2] = 0.1f;
    const Compressed axis = compress(p, w, {2, 3}, 0, 2, {{"method", "n_m"}});
    BOOST_TEST(axis.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(axis.error.message.find("prune_n_m: axis 2 is out of range") != std::string::npos,
               axis.error.message);

    // compress parses the options with the same rules as check_options.
    const Compressed sparsity = compress(p, w, {2, 3}, 0, 1, {{"sparsity", "1.5"}});
    BOOST_TEST(sparsity.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(sparsity.error.message == "prune: sparsity 1.5 is not a number in [0, 1)");
}
