// The built palettize plugin, loaded with dlopen and driven through the raw C ABI by a minimal fake
// host (set_error and set_compressed only, the latter copying the desc as the engine does), on
// tensors small enough that the optimal look-up tables are known by hand.
#define BOOST_TEST_MODULE palettize_plugin_abi
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


namespace tt = boost::test_tools;

BOOST_AUTO_TEST_CASE(descriptor_names_the_technique_and_its_options) {
    Plugin p;
    BOOST_TEST(p.desc->abi_major == WG_ABI_MAJOR);
    BOOST_TEST(p.desc->abi_minor == WG_ABI_MINOR);
    BOOST_TEST(std::string(p.desc->name) == "palettize");
    BOOST_TEST(std::string(p.desc->version).size() > 0u);
    const wg_optimizer_vtable& vt = p.vt();
    BOOST_TEST(vt.struct_size == sizeof(wg_optimizer_vtable));
    BOOST_TEST(std::string(vt.technique) == "palettize");
    BOOST_TEST(std::string(vt.summary).size() > 0u);
    BOOST_TEST_REQUIRE(vt.option_count == 3u);
    const char* names[] = {"bits", "grouping", "group_size"};
    const char* defaults[] = {"4", "per_tensor", "16"};
    const char* values[] = {"an integer in 1..8", "per_tensor, per_grouped_channel", "an integer >= 1"};
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
    BOOST_TEST(p.check({{"bits", "4"}, {"grouping", "per_tensor"}}).code == WG_OK);
    for (int bits = 1; bits <= 8; ++bits) BOOST_TEST(p.check({{"bits", std::to_string(bits)}}).code == WG_OK);
    BOOST_TEST(p.check({{"grouping", "per_grouped_channel"}}).code == WG_OK);
    BOOST_TEST(p.check({{"grouping", "per_grouped_channel"}, {"group_size", "1"}}).code == WG_OK);
}

BOOST_AUTO_TEST_CASE(check_options_rejects_with_key_value_and_accepted_values) {
    Plugin p;
    const std::vector<std::pair<Options, std::string>> cases = {
        {{{"bits", "0"}}, "palettize: bits 0 is not an integer in 1..8"},
        {{{"bits", "9"}}, "palettize: bits 9 is not an integer in 1..8"},
        {{{"bits", "-1"}}, "palettize: bits -1 is not an integer in 1..8"},
        {{{"bits", "4.5"}}, "palettize: bits 4.5 is not an integer in 1..8"},
        {{{"grouping", "per_channel"}}, "palettize: grouping per_channel is not one of per_tensor, per_grouped_channel"},
        {{{"grouping", "per_grouped_channel"}, {"group_size", "0"}}, "palettize: group_size 0 is not an integer >= 1"},
        {{{"group_size", "8"}},
         "palettize: group_size applies only to grouping per_grouped_channel (grouping is per_tensor)"},
        {{{"lut_dtype", "fp16"}}, "palettize: unknown option 'lut_dtype' (options: bits, grouping, group_size)"},
    };
    for (const auto& [options, message] : cases) {
        const HostError e = p.check(options);
        BOOST_TEST(e.code == WG_ERR_INVALID_ARGUMENT, message);
        BOOST_TEST(e.message == message);
    }
}

BOOST_AUTO_TEST_CASE(one_bit_per_tensor_of_two_clusters) {
    // {0, 0, 1, 1, 10, 10} in two clusters: {0, 0, 1, 1} (mean 0.5) and {10, 10} - the optimum
    // (SSE 1; splitting anywhere else costs more, e.g. {0, 0} | {1, 1, 10, 10} has SSE 81).
    Plugin p;
    const std::vector<float> w{0, 0, 1, 1, 10, 10};
    const Compressed c = compress(p, w, {2, 3}, 0, 1, {{"bits", "1"}});
    BOOST_TEST_REQUIRE(c.status == WG_OK, c.error.message);
    const Result& r = c.result;
    BOOST_TEST(r.calls == 1);
    BOOST_TEST(r.encoding == WG_ENCODING_LUT);
    BOOST_TEST(r.decode == WG_DECODE_LUT);
    BOOST_TEST(r.compute_dtype == WG_DTYPE_FLOAT32);
    BOOST_TEST(r.sparsity_pattern == WG_SPARSITY_NONE);
    BOOST_TEST(r.code_bits == 1u);
    BOOST_TEST(r.param_axis == 0);
    BOOST_TEST(r.block_size == 0);  // one table
    BOOST_TEST(r.lut_count == 1u);
    BOOST_TEST(r.luts == (std::vector<float>{0.5f, 10.0f}), tt::per_element());
    BOOST_TEST(r.codes == (std::vector<int>{0, 0, 0, 0, 1, 1}), tt::per_element());
    BOOST_TEST(r.decoded == (std::vector<float>{0.5f, 0.5f, 0.5f, 0.5f, 10.0f, 10.0f}), tt::per_element());
    BOOST_TEST(r.scales.empty());
    BOOST_TEST(r.zero_points_null);
    BOOST_TEST(r.storage_bits == 1u * 6 + 32u * 2);  // packed indices + fp32 table entries
}

