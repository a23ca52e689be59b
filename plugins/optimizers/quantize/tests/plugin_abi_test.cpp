// The built quantize plugin, loaded with dlopen and driven through the raw C ABI by a minimal fake
// host (set_error and set_compressed only, the latter copying the desc as the engine does), on
// tensors small enough to work out by hand.
#define BOOST_TEST_MODULE quantize_plugin_abi
#include <boost/test/unit_test.hpp>

#include <winglet/plugin.h>

#include <dlfcn.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "optimizer_abi_harness.hpp"


BOOST_AUTO_TEST_CASE(descriptor_names_the_technique_and_its_options) {
    Plugin p;
    BOOST_TEST(p.desc->abi_major == WG_ABI_MAJOR);
    BOOST_TEST(p.desc->abi_minor == WG_ABI_MINOR);
    BOOST_TEST(std::string(p.desc->name) == "quantize");
    BOOST_TEST(std::string(p.desc->version).size() > 0u);
    const wg_optimizer_vtable& vt = p.vt();
    BOOST_TEST(vt.struct_size == sizeof(wg_optimizer_vtable));
    BOOST_TEST(std::string(vt.technique) == "quantize");
    BOOST_TEST(std::string(vt.summary).size() > 0u);
    BOOST_TEST_REQUIRE(vt.option_count == 5u);
    const char* names[] = {"bits", "symmetric", "granularity", "block_size", "activations"};
    const char* defaults[] = {"8", "true", "per_channel", "32", "fp"};
    const char* values[] = {"8, 4, 2", "true, false", "per_tensor, per_channel, per_block", "an integer >= 1",
                            "fp, int8"};
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
    const Options defaults{{"bits", "8"}, {"symmetric", "true"}, {"granularity", "per_channel"}, {"activations", "fp"}};
    BOOST_TEST(p.check(defaults).code == WG_OK);
    for (const char* bits : {"8", "4", "2"}) BOOST_TEST(p.check({{"bits", bits}}).code == WG_OK);
    BOOST_TEST(p.check({{"symmetric", "false"}, {"granularity", "per_tensor"}, {"activations", "int8"}}).code == WG_OK);
    BOOST_TEST(p.check({{"granularity", "per_block"}, {"block_size", "128"}}).code == WG_OK);
    BOOST_TEST(p.check({{"granularity", "per_block"}, {"block_size", "1"}}).code == WG_OK);
}

BOOST_AUTO_TEST_CASE(check_options_rejects_with_key_value_and_accepted_values) {
    Plugin p;
    const std::vector<std::pair<Options, std::string>> cases = {
        {{{"bits", "9"}}, "quantize: bits 9 is not one of 8, 4, 2"},
        {{{"bits", "3"}}, "quantize: bits 3 is not one of 8, 4, 2"},
        {{{"bits", "int8"}}, "quantize: bits int8 is not one of 8, 4, 2"},
        {{{"symmetric", "yes"}}, "quantize: symmetric yes is not one of true, false"},
        {{{"granularity", "per_row"}}, "quantize: granularity per_row is not one of per_tensor, per_channel, per_block"},
        {{{"granularity", "per_block"}, {"block_size", "0"}}, "quantize: block_size 0 is not an integer >= 1"},
        {{{"granularity", "per_block"}, {"block_size", "-4"}}, "quantize: block_size -4 is not an integer >= 1"},
        {{{"granularity", "per_block"}, {"block_size", "32x"}}, "quantize: block_size 32x is not an integer >= 1"},
        {{{"activations", "int4"}}, "quantize: activations int4 is not one of fp, int8"},
        {{{"block_size", "64"}}, "quantize: block_size applies only to granularity per_block (granularity is per_channel)"},
        {{{"bitz", "8"}},
         "quantize: unknown option 'bitz' (options: bits, symmetric, granularity, block_size, activations)"},
    };
    for (const auto& [options, message] : cases) {
        const HostError e = p.check(options);
        BOOST_TEST(e.code == WG_ERR_INVALID_ARGUMENT, message);
        BOOST_TEST(e.message == message);
    }
}

