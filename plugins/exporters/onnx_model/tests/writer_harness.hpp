// The test harness of the onnx-model writer: the built plugin, loaded with dlopen and driven through
// the raw C ABI by a small fake host (sink_write appends to a string, set_error records the
// message, log keeps the warnings); edits that own their arrays; tiny source models built with the
// ONNX protobuf API; and the checks every written model gets (libonnx's checker, strict shape
// inference, and the reference interpreter of decode_interpreter.hpp, compared bit for bit with
// the edit's `decoded`).
//
// When WINGLET_ONNX_MODEL_WRITE_DIR is set (by CTest), every written model is saved there as
// <test name>[_<n>].onnx for check_with_onnx.py (onnx.checker full_check in Python), beside
// <...>.reference.onnx: the same edits written DENSE (the decoded values as plain weights), which
// tests/onnxruntime/compare_models.mjs runs against it in ONNX Runtime.
#pragma once

#include <boost/test/unit_test.hpp>

#include <winglet/plugin.h>

#include "decode_interpreter.hpp"
#include "onnx/checker.h"
#include "onnx/defs/schema.h"
#include "onnx/onnx_pb.h"
#include "onnx/shape_inference/implementation.h"

#include <dlfcn.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace writer_test {

using decode_test::attr_int;
using decode_test::count_of;
using decode_test::dims_of;
using onnx::TensorProto;

// ---- The fake host ------------------------------------------------------------------------------

struct HostError {
    wg_status code = WG_OK;
    std::string message;
};

inline void set_error(wg_error* err, wg_status code, const char* message) {
    auto* e = reinterpret_cast<HostError*>(err);
    e->code = code;
    e->message = message ? message : "";
}

inline wg_status sink_write(wg_sink* sink, const void* data, uint64_t size, wg_error*) {
    reinterpret_cast<std::string*>(sink)->append(static_cast<const char*>(data), size);
    return WG_OK;
}

// Warnings the plugin logged since the last write().
inline std::vector<std::string>& logged_warnings() {
    static std::vector<std::string> warnings;
    return warnings;
}

inline void log_message(wg_log_level level, const char*, const char* message) {
    if (level == WG_LOG_WARN) logged_warnings().push_back(message ? message : "");
}

inline wg_host_api make_host() {
    wg_host_api a{};
    a.struct_size = sizeof a;
    a.abi_major = WG_ABI_MAJOR;
    a.abi_minor = WG_ABI_MINOR;
    a.host_version = "test";
    a.log = &log_message;
    a.set_error = &set_error;
    a.sink_write = &sink_write;
    return a;
}

inline const wg_host_api kHost = make_host();

