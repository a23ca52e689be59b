// Shared by the optimizer plugins' ABI tests (and one test case they all run): the built plugin, loaded
// with dlopen from $WINGLET_OPTIMIZER_PLUGIN and driven through the raw C ABI by a minimal fake host
// (set_error and set_compressed only, the latter copying the desc as the engine does).
#pragma once

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
        const char* path = std::getenv("WINGLET_OPTIMIZER_PLUGIN");
        BOOST_TEST_REQUIRE(path != nullptr, "WINGLET_OPTIMIZER_PLUGIN is set by CTest");
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

// Every optimizer needs set_compressed, which appeared in 1.2: an older host is refused at entry.
BOOST_AUTO_TEST_CASE(a_host_older_than_abi_1_2_is_refused) {
    Library lib;
    const wg_host_api old_host = make_host(1);
    const wg_plugin* desc = nullptr;
    HostError err;
    BOOST_TEST(lib.entry(&old_host, &desc, reinterpret_cast<wg_error*>(&err)) == WG_ERR_UNSUPPORTED);
    BOOST_TEST(desc == nullptr);
    BOOST_TEST(err.message == "optimizer plugins need host ABI 1.2 or newer, host speaks 1.1");
}
