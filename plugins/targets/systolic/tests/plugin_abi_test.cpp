// The built plugin, loaded with dlopen and driven through the raw C ABI by a minimal fake host
// (plan_* and set_error only), on a hand-built graph view: Conv -> Relu -> Softmax. The expected
// numbers are the hand calculations of plan_test.cpp (the same three ops on the edge device).
#define BOOST_TEST_MODULE systolic_plugin_abi
#include <boost/test/unit_test.hpp>

#include <winglet/plugin.h>

#include <dlfcn.h>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace tt = boost::test_tools;

namespace {

// ---- The fake host: errors and the plan land in plain structs behind the opaque handles. -----

struct HostError {
    wg_status code = WG_OK;
    std::string message;
};

struct OpOut {
    std::string unit, reason;
    int64_t group = -2;
    double start_us = 0, latency_us = 0;
    uint32_t bound = 0;
};

struct PlanOut {
    std::vector<std::string> units;
    std::map<uint64_t, OpOut> ops;
    bool has_summary = false;
    double latency_ms = 0, energy_mj = 0;
    uint64_t transitions = 0, unit_count = 0;
    bool fits = false;
};

void set_error(wg_error* err, wg_status code, const char* message) {
    auto* e = reinterpret_cast<HostError*>(err);
    e->code = code;
    e->message = message ? message : "";
}

wg_status add_unit(wg_plan_builder* plan, const wg_unit_desc* u, wg_error*) {
    reinterpret_cast<PlanOut*>(plan)->units.push_back(u->name);
    return WG_OK;
}

wg_status set_op(wg_plan_builder* plan, const wg_op_result* r, wg_error*) {
    reinterpret_cast<PlanOut*>(plan)->ops[r->op_index] = {
        r->unit, r->fallback_reason ? r->fallback_reason : "", r->group, r->start_us,
        r->latency_us, r->bound};
    return WG_OK;
}

wg_status set_summary(wg_plan_builder* plan, const wg_plan_summary* s, wg_error*) {
    auto* p = reinterpret_cast<PlanOut*>(plan);
    p->has_summary = true;
    p->latency_ms = s->latency_ms;
    p->energy_mj = s->energy_mj;
    p->transitions = s->unit_transitions;
    p->unit_count = s->unit_count;
    p->fits = s->fits != 0;
    return WG_OK;
}

wg_host_api make_host(uint16_t minor) {
    wg_host_api a{};
    a.struct_size = sizeof a;
    a.abi_major = WG_ABI_MAJOR;
    a.abi_minor = minor;
    a.host_version = "test";
    a.set_error = &set_error;
    a.plan_add_unit = &add_unit;
    a.plan_set_op = &set_op;
    a.plan_set_summary = &set_summary;
    return a;
}

const wg_host_api kHost = make_host(WG_ABI_MINOR);

class Library {
public:
    Library() {
        const char* path = std::getenv("WINGLET_SYSTOLIC_PLUGIN");
        BOOST_TEST_REQUIRE(path != nullptr, "WINGLET_SYSTOLIC_PLUGIN is set by CTest");
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

// The plugin created through its descriptor, as the engine would.
struct Plugin {
    Library lib;
    const wg_plugin* desc = nullptr;
    void* state = nullptr;
    Plugin() {
        HostError err;
        BOOST_TEST_REQUIRE(lib.entry(&kHost, &desc, reinterpret_cast<wg_error*>(&err)) == WG_OK);
        BOOST_TEST_REQUIRE(desc->kind == WG_KIND_TARGET);
        BOOST_TEST_REQUIRE(desc->create(&kHost, &state, reinterpret_cast<wg_error*>(&err)) == WG_OK);
    }
    ~Plugin() { desc->destroy(state); }
    const wg_target_vtable& vt() const { return *static_cast<const wg_target_vtable*>(desc->vtable); }
};

// ---- Conv -> Relu -> Softmax, as the host would lay it out. ----------------------------------

struct Graph {
    // Values: 0 x [1,64,56,56], 1 w [64,64,3,3] (weight), 2 conv out, 3 relu out, 4 softmax out.
    wg_dim act[4] = {{1, nullptr}, {64, nullptr}, {56, nullptr}, {56, nullptr}};
    wg_dim kernel[4] = {{64, nullptr}, {64, nullptr}, {3, nullptr}, {3, nullptr}};
    wg_value_view values[5];
    wg_op_record records[3];
    int64_t conv_in[2] = {0, 1}, conv_out[1] = {2}, relu_in[1] = {2}, relu_out[1] = {3},
            soft_in[1] = {3}, soft_out[1] = {4};
    wg_attr_desc conv_attrs[1];
    wg_op_view ops[3];
    wg_graph_view view{};

    Graph() {
        const char* names[5] = {"x", "w", "y", "r", "s"};
        const int64_t producers[5] = {-1, -1, 0, 1, 2};
        for (int i = 0; i < 5; ++i) {
            values[i] = wg_value_view{};
            values[i].struct_size = sizeof(wg_value_view);
            values[i].name = names[i];
            values[i].dtype = WG_DTYPE_FLOAT32;
            values[i].shape = {4, i == 1 ? kernel : act};
            values[i].producer = producers[i];
            values[i].bytes = i == 1 ? 147456 : 802816;
        }
        values[1].flags = WG_VALUE_WEIGHT;
        const char* types[3] = {"Conv", "Relu", "Softmax"};
        const uint64_t flops[3] = {2 * 115605504ull, 200704, 3 * 200704};
        for (int i = 0; i < 3; ++i) {
            records[i] = wg_op_record{};
            records[i].struct_size = sizeof(wg_op_record);
            records[i].flags = WG_OP_HAS_COST_RULE;
            records[i].name = types[i];
            records[i].op_type = types[i];
            records[i].flops = flops[i];
            records[i].input_bytes = records[i].output_bytes = 802816;
            records[i].multiplier = 1;
        }
        records[0].weight_bytes = 147456;
        conv_attrs[0] = wg_attr_desc{};
        conv_attrs[0].struct_size = sizeof(wg_attr_desc);
        conv_attrs[0].name = "group";
        conv_attrs[0].type = WG_ATTR_INT;
        conv_attrs[0].i = 1;
        ops[0] = {sizeof(wg_op_view), &records[0], 2, conv_in, 1, conv_out, 1, conv_attrs};
        ops[1] = {sizeof(wg_op_view), &records[1], 1, relu_in, 1, relu_out, 0, nullptr};
        ops[2] = {sizeof(wg_op_view), &records[2], 1, soft_in, 1, soft_out, 0, nullptr};
        view = {sizeof(wg_graph_view), nullptr, 3, sizeof(wg_op_view), ops,
                5, sizeof(wg_value_view), values};
    }
};

// One MatMul, A [batch..., 64, 128] x B [batch..., 128, 256] (B a weight when 2-D).
struct MatMulGraph {
    std::vector<wg_dim> a_dims, b_dims, y_dims;
    wg_value_view values[3];
    wg_op_record record{};
    int64_t in[2] = {0, 1}, out[1] = {2};
    wg_op_view op{};
    wg_graph_view view{};

    explicit MatMulGraph(std::vector<int64_t> batch) {
        for (int64_t b : batch)
            for (auto* dims : {&a_dims, &b_dims, &y_dims}) dims->push_back({b, nullptr});
        a_dims.insert(a_dims.end(), {{64, nullptr}, {128, nullptr}});
        b_dims.insert(b_dims.end(), {{128, nullptr}, {256, nullptr}});
        y_dims.insert(y_dims.end(), {{64, nullptr}, {256, nullptr}});
        const std::vector<wg_dim>* dims[3] = {&a_dims, &b_dims, &y_dims};
        for (int i = 0; i < 3; ++i) {
            values[i] = wg_value_view{};
            values[i].struct_size = sizeof(wg_value_view);
            values[i].dtype = WG_DTYPE_FLOAT32;
            values[i].shape = {static_cast<uint32_t>(dims[i]->size()), dims[i]->data()};
            values[i].producer = i == 2 ? 0 : -1;
        }
        record.struct_size = sizeof record;
        record.op_type = "MatMul";
        record.multiplier = 1;
        if (batch.empty()) record.weight_bytes = 4 * 128 * 256;
        op = {sizeof(wg_op_view), &record, 2, in, 1, out, 0, nullptr};
        view = {sizeof(wg_graph_view), nullptr, 1, sizeof(wg_op_view), &op,
                3, sizeof(wg_value_view), values};
    }
};

struct Compiled {
    wg_status status;
    PlanOut plan;
    HostError error;
};

Compiled compile(const Plugin& p, const char* device, const wg_graph_view& g,
                 std::vector<const char*> keys = {}, std::vector<const char*> vals = {}) {
    wg_compile_request req{};
    req.struct_size = sizeof req;
    req.device_id = device;
    req.graph = &g;
    req.option_count = keys.size();
    req.option_keys = keys.data();
    req.option_values = vals.data();
    Compiled c{};
    c.status = p.vt().compile(p.state, &req, reinterpret_cast<wg_plan_builder*>(&c.plan),
                              reinterpret_cast<wg_error*>(&c.error));
    return c;
}

}  // namespace

BOOST_AUTO_TEST_CASE(devices_are_listed_with_fingerprints) {
    Plugin p;
    BOOST_TEST(p.vt().device_count(p.state) == 3u);
    std::vector<std::string> ids;
    for (uint64_t i = 0; i < 3; ++i) {
        wg_device_info info{};
        info.struct_size = sizeof info;
        HostError err;
        BOOST_TEST_REQUIRE(p.vt().describe_device(p.state, i, &info, reinterpret_cast<wg_error*>(&err)) == WG_OK);
        ids.push_back(info.id);
        BOOST_TEST(std::string(info.fingerprint).rfind("fnv1a64:", 0) == 0u);
        BOOST_TEST(info.source == std::string("built-in"));
    }
    BOOST_TEST(ids[1] == "systolic-edge-32x32");
    wg_device_info info{};
    info.struct_size = sizeof info;
    HostError err;
    BOOST_TEST(p.vt().describe_device(p.state, 3, &info, reinterpret_cast<wg_error*>(&err)) ==
               WG_ERR_INVALID_ARGUMENT);
}

BOOST_AUTO_TEST_CASE(conv_relu_softmax_through_the_c_abi) {
    Plugin p;
    Graph g;
    const Compiled c = compile(p, "systolic-edge-32x32", g.view);
    BOOST_TEST_REQUIRE(c.status == WG_OK, c.error.message);
    BOOST_TEST(c.plan.units == (std::vector<std::string>{"array", "cpu"}));
    BOOST_TEST_REQUIRE(c.plan.ops.size() == 3u);
    BOOST_TEST(c.plan.ops.at(0).unit == "array");
    BOOST_TEST(c.plan.ops.at(1).unit == "array");
    BOOST_TEST(c.plan.ops.at(0).group == 0);
    BOOST_TEST(c.plan.ops.at(1).group == 0);
    BOOST_TEST(c.plan.ops.at(0).bound == WG_BOUND_COMPUTE);
    BOOST_TEST(c.plan.ops.at(2).unit == "cpu");
    BOOST_TEST(c.plan.ops.at(2).group == -1);
    BOOST_TEST(c.plan.ops.at(2).reason ==
               "systolic array runs only Conv/Gemm/MatMul; Softmax runs on the host CPU");
    BOOST_TEST(c.plan.ops.at(0).latency_us == 117.28, tt::tolerance(1e-12));
    BOOST_TEST(c.plan.ops.at(2).latency_us == 311.056, tt::tolerance(1e-12));
    BOOST_TEST_REQUIRE(c.plan.has_summary);
    BOOST_TEST(c.plan.latency_ms == 0.428336, tt::tolerance(1e-12));
    BOOST_TEST(c.plan.energy_mj == 0.72577704704, tt::tolerance(1e-12));
    BOOST_TEST(c.plan.transitions == 1u);
    BOOST_TEST(c.plan.unit_count == 2u);
    BOOST_TEST(c.plan.fits);
}

BOOST_AUTO_TEST_CASE(matmul_lowers_to_the_hand_checked_gemm) {
    // 64x128x256 on the edge array: 5056 cycles = 5.056 us > 4.096 us of DRAM, + 1 us dispatch
    // (cost_model_test.cpp). Batched over 4 with a batched B: 4 GEMMs, 20224 cycles = 20.224 us
    // > 4*32768 B / 8e9 = 16.384 us, + 1 us.
    Plugin p;
    const MatMulGraph plain({}), batched({4});
    const Compiled a = compile(p, "systolic-edge-32x32", plain.view);
    const Compiled b = compile(p, "systolic-edge-32x32", batched.view);
    BOOST_TEST_REQUIRE(a.status == WG_OK, a.error.message);
    BOOST_TEST_REQUIRE(b.status == WG_OK, b.error.message);
    BOOST_TEST(a.plan.ops.at(0).unit == "array");
    BOOST_TEST(a.plan.ops.at(0).group == -1);
    BOOST_TEST(a.plan.ops.at(0).latency_us == 6.056, tt::tolerance(1e-12));
    BOOST_TEST(b.plan.ops.at(0).latency_us == 21.224, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(conv_that_cannot_be_tiled_falls_back_with_the_reason) {
    Plugin p;
    Graph g;
    g.conv_attrs[0].i = 0;  // group 0: no GEMM to map
    const Compiled c = compile(p, "systolic-edge-32x32", g.view);
    BOOST_TEST_REQUIRE(c.status == WG_OK, c.error.message);
    BOOST_TEST(c.plan.ops.at(0).unit == "cpu");
    BOOST_TEST(c.plan.ops.at(0).reason ==
               "Conv: shapes not all known (or group invalid), cannot tile onto the systolic "
               "array; runs on the host CPU");
    BOOST_TEST(c.plan.ops.at(1).unit == "cpu", "Relu after a CPU conv is not fused");
}

BOOST_AUTO_TEST_CASE(the_host_stride_is_honoured) {
    // A newer host's op view is larger than the plugin's: the plugin must index by op_stride.
    struct BigOp {
        wg_op_view op;
        uint64_t added_later;
    };
    Plugin p;
    Graph g;
    BigOp big[3];
    for (int i = 0; i < 3; ++i) big[i] = {g.ops[i], 0xdeadbeef};
    g.view.ops = &big[0].op;
    g.view.op_stride = sizeof(BigOp);
    const Compiled c = compile(p, "systolic-edge-32x32", g.view);
    BOOST_TEST_REQUIRE(c.status == WG_OK, c.error.message);
    BOOST_TEST(c.plan.latency_ms == 0.428336, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(bad_requests_are_errors_with_messages) {
    Plugin p;
    Graph g;
    const Compiled unknown_device = compile(p, "no-such-device", g.view);
    BOOST_TEST(unknown_device.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(unknown_device.error.message == "systolic: no device 'no-such-device'");

    const Compiled bad_option = compile(p, "systolic-edge-32x32", g.view, {"batch"}, {"2"});
    BOOST_TEST(bad_option.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(bad_option.error.message.find("unknown option 'batch'") != std::string::npos);

    const Compiled fp16_on_tpu = compile(p, "systolic-tpu-v1", g.view, {"dtype"}, {"fp16"});
    BOOST_TEST(fp16_on_tpu.status == WG_ERR_UNSUPPORTED);

    const Compiled fp16_on_edge = compile(p, "systolic-edge-32x32", g.view, {"dtype"}, {"fp16"});
    BOOST_TEST(fp16_on_edge.status == WG_OK);

    g.view.op_stride = 8;  // smaller than any wg_op_view
    const Compiled malformed = compile(p, "systolic-edge-32x32", g.view);
    BOOST_TEST(malformed.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(malformed.error.message.find("malformed graph view") == 0u);
}

BOOST_AUTO_TEST_CASE(a_host_older_than_abi_1_1_is_refused) {
    Library lib;
    const wg_host_api old_host = make_host(0);
    const wg_plugin* desc = nullptr;
    HostError err;
    BOOST_TEST(lib.entry(&old_host, &desc, reinterpret_cast<wg_error*>(&err)) == WG_ERR_UNSUPPORTED);
    BOOST_TEST(desc == nullptr);
    BOOST_TEST(err.message ==
               "target plugins need host ABI 1.1 or newer, host speaks 1.0");
}