BOOST_AUTO_TEST_CASE(grouped_tables_follow_the_channel_axis) {
    // MatMul B [K = 2, N = 4]: output channels are the columns (axis 1). Two channels per table:
    // columns 0-1 hold {0, 1, 1, 0} -> table {0, 1}; columns 2-3 hold {5, 7, 7, 5} -> {5, 7}.
    Plugin p;
    const std::vector<float> w{0, 1, 5, 7, /* row 1 */ 1, 0, 7, 5};
    const Compressed c =
        compress(p, w, {2, 4}, 1, 0, {{"bits", "1"}, {"grouping", "per_grouped_channel"}, {"group_size", "2"}});
    BOOST_TEST_REQUIRE(c.status == WG_OK, c.error.message);
    const Result& r = c.result;
    BOOST_TEST(r.param_axis == 1);
    BOOST_TEST(r.block_size == 2);
    BOOST_TEST(r.lut_count == 2u);
    BOOST_TEST(r.luts == (std::vector<float>{0, 1, 5, 7}), tt::per_element());
    BOOST_TEST(r.codes == (std::vector<int>{0, 1, 0, 1, 1, 0, 1, 0}), tt::per_element());
    BOOST_TEST(r.decoded == w, tt::per_element());  // two values per table: exact
    BOOST_TEST(r.storage_bits == 1u * 8 + 32u * 4);
}

BOOST_AUTO_TEST_CASE(a_group_larger_than_the_channels_is_one_table) {
    // The default group_size 16 on 4 channels: one table over {0, 1, 5, 7, 1, 0, 7, 5} -> {0.5, 6}.
    Plugin p;
    const std::vector<float> w{0, 1, 5, 7, 1, 0, 7, 5};
    const Compressed c = compress(p, w, {2, 4}, 1, 0, {{"bits", "1"}, {"grouping", "per_grouped_channel"}});
    BOOST_TEST_REQUIRE(c.status == WG_OK, c.error.message);
    BOOST_TEST(c.result.block_size == 4);
    BOOST_TEST(c.result.lut_count == 1u);
    BOOST_TEST(c.result.luts == (std::vector<float>{0.5f, 6.0f}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(eight_bit_indices_travel_as_the_int8_bit_pattern) {
    // 256 distinct values and 256 entries: each value is its own centroid, index i for value i.
    Plugin p;
    std::vector<float> w(256);
    for (int i = 0; i < 256; ++i) w[i] = static_cast<float>(i);
    const Compressed c = compress(p, w, {256}, 0, 0, {{"bits", "8"}});
    BOOST_TEST_REQUIRE(c.status == WG_OK, c.error.message);
    BOOST_TEST_REQUIRE(c.result.codes.size() == 256u);
    for (int i = 0; i < 256; ++i) BOOST_TEST(static_cast<uint8_t>(c.result.codes[i]) == i);
    BOOST_TEST(c.result.codes[200] == -56);
    BOOST_TEST(c.result.luts == w, tt::per_element());
    BOOST_TEST(c.result.decoded == w, tt::per_element());
    BOOST_TEST(c.result.storage_bits == 8u * 256 + 32u * 256);
}

BOOST_AUTO_TEST_CASE(failures_are_invalid_argument_with_a_message) {
    Plugin p;
    std::vector<float> w{0, 0, 1, 1, 10, 10};
    w[3] = std::numeric_limits<float>::quiet_NaN();
    const Compressed nan = compress(p, w, {2, 3}, 0, 1, {});
    BOOST_TEST(nan.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(nan.result.calls == 0);
    BOOST_TEST(nan.error.message.find("tensor 'W' of op 'gemm0'") == 0u, nan.error.message);
    BOOST_TEST(nan.error.message.find("weight 3 is NaN") != std::string::npos, nan.error.message);

    // (A non-null pointer: the SDK refuses a request whose values are NULL before the core sees it.)
    const Compressed empty = compress(p, {0.0f}, {0, 3}, 0, 1, {});
    BOOST_TEST(empty.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(empty.error.message.find("empty tensor") != std::string::npos, empty.error.message);

    w[3] = 1;
    const Compressed axis = compress(p, w, {2, 3}, 2, 1, {{"grouping", "per_grouped_channel"}});
    BOOST_TEST(axis.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(axis.error.message.find("axis 2 out of range for a rank-2 tensor") != std::string::npos,
               axis.error.message);

    // compress parses the options with the same rules as check_options.
    const Compressed bits = compress(p, w, {2, 3}, 0, 1, {{"bits", "9"}});
    BOOST_TEST(bits.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(bits.error.message == "palettize: bits 9 is not an integer in 1..8");
}