class Library {
public:
    Library() {
        const char* path = std::getenv("WINGLET_ONNX_MODEL_PLUGIN");
        BOOST_TEST_REQUIRE(path != nullptr, "WINGLET_ONNX_MODEL_PLUGIN is set by CTest");
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

struct Plugin {
    Library lib;
    const wg_plugin* desc = nullptr;
    void* state = nullptr;
    Plugin() {
        HostError err;
        BOOST_TEST_REQUIRE(lib.entry(&kHost, &desc, reinterpret_cast<wg_error*>(&err)) == WG_OK);
        BOOST_TEST_REQUIRE(desc->kind == WG_KIND_EXPORTER);
        BOOST_TEST_REQUIRE(desc->create(&kHost, &state, reinterpret_cast<wg_error*>(&err)) == WG_OK);
    }
    ~Plugin() { desc->destroy(state); }
    const wg_exporter_vtable& vt() const { return *static_cast<const wg_exporter_vtable*>(desc->vtable); }
};

// ---- Edits, owning their arrays ------------------------------------------------------------------

struct Edit {
    std::string name;
    std::vector<int64_t> dims;
    wg_dtype original_dtype = WG_DTYPE_FLOAT32;
    uint32_t encoding = WG_ENCODING_DENSE;
    uint32_t sparsity = WG_SPARSITY_NONE;
    uint32_t bits = 0;
    std::vector<float> decoded;
    std::vector<int8_t> codes;
    int32_t param_axis = -1;
    int64_t block_size = 0;
    std::vector<int64_t> param_dims;
    std::vector<float> scales;
    std::vector<int8_t> zero_points;  // empty: NULL
    uint64_t lut_count = 0;
    std::vector<float> luts;

    wg_compressed_desc desc{};
    wg_tensor_edit edit{};

    const wg_tensor_edit* c() {
        desc = wg_compressed_desc{};
        desc.struct_size = sizeof desc;
        desc.decoded = decoded.data();
        desc.storage_bits = 1;
        desc.compute_dtype = WG_DTYPE_FLOAT32;
        desc.encoding = encoding;
        desc.sparsity_pattern = sparsity;
        desc.code_bits = bits;
        desc.codes = codes.empty() ? nullptr : codes.data();
        desc.param_axis = param_axis;
        desc.block_size = block_size;
        desc.param_rank = static_cast<uint32_t>(param_dims.size());
        desc.param_dims = param_dims.empty() ? nullptr : param_dims.data();
        desc.scales = scales.empty() ? nullptr : scales.data();
        desc.zero_points = zero_points.empty() ? nullptr : zero_points.data();
        desc.lut_count = lut_count;
        desc.luts = luts.empty() ? nullptr : luts.data();
        edit = wg_tensor_edit{};
        edit.struct_size = sizeof edit;
        edit.name = name.c_str();
        edit.technique = "test";
        edit.rank = static_cast<uint32_t>(dims.size());
        edit.dims = dims.data();
        edit.original_dtype = original_dtype;
        edit.compressed = &desc;
        return &edit;
    }
};

// Index of element `i` (row-major over `dims`) along `axis`.
inline int64_t coord(int64_t i, const std::vector<int64_t>& dims, int axis) {
    int64_t inner = 1;
    for (size_t d = static_cast<size_t>(axis) + 1; d < dims.size(); ++d) inner *= dims[d];
    return i / inner % dims[static_cast<size_t>(axis)];
}

// A LINEAR edit of W[4,3]: codes given, `decoded` = (float)(code - zp) * scale in float32, with the
// scale and zero point of each element chosen by `param_of(i)` (an index into scales).
inline Edit linear(const std::string& name, const std::vector<int64_t>& dims, uint32_t bits, std::vector<int8_t> codes,
            int32_t axis, int64_t block, std::vector<int64_t> param_dims, std::vector<float> scales,
            std::vector<int8_t> zero_points, const std::function<int64_t(int64_t)>& param_of) {
    Edit e;
    e.name = name;
    e.dims = dims;
    e.encoding = WG_ENCODING_LINEAR;
    e.bits = bits;
    e.codes = std::move(codes);
    e.param_axis = axis;
    e.block_size = block;
    e.param_dims = std::move(param_dims);
    e.scales = std::move(scales);
    e.zero_points = std::move(zero_points);
    for (int64_t i = 0; i < count_of(dims); ++i) {
        const int64_t p = param_of(i);
        const int32_t zp = e.zero_points.empty() ? 0 : e.zero_points[static_cast<size_t>(p)];
        e.decoded.push_back(static_cast<float>(static_cast<int32_t>(e.codes[static_cast<size_t>(i)]) - zp) *
                            e.scales[static_cast<size_t>(p)]);
    }
    return e;
}

// ---- Source models -------------------------------------------------------------------------------

inline const std::vector<float> kW = {0.11f, -0.52f, 0.33f, 0.9f, -0.07f, 0.25f, -0.61f, 0.48f, 0.02f, 0.75f, -0.3f, -0.99f};
inline const std::vector<float> kB = {0.1f, 0.2f, 0.3f};

inline TensorProto float_tensor(const std::string& name, const std::vector<int64_t>& dims, const std::vector<float>& v) {
    TensorProto t;
    t.set_name(name);
    t.set_data_type(TensorProto::FLOAT);
    for (int64_t d : dims) t.add_dims(d);
    for (float x : v) t.add_float_data(x);
    return t;
}

inline onnx::ValueInfoProto value_info(const std::string& name, const std::vector<int64_t>& dims,
                                int32_t dtype = TensorProto::FLOAT) {
    onnx::ValueInfoProto v;
    v.set_name(name);
    auto* t = v.mutable_type()->mutable_tensor_type();
    t->set_elem_type(dtype);
    for (int64_t d : dims) t->mutable_shape()->add_dim()->set_dim_value(d);
    return v;
}

struct ModelOptions {
    int64_t opset = 13;
    int64_t ir = 7;
    bool constant_weight = false;  // W as the output of a Constant node, not an initializer
    bool weights_in_inputs = false;  // IR 3 style: initializers listed in graph.input
    int32_t weight_dtype = TensorProto::FLOAT;
    int64_t rows = 4, cols = 3;  // W's dims; other than 4x3, W and B repeat kW and kB
};

// X[1,4] -> MatMul(W[4,3]) -> Add(B[3]) -> Y[1,3]
inline onnx::ModelProto source_model(const ModelOptions& o = {}) {
    onnx::ModelProto m;
    m.set_ir_version(o.ir);
    m.set_producer_name("test-builder");
    m.set_producer_version("1.0");
    auto* op = m.add_opset_import();
    op->set_domain("");
    op->set_version(o.opset);
    auto* kv = m.add_metadata_props();
    kv->set_key("author");
    kv->set_value("tests");
    onnx::GraphProto* g = m.mutable_graph();
    g->set_name("tiny");
    *g->add_input() = value_info("X", {1, o.rows}, o.weight_dtype);
    *g->add_output() = value_info("Y", {1, o.cols}, o.weight_dtype);
    std::vector<float> wv, bv;
    for (int64_t i = 0; i < o.rows * o.cols; ++i) wv.push_back(kW[static_cast<size_t>(i) % kW.size()]);
    for (int64_t i = 0; i < o.cols; ++i) bv.push_back(kB[static_cast<size_t>(i) % kB.size()]);
    TensorProto w = float_tensor("W", {o.rows, o.cols}, wv);
    TensorProto b = float_tensor("B", {o.cols}, bv);
    if (o.weight_dtype == TensorProto::FLOAT16) {
        // 0x3c00 (1.0) everywhere: the values do not matter, the dtype does.
        for (TensorProto* t : {&w, &b}) {
            t->set_data_type(TensorProto::FLOAT16);
            const int n = t->float_data_size();
            t->clear_float_data();
            for (int i = 0; i < n; ++i) t->add_int32_data(0x3c00);
        }
    }
    if (o.constant_weight) {
        onnx::NodeProto* c = g->add_node();
        c->set_op_type("Constant");
        c->set_name("W_const");
        c->add_output("W");
        auto* a = c->add_attribute();
        a->set_name("value");
        a->set_type(onnx::AttributeProto::TENSOR);
        *a->mutable_t() = w;
    } else {
        *g->add_initializer() = w;
    }
    *g->add_initializer() = b;
    if (o.weights_in_inputs) {
        *g->add_input() = value_info("W", {o.rows, o.cols}, o.weight_dtype);
        *g->add_input() = value_info("B", {o.cols}, o.weight_dtype);
    }
    onnx::NodeProto* mm = g->add_node();
    mm->set_op_type("MatMul");
    mm->set_name("mm");
    mm->add_input("X");
    mm->add_input("W");
    mm->add_output("XW");
    onnx::NodeProto* add = g->add_node();
    add->set_op_type("Add");
    add->set_name("add");
    add->add_input("XW");
    add->add_input("B");
    add->add_output("Y");
    return m;
}

inline std::string bytes_of(const onnx::ModelProto& m) {
    std::string s;
    BOOST_TEST_REQUIRE(m.SerializeToString(&s));
    return s;
}

// ---- Calling the plugin --------------------------------------------------------------------------

struct Written {
    wg_status status = WG_OK;
    std::string message;
    std::string bytes;
    onnx::ModelProto model;
};

inline Written export_model(const std::string& source, const std::vector<const wg_tensor_edit*>& list,
                            const char* format, const char* producer) {
    static Plugin plugin;
    wg_model_edit me{};
    me.struct_size = sizeof me;
    me.source_path = "tiny.onnx";
    me.source_format = format;
    me.source_data = reinterpret_cast<const uint8_t*>(source.data());
    me.source_size = source.size();
    me.tensor_count = list.size();
    me.tensors = list.data();
    me.producer = producer;
    Written w;
    HostError err;
    w.status = plugin.vt().export_model(plugin.state, &me, reinterpret_cast<wg_sink*>(&w.bytes),
                                        reinterpret_cast<wg_error*>(&err));
    w.message = err.message;
    return w;
}

// Saves the written model and its DENSE reference for the Python and ONNX Runtime checks.
inline void save(const std::string& source, const Written& w, std::vector<Edit*> edits, const char* format,
                 const char* producer) {
    const char* dir = std::getenv("WINGLET_ONNX_MODEL_WRITE_DIR");
    if (!dir) return;
    static std::map<std::string, int> writes;  // per test case, for file names
    const std::string test = boost::unit_test::framework::current_test_case().p_name.get();
    const int n = ++writes[test];
    const std::string stem = std::string(dir) + "/" + test + (n > 1 ? "_" + std::to_string(n) : std::string());
    std::ofstream(stem + ".onnx", std::ios::binary) << w.bytes;
    std::vector<Edit> dense;
    for (const Edit* e : edits) {
        Edit d;
        d.name = e->name;
        d.dims = e->dims;
        d.original_dtype = e->original_dtype;
        d.decoded = e->decoded;
        dense.push_back(std::move(d));
    }
    std::vector<const wg_tensor_edit*> list;
    for (Edit& d : dense) list.push_back(d.c());
    const Written reference = export_model(source, list, format, producer);
    BOOST_TEST_REQUIRE(reference.status == WG_OK, "the DENSE reference: " << reference.message);
    std::ofstream(stem + ".reference.onnx", std::ios::binary) << reference.bytes;
}

inline Written write(const std::string& source, std::vector<Edit*> edits, const char* format = "onnx",
                     const char* producer = "winglet 0.1.0 recipe.toml") {
    std::vector<const wg_tensor_edit*> list;
    for (Edit* e : edits) list.push_back(e->c());
    logged_warnings().clear();
    Written w = export_model(source, list, format, producer);
    BOOST_TEST((w.status == WG_OK) == w.message.empty(), "a failure, and only a failure, has a message");
    if (w.status == WG_OK) {
        BOOST_TEST_REQUIRE(w.model.ParseFromString(w.bytes), "the written bytes parse as an ONNX model");
        save(source, w, edits, format, producer);
    }
    return w;
}

// libonnx's checker, then strict shape inference on a copy (what Python's full_check adds).
inline void require_valid(const onnx::ModelProto& m) {
    try {
        onnx::checker::check_model(m);
    } catch (const std::exception& e) {
        BOOST_FAIL(std::string("the written model fails onnx::checker: ") + e.what());
    }
    onnx::ModelProto copy = m;
    try {
        onnx::ShapeInferenceOptions options(true, 1, false);
        onnx::shape_inference::InferShapes(copy, onnx::OpSchemaRegistry::Instance(), options);
    } catch (const std::exception& e) {
        BOOST_FAIL(std::string("the written model fails strict shape inference: ") + e.what());
    }
    // The graph output keeps its type (MatMul/Add still see the original dtype and shape).
    for (const auto& v : copy.graph().value_info())
        if (v.name() == "XW") BOOST_TEST(v.type().tensor_type().shape().dim_size() == 2);
}

inline const TensorProto* initializer(const onnx::ModelProto& m, const std::string& name) {
    for (const auto& t : m.graph().initializer())
        if (t.name() == name) return &t;
    return nullptr;
}

inline const onnx::NodeProto* producer_of(const onnx::ModelProto& m, const std::string& name) {
    for (const auto& n : m.graph().node())
        for (const auto& o : n.output())
            if (o == name) return &n;
    return nullptr;
}

inline std::multiset<std::string> op_types(const onnx::ModelProto& m) {
    std::multiset<std::string> s;
    for (const auto& n : m.graph().node()) s.insert(n.op_type());
    return s;
}

inline std::string metadata(const onnx::ModelProto& m, const std::string& key) {
    for (const auto& kv : m.metadata_props())
        if (kv.key() == key) return kv.value();
    return "<absent>";
}

template <class T>
inline bool same_bytes(const TensorProto& t, const std::vector<T>& v) {
    return t.raw_data().size() == v.size() * sizeof(T) &&
           (v.empty() || std::memcmp(t.raw_data().data(), v.data(), t.raw_data().size()) == 0);
}

inline bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

// `name` evaluated by the reference interpreter (decode_interpreter.hpp).
inline std::vector<float> decode(const onnx::ModelProto& m, const std::string& name, const std::vector<int64_t>& dims) {
    const decode_test::Val v = decode_test::Interpreter(m).eval(name);
    BOOST_TEST_REQUIRE(v.dtype == TensorProto::FLOAT);
    BOOST_TEST(v.dims == dims);
    std::vector<float> out;
    for (double x : v.f) out.push_back(static_cast<float>(x));
    return out;
}

// What every written model with a compressed W must satisfy.
inline void check_common(const Written& w) {
    BOOST_TEST_REQUIRE(w.status == WG_OK, w.message);
    require_valid(w.model);
    BOOST_TEST(!initializer(w.model, "W"), "the original initializer is gone");
    for (const auto& n : w.model.graph().node()) BOOST_TEST(n.op_type() != "Constant");
    BOOST_TEST(w.model.producer_name() == "winglet");
    BOOST_TEST(w.model.producer_version() == "winglet 0.1.0 recipe.toml");
    BOOST_TEST(metadata(w.model, "author") == "tests");
    BOOST_TEST(metadata(w.model, "winglet.source_producer") == "test-builder 1.0");
    // The consumers are untouched.
    const onnx::NodeProto* mm = producer_of(w.model, "XW");
    BOOST_TEST_REQUIRE(mm != nullptr);
    BOOST_TEST(mm->op_type() == "MatMul");
    BOOST_TEST(mm->input(1) == "W");
    const TensorProto* b = initializer(w.model, "B");
    BOOST_TEST_REQUIRE(b != nullptr);
    BOOST_TEST(b->float_data_size() == 3);
}

// Models of an earlier run would be checked by check_with_onnx.py as if written now.
struct ClearWriteDir {
    ClearWriteDir() {
        const char* dir = std::getenv("WINGLET_ONNX_MODEL_WRITE_DIR");
        if (!dir) return;
        std::error_code ec;
        for (const auto& f : std::filesystem::directory_iterator(dir, ec))
            if (f.path().extension() == ".onnx") std::filesystem::remove(f.path(), ec);  // and *.reference.onnx
    }
};

}  // namespace writer_test
