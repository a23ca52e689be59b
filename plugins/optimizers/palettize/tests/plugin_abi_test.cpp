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

namespace {

// ---- The fake host: errors and the compressed tensor land in plain structs. -------------------

struct HostError {
    wg_status code = WG_OK;
    std::string message;
};

// A deep copy of one wg_compressed_desc, as the host keeps it after compress returns.
struct Result {
    uint64_t element_count = 0;  // set by the test before compress
    int calls = 0;
    std::vector<float> decoded;
    uint64_t storage_bits = 0;
    wg_dtype compute_dtype = 0;
    uint32_t decode = 0, sparsity_pattern = 0, sparsity_n = 0, sparsity_m = 0;
    uint32_t encoding = 0, code_bits = 0;
    bool codes_null = true, zero_points_null = true;
    std::vector<int> codes;
    int32_t param_axis = -2;
    int64_t block_size = -1;
    std::vector<int64_t> param_dims;
    std::vector<float> scales;
    std::vector<int> zero_points;
    uint64_t lut_count = 0;
    std::vector<float> luts;
};

void set_error(wg_error* err, wg_status code, const char* message) {
    auto* e = reinterpret_cast<HostError*>(err);
    e->code = code;
    e->message = message ? message : "";
}

wg_status set_compressed(wg_compress_result* result, const wg_compressed_desc* d, wg_error* err) {
    auto* r = reinterpret_cast<Result*>(result);
    ++r->calls;
    // The checks the engine documents: decoded present and finite, codes within code_bits.
    if (!d || !d->decoded) {
        set_error(err, WG_ERR_INVALID_ARGUMENT, "no decoded values");
        return WG_ERR_INVALID_ARGUMENT;
    }
    r->decoded.assign(d->decoded, d->decoded + r->element_count);
    for (float v : r->decoded)
        if (!std::isfinite(v)) {
            set_error(err, WG_ERR_INVALID_ARGUMENT, "non-finite decoded value");
            return WG_ERR_INVALID_ARGUMENT;
        }
    r->storage_bits = d->storage_bits;
    r->compute_dtype = d->compute_dtype;
    r->decode = d->decode;
    r->sparsity_pattern = d->sparsity_pattern;
    r->sparsity_n = d->sparsity_n;
    r->sparsity_m = d->sparsity_m;
    r->encoding = d->encoding;
    r->code_bits = d->code_bits;
    r->codes_null = d->codes == nullptr;
    if (d->codes) r->codes.assign(d->codes, d->codes + r->element_count);
    // LINEAR codes are signed, LUT indices are the uint8 with the code's bit pattern.
    const bool lut = d->encoding == WG_ENCODING_LUT;
    const int bits = static_cast<int>(d->code_bits);
    for (int c : r->codes) {
        const int v = lut ? static_cast<int>(static_cast<uint8_t>(c)) : c;
        const bool ok = lut ? v < (1 << bits) : v >= -(1 << (bits - 1)) && v < (1 << (bits - 1));
        if (!ok) {
            set_error(err, WG_ERR_INVALID_ARGUMENT, "code outside code_bits");
            return WG_ERR_INVALID_ARGUMENT;
        }
    }
    r->param_axis = d->param_axis;
    r->block_size = d->block_size;
    r->param_dims.assign(d->param_dims, d->param_dims + d->param_rank);
    uint64_t params = 1;
    for (int64_t p : r->param_dims) params *= static_cast<uint64_t>(p);
    if (d->scales) r->scales.assign(d->scales, d->scales + params);
    r->zero_points_null = d->zero_points == nullptr;
    if (d->zero_points) r->zero_points.assign(d->zero_points, d->zero_points + params);
    r->lut_count = d->lut_count;
    if (d->luts) r->luts.assign(d->luts, d->luts + (d->lut_count << d->code_bits));
    return WG_OK;
}

wg_host_api make_host(uint16_t minor) {
    wg_host_api a{};
    a.struct_size = sizeof a;
    a.abi_major = WG_ABI_MAJOR;
    a.abi_minor = minor;
    a.host_version = "test";
    a.set_error = &set_error;
    a.set_compressed = &set_compressed;
    return a;
}

const wg_host_api kHost = make_host(WG_ABI_MINOR);

class Library {
public:
    Library() {
        const char* path = std::getenv("WINGLET_PALETTIZE_PLUGIN");
        BOOST_TEST_REQUIRE(path != nullptr, "WINGLET_PALETTIZE_PLUGIN is set by CTest");
        lib_ = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        BOOST_TEST_REQUIRE(lib_ != nullptr, dlerror());
        entry = reinterpret_cast<wg_entry_fn>(dlsym(lib_, WG_ENTRY_SYMBOL));
        BOOST_TEST_REQUIRE(entry != nullptr);
    }
    ~Library() { dlclose(lib_); }
    Library(const Library&) = delete;
    Library& operator=(const Library&) = delete;
    wg_entry_fn entry = nullptr;

private:
    void* lib_ = nullptr;
};

using Options = std::vector<std::pair<std::string, std::string>>;

// The plugin created through its descriptor, as the engine would.
struct Plugin {
    Library lib;
    const wg_plugin* desc = nullptr;
    void* state = nullptr;
    Plugin() {
        HostError err;
        BOOST_TEST_REQUIRE(lib.entry(&kHost, &desc, reinterpret_cast<wg_error*>(&err)) == WG_OK);
        BOOST_TEST_REQUIRE(desc->kind == WG_KIND_OPTIMIZER);
        BOOST_TEST_REQUIRE(desc->create(&kHost, &state, reinterpret_cast<wg_error*>(&err)) == WG_OK);
    }
    ~Plugin() { desc->destroy(state); }
    const wg_optimizer_vtable& vt() const { return *static_cast<const wg_optimizer_vtable*>(desc->vtable); }