BOOST_AUTO_TEST_CASE(int8_symmetric_per_channel_of_a_2x3_matrix) {
    // Gemm B with transB = 1: [N = 2, K = 3], output channels on axis 0.
    // Row 0: max|w| = 1.27 -> scale 1.27/127 (~0.01); 0.6/0.01 = 60, -1.27 -> -127, 0.3/0.01 = 30.
    // Row 1: max|w| = 2 -> scale 2/127 = 0.015748; 2 -> 127, -0.5/s = -31.75 -> -32, 0.25/s = 15.875 -> 16.
    Plugin p;
    const std::vector<float> w{0.6f, -1.27f, 0.3f, 2.0f, -0.5f, 0.25f};
    const Compressed c = compress(p, w, {2, 3}, 0, 1, {});
    BOOST_TEST_REQUIRE(c.status == WG_OK, c.error.message);
    const Result& r = c.result;
    BOOST_TEST(r.calls == 1);
    BOOST_TEST(r.encoding == WG_ENCODING_LINEAR);
    BOOST_TEST(r.code_bits == 8u);
    BOOST_TEST(r.decode == WG_DECODE_DEQUANTIZE);
    BOOST_TEST(r.compute_dtype == WG_DTYPE_INT8);
    BOOST_TEST(r.sparsity_pattern == WG_SPARSITY_NONE);
    BOOST_TEST(r.param_axis == 0);
    BOOST_TEST(r.block_size == 0);
    BOOST_TEST(r.param_dims == (std::vector<int64_t>{2}), boost::test_tools::per_element());
    const std::vector<float> scales{1.27f / 127.0f, 2.0f / 127.0f};
    BOOST_TEST(r.scales == scales, boost::test_tools::per_element());
    BOOST_TEST(r.zero_points_null);
    BOOST_TEST(r.zero_points.empty());
    const std::vector<int> codes{60, -127, 30, 127, -32, 16};
    BOOST_TEST(r.codes == codes, boost::test_tools::per_element());
    for (size_t i = 0; i < w.size(); ++i)
        BOOST_TEST(r.decoded[i] == static_cast<float>(codes[i]) * scales[i / 3]);
    BOOST_TEST(r.storage_bits == 8u * 6 + 32u * 2);  // codes + two fp32 scales, no zero points
}

BOOST_AUTO_TEST_CASE(per_channel_follows_the_channel_axis) {
    // MatMul B [K = 3, N = 2]: output channels on axis 1, so each column gets its scale.
    Plugin p;
    const std::vector<float> w{0.6f, 2.0f, -1.27f, -0.5f, 0.3f, 0.25f};
    const Compressed c = compress(p, w, {3, 2}, 1, 0, {});
    BOOST_TEST_REQUIRE(c.status == WG_OK, c.error.message);
    BOOST_TEST(c.result.param_axis == 1);
    BOOST_TEST(c.result.param_dims == (std::vector<int64_t>{2}), boost::test_tools::per_element());
    BOOST_TEST(c.result.scales == (std::vector<float>{1.27f / 127.0f, 2.0f / 127.0f}), boost::test_tools::per_element());
    BOOST_TEST(c.result.codes == (std::vector<int>{60, 127, -127, -32, 30, 16}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(per_block_splits_the_reduction_axis) {
    // [N = 2, K = 5] with K on axis 1, blocks of 2 along K: ceil(5/2) = 3 blocks per row, the last
    // one a single weight. Scales are [2, 3] (ONNX blocked layout), 4-bit symmetric (qmax 7).
    Plugin p;
    const std::vector<float> w{7, -3.5f, 14, 1, -0.7f, /* row 1 */ 0, 0, 2, 0.5f, 5};
    const Compressed c =
        compress(p, w, {2, 5}, 0, 1, {{"bits", "4"}, {"granularity", "per_block"}, {"block_size", "2"}});
    BOOST_TEST_REQUIRE(c.status == WG_OK, c.error.message);
    const Result& r = c.result;
    BOOST_TEST(r.code_bits == 4u);
    BOOST_TEST(r.compute_dtype == WG_DTYPE_FLOAT32);  // int4 codes are decoded before compute
    BOOST_TEST(r.param_axis == 1);
    BOOST_TEST(r.block_size == 2);
    BOOST_TEST(r.param_dims == (std::vector<int64_t>{2, 3}), boost::test_tools::per_element());
    // Blocks: {7, -3.5} -> 1, {14, 1} -> 2, {-0.7} -> 0.1; {0, 0} -> 1 (all zero), {2, 0.5} -> 2/7, {5} -> 5/7.
    const std::vector<float> scales{1.0f, 2.0f, 0.7f / 7.0f, 1.0f, 2.0f / 7.0f, 5.0f / 7.0f};
    BOOST_TEST(r.scales == scales, boost::test_tools::per_element());
    // -3.5 / 1 = -3.5 -> -4 (half to even); 1 / 2 = 0.5 -> 0 (half to even); 0.5 / (2/7) = 1.75 -> 2.
    BOOST_TEST(r.codes == (std::vector<int>{7, -4, 7, 0, -7, 0, 0, 7, 2, 7}), boost::test_tools::per_element());
    BOOST_TEST(r.storage_bits == 4u * 10 + 32u * 6);
}

BOOST_AUTO_TEST_CASE(asymmetric_per_tensor_carries_zero_points) {
    // [0, 2.55] on 8 bits asymmetric: scale 2.55/255 = 0.01, zero point -128 - 0/0.01 = -128.
    Plugin p;
    const std::vector<float> w{0.0f, 1.0f, 2.55f, 0.5f};
    const Compressed c = compress(p, w, {2, 2}, 0, 1, {{"symmetric", "false"}, {"granularity", "per_tensor"}});
    BOOST_TEST_REQUIRE(c.status == WG_OK, c.error.message);
    const Result& r = c.result;
    BOOST_TEST(r.param_axis == -1);
    BOOST_TEST(r.block_size == 0);
    BOOST_TEST(r.param_dims.empty());  // a scalar
    BOOST_TEST_REQUIRE(r.scales.size() == 1u);
    BOOST_TEST(r.scales[0] == static_cast<float>(2.55f / 255.0));
    BOOST_TEST_REQUIRE(!r.zero_points_null);
    BOOST_TEST(r.zero_points == (std::vector<int>{-128}), boost::test_tools::per_element());
    BOOST_TEST(r.codes.front() == -128);
    BOOST_TEST(r.codes[2] == 127);
    BOOST_TEST(r.compute_dtype == WG_DTYPE_INT8);
    BOOST_TEST(r.storage_bits == 8u * 4 + 32u + 8u);  // codes, one scale, one zero point
}

BOOST_AUTO_TEST_CASE(activations_int8_is_accepted_and_leaves_the_weights_alone) {
    Plugin p;
    const std::vector<float> w{0.6f, -1.27f, 0.3f, 2.0f, -0.5f, 0.25f};
    const Compressed a = compress(p, w, {2, 3}, 0, 1, {});
    const Compressed b = compress(p, w, {2, 3}, 0, 1, {{"activations", "int8"}});
    BOOST_TEST_REQUIRE(b.status == WG_OK, b.error.message);
    BOOST_TEST(a.result.codes == b.result.codes, boost::test_tools::per_element());
    BOOST_TEST(a.result.storage_bits == b.result.storage_bits);
}

BOOST_AUTO_TEST_CASE(failures_are_invalid_argument_with_a_message) {
    Plugin p;
    std::vector<float> w{0.6f, -1.27f, 0.3f, 2.0f, -0.5f, 0.25f};
    w[4] = std::numeric_limits<float>::quiet_NaN();
    const Compressed nan = compress(p, w, {2, 3}, 0, 1, {});
    BOOST_TEST(nan.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(nan.result.calls == 0);
    BOOST_TEST(nan.error.message.find("tensor 'W' of op 'gemm0'") == 0u, nan.error.message);
    BOOST_TEST(nan.error.message.find("weight at flat index 4 is not finite") != std::string::npos,
               nan.error.message);

    w[4] = -0.5f;
    const Compressed axis = compress(p, w, {2, 3}, 2, 1, {});
    BOOST_TEST(axis.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(axis.error.message.find("axis 2 is out of range for a rank-2 tensor") != std::string::npos,
               axis.error.message);

    // compress parses the options with the same rules as check_options.
    const Compressed bits = compress(p, w, {2, 3}, 0, 1, {{"bits", "9"}});
    BOOST_TEST(bits.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(bits.error.message == "quantize: bits 9 is not one of 8, 4, 2");
}