    HostError check(const Options& options) const {
        std::vector<const char*> keys, values;
        for (const auto& [k, v] : options) {
            keys.push_back(k.c_str());
            values.push_back(v.c_str());
        }
        HostError err;
        err.code = vt().check_options(state, keys.size(), keys.data(), values.data(),
                                      reinterpret_cast<wg_error*>(&err));
        return err;
    }
};

struct Compressed {
    wg_status status = WG_OK;
    HostError error;
    Result result;
};

// One weight tensor through compress, with the axes the engine would send.
Compressed compress(const Plugin& p, const std::vector<float>& values, const std::vector<int64_t>& dims,
                    int channel_axis, int reduction_axis, const Options& options) {
    std::vector<const char*> keys, vals;
    for (const auto& [k, v] : options) {
        keys.push_back(k.c_str());
        vals.push_back(v.c_str());
    }
    wg_compress_request req{};
    req.struct_size = sizeof req;
    req.tensor_name = "W";
    req.op_name = "gemm0";
    req.op_type = "Gemm";
    req.rank = static_cast<uint32_t>(dims.size());
    req.dims = dims.data();
    req.values = values.data();
    req.channel_axis = channel_axis;
    req.reduction_axis = reduction_axis;
    req.option_count = keys.size();
    req.option_keys = keys.data();
    req.option_values = vals.data();
    Compressed c;
    c.result.element_count = values.size();
    c.status = p.vt().compress(p.state, &req, reinterpret_cast<wg_compress_result*>(&c.result),
                               reinterpret_cast<wg_error*>(&c.error));
    return c;
}

}  // namespace

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
    BOOST_TEST(r.storage_bits == 1u * 6 + 16u * 2);  // packed indices + fp16 table entries
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
    BOOST_TEST(r.storage_bits == 1u * 8 + 16u * 4);
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
    BOOST_TEST(c.result.storage_bits == 8u * 256 + 16u * 256);
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

BOOST_AUTO_TEST_CASE(a_host_older_than_abi_1_2_is_refused) {
    Library lib;
    const wg_host_api old_host = make_host(1);
    const wg_plugin* desc = nullptr;
    HostError err;
    BOOST_TEST(lib.entry(&old_host, &desc, reinterpret_cast<wg_error*>(&err)) == WG_ERR_UNSUPPORTED);
    BOOST_TEST(desc == nullptr);
    BOOST_TEST(err.message == "optimizer plugins need host ABI 1.2 or newer, host speaks 1.1");
}
