// The built onnx-model plugin, loaded with dlopen and driven through the raw C ABI by a small fake
// host (sink_write appends to a string, set_error records the message). Source models are built
// here with the ONNX protobuf API; every written model is parsed back, run through libonnx's
// checker and strict shape inference, and its decode nodes are evaluated by a small interpreter
// written from the ONNX operator definitions (DequantizeLinear, Cast, Sub, Mul, Add, Gather) --
// independent of the plugin -- and compared bit for bit with the edit's `decoded` values.
//
// When WINGLET_ONNX_MODEL_WRITE_DIR is set (by CTest), every written model is also saved there as
// <test name>.onnx for tests/check_with_onnx.py (onnx.checker full_check in Python).
#define BOOST_TEST_MODULE onnx_model_plugin_abi
#include <boost/test/unit_test.hpp>

#include <winglet/plugin.h>

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

namespace {

using onnx::TensorProto;

// ---- The fake host ------------------------------------------------------------------------------

struct HostError {
    wg_status code = WG_OK;
    std::string message;
};

void set_error(wg_error* err, wg_status code, const char* message) {
    auto* e = reinterpret_cast<HostError*>(err);
    e->code = code;
    e->message = message ? message : "";
}

wg_status sink_write(wg_sink* sink, const void* data, uint64_t size, wg_error*) {
    reinterpret_cast<std::string*>(sink)->append(static_cast<const char*>(data), size);
    return WG_OK;
}

wg_host_api make_host() {
    wg_host_api a{};
    a.struct_size = sizeof a;
    a.abi_major = WG_ABI_MAJOR;
    a.abi_minor = WG_ABI_MINOR;
    a.host_version = "test";
    a.set_error = &set_error;
    a.sink_write = &sink_write;
    return a;
}

const wg_host_api kHost = make_host();

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

int64_t count_of(const std::vector<int64_t>& dims) {
    int64_t n = 1;
    for (int64_t d : dims) n *= d;
    return n;
}

// Index of element `i` (row-major over `dims`) along `axis`.
int64_t coord(int64_t i, const std::vector<int64_t>& dims, int axis) {
    int64_t inner = 1;
    for (size_t d = static_cast<size_t>(axis) + 1; d < dims.size(); ++d) inner *= dims[d];
    return i / inner % dims[static_cast<size_t>(axis)];
}

// A LINEAR edit of W[4,3]: codes given, `decoded` = (float)(code - zp) * scale in float32, with the
// scale and zero point of each element chosen by `param_of(i)` (an index into scales).
Edit linear(const std::string& name, const std::vector<int64_t>& dims, uint32_t bits, std::vector<int8_t> codes,
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

const std::vector<float> kW = {0.11f, -0.52f, 0.33f, 0.9f, -0.07f, 0.25f, -0.61f, 0.48f, 0.02f, 0.75f, -0.3f, -0.99f};
const std::vector<float> kB = {0.1f, 0.2f, 0.3f};

TensorProto float_tensor(const std::string& name, const std::vector<int64_t>& dims, const std::vector<float>& v) {
    TensorProto t;
    t.set_name(name);
    t.set_data_type(TensorProto::FLOAT);
    for (int64_t d : dims) t.add_dims(d);
    for (float x : v) t.add_float_data(x);
    return t;
}

onnx::ValueInfoProto value_info(const std::string& name, const std::vector<int64_t>& dims,
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
};

// X[1,4] -> MatMul(W[4,3]) -> Add(B[3]) -> Y[1,3]
onnx::ModelProto source_model(const ModelOptions& o = {}) {
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
    *g->add_input() = value_info("X", {1, 4}, o.weight_dtype);
    *g->add_output() = value_info("Y", {1, 3}, o.weight_dtype);
    TensorProto w = float_tensor("W", {4, 3}, kW);
    TensorProto b = float_tensor("B", {3}, kB);
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
        *g->add_input() = value_info("W", {4, 3}, o.weight_dtype);
        *g->add_input() = value_info("B", {3}, o.weight_dtype);
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

std::string bytes_of(const onnx::ModelProto& m) {
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

Written write(const std::string& source, std::vector<Edit*> edits, const char* format = "onnx",
              const char* producer = "winglet 0.1.0 recipe.toml") {
    static Plugin plugin;
    std::vector<const wg_tensor_edit*> list;
    for (Edit* e : edits) list.push_back(e->c());
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
    BOOST_TEST((w.status == WG_OK) == err.message.empty(), "a failure, and only a failure, has a message");
    if (w.status == WG_OK) {
        BOOST_TEST_REQUIRE(w.model.ParseFromString(w.bytes), "the written bytes parse as an ONNX model");
        if (const char* dir = std::getenv("WINGLET_ONNX_MODEL_WRITE_DIR")) {
            const std::string path = std::string(dir) + "/" +
                                     boost::unit_test::framework::current_test_case().p_name.get() + ".onnx";
            std::ofstream(path, std::ios::binary) << w.bytes;
        }
    }
    return w;
}

// libonnx's checker, then strict shape inference on a copy (what Python's full_check adds).
void require_valid(const onnx::ModelProto& m) {
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

const TensorProto* initializer(const onnx::ModelProto& m, const std::string& name) {
    for (const auto& t : m.graph().initializer())
        if (t.name() == name) return &t;
    return nullptr;
}

const onnx::NodeProto* producer_of(const onnx::ModelProto& m, const std::string& name) {
    for (const auto& n : m.graph().node())
        for (const auto& o : n.output())
            if (o == name) return &n;
    return nullptr;
}

std::multiset<std::string> op_types(const onnx::ModelProto& m) {
    std::multiset<std::string> s;
    for (const auto& n : m.graph().node()) s.insert(n.op_type());
    return s;
}

std::string metadata(const onnx::ModelProto& m, const std::string& key) {
    for (const auto& kv : m.metadata_props())
        if (kv.key() == key) return kv.value();
    return "<absent>";
}

std::vector<int64_t> dims_of(const TensorProto& t) { return {t.dims().begin(), t.dims().end()}; }

template <class T>
bool same_bytes(const TensorProto& t, const std::vector<T>& v) {
    return t.raw_data().size() == v.size() * sizeof(T) &&
           (v.empty() || std::memcmp(t.raw_data().data(), v.data(), t.raw_data().size()) == 0);
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

// ---- A reference interpreter for the decode ops ---------------------------------------------------

// Values as doubles: every float32 and every small integer is exact in a double; float results are
// computed in float32 and stored back.
struct Val {
    int32_t dtype = 0;
    std::vector<int64_t> dims;
    std::vector<double> v;
};

Val from_initializer(const TensorProto& t) {
    Val out{t.data_type(), dims_of(t), {}};
    const int64_t n = count_of(out.dims);
    const std::string& raw = t.raw_data();
    auto read = [&](auto sample) {
        using T = decltype(sample);
        BOOST_TEST_REQUIRE(raw.size() == static_cast<size_t>(n) * sizeof(T), t.name() << " raw_data size");
        for (int64_t i = 0; i < n; ++i) {
            T x;
            std::memcpy(&x, raw.data() + i * sizeof(T), sizeof x);
            out.v.push_back(static_cast<double>(x));
        }
    };
    switch (t.data_type()) {
        case TensorProto::FLOAT: read(float{}); break;
        case TensorProto::INT8: read(int8_t{}); break;
        case TensorProto::UINT8: read(uint8_t{}); break;
        case TensorProto::INT64: read(int64_t{}); break;
        default: BOOST_FAIL("unexpected initializer dtype " << t.data_type());
    }
    return out;
}

int64_t attr_int(const onnx::NodeProto& n, const std::string& name, int64_t fallback) {
    for (const auto& a : n.attribute())
        if (a.name() == name) return a.i();
    return fallback;
}

// numpy-style broadcasting of a binary op.
Val broadcast(const Val& a, const Val& b, int32_t dtype, const std::function<double(double, double)>& f) {
    const size_t rank = std::max(a.dims.size(), b.dims.size());
    std::vector<int64_t> da(rank, 1), db(rank, 1), out(rank);
    std::copy(a.dims.begin(), a.dims.end(), da.begin() + static_cast<long>(rank - a.dims.size()));
    std::copy(b.dims.begin(), b.dims.end(), db.begin() + static_cast<long>(rank - b.dims.size()));
    for (size_t d = 0; d < rank; ++d) {
        BOOST_TEST_REQUIRE((da[d] == db[d] || da[d] == 1 || db[d] == 1), "broadcastable shapes");
        out[d] = std::max(da[d], db[d]);
    }
    Val r{dtype, out, {}};
    const int64_t n = count_of(out);
    for (int64_t i = 0; i < n; ++i) {
        int64_t rest = i, ia = 0, ib = 0, sa = 1, sb = 1;
        for (size_t d = rank; d-- > 0;) {
            const int64_t c = rest % out[d];
            rest /= out[d];
            ia += (da[d] == 1 ? 0 : c) * sa;
            ib += (db[d] == 1 ? 0 : c) * sb;
            sa *= da[d];
            sb *= db[d];
        }
        r.v.push_back(f(a.v[static_cast<size_t>(ia)], b.v[static_cast<size_t>(ib)]));
    }
    return r;
}

class Interpreter {
public:
    explicit Interpreter(const onnx::ModelProto& m) : m_(m) {}

    Val eval(const std::string& name) {
        if (const auto it = memo_.find(name); it != memo_.end()) return it->second;
        Val out;
        if (const TensorProto* t = initializer(m_, name)) {
            out = from_initializer(*t);
        } else {
            const onnx::NodeProto* n = producer_of(m_, name);
            BOOST_TEST_REQUIRE(n != nullptr, "something produces " << name);
            out = run(*n);
        }
        return memo_[name] = out;
    }

private:
    Val run(const onnx::NodeProto& n) {
        const std::string& op = n.op_type();
        if (op == "Cast") {
            Val x = eval(n.input(0));
            const int32_t to = static_cast<int32_t>(attr_int(n, "to", 0));
            BOOST_TEST_REQUIRE((to == TensorProto::FLOAT || to == TensorProto::INT64), "Cast to float or int64");
            x.dtype = to;
            if (to == TensorProto::FLOAT)
                for (double& v : x.v) v = static_cast<float>(v);
            return x;
        }
        if (op == "Sub" || op == "Mul" || op == "Add") {
            const Val a = eval(n.input(0)), b = eval(n.input(1));
            BOOST_TEST_REQUIRE(a.dtype == b.dtype, op << " inputs of one type");
            const bool fl = a.dtype == TensorProto::FLOAT;
            return broadcast(a, b, a.dtype, [&](double x, double y) -> double {
                if (op == "Sub") return fl ? static_cast<double>(static_cast<float>(x) - static_cast<float>(y)) : x - y;
                if (op == "Mul") return fl ? static_cast<double>(static_cast<float>(x) * static_cast<float>(y)) : x * y;
                return fl ? static_cast<double>(static_cast<float>(x) + static_cast<float>(y)) : x + y;
            });
        }
        if (op == "Gather") {
            const Val data = eval(n.input(0)), idx = eval(n.input(1));
            BOOST_TEST_REQUIRE((idx.dtype == TensorProto::INT64 || idx.dtype == TensorProto::INT32),
                               "Gather indices are int32 or int64");
            const int64_t r = static_cast<int64_t>(data.dims.size());
            int64_t axis = attr_int(n, "axis", 0);
            if (axis < 0) axis += r;
            std::vector<int64_t> out(data.dims.begin(), data.dims.begin() + axis);
            out.insert(out.end(), idx.dims.begin(), idx.dims.end());
            out.insert(out.end(), data.dims.begin() + axis + 1, data.dims.end());
            int64_t outer = 1, inner = 1;
            for (int64_t d = 0; d < axis; ++d) outer *= data.dims[static_cast<size_t>(d)];
            for (int64_t d = axis + 1; d < r; ++d) inner *= data.dims[static_cast<size_t>(d)];
            const int64_t extent = data.dims[static_cast<size_t>(axis)];
            Val res{data.dtype, out, {}};
            for (int64_t o = 0; o < outer; ++o)
                for (double jd : idx.v) {
                    int64_t j = static_cast<int64_t>(jd);
                    if (j < 0) j += extent;
                    BOOST_TEST_REQUIRE((j >= 0 && j < extent), "Gather index in range");
                    for (int64_t k = 0; k < inner; ++k)
                        res.v.push_back(data.v[static_cast<size_t>((o * extent + j) * inner + k)]);
                }
            return res;
        }
        if (op == "DequantizeLinear") {
            const Val x = eval(n.input(0)), scale = eval(n.input(1));
            Val zp;
            const bool has_zp = n.input_size() > 2 && !n.input(2).empty();
            if (has_zp) zp = eval(n.input(2));
            BOOST_TEST_REQUIRE((x.dtype == TensorProto::INT8 && scale.dtype == TensorProto::FLOAT), "int8 codes");
            const bool per_axis = !scale.dims.empty();
            int64_t axis = attr_int(n, "axis", 1);
            if (axis < 0) axis += static_cast<int64_t>(x.dims.size());
            if (per_axis) {
                BOOST_TEST_REQUIRE(scale.dims.size() == 1u);
                BOOST_TEST_REQUIRE(scale.dims[0] == x.dims[static_cast<size_t>(axis)]);
            }
            if (has_zp) BOOST_TEST_REQUIRE(zp.dims == scale.dims);
            Val y{TensorProto::FLOAT, x.dims, {}};
            for (int64_t i = 0; i < count_of(x.dims); ++i) {
                const size_t p = per_axis ? static_cast<size_t>(coord(i, x.dims, static_cast<int>(axis))) : 0;
                const int32_t q = static_cast<int32_t>(x.v[static_cast<size_t>(i)]);
                const int32_t z = has_zp ? static_cast<int32_t>(zp.v[p]) : 0;
                y.v.push_back(static_cast<float>(q - z) * static_cast<float>(scale.v[p]));
            }
            return y;
        }
        BOOST_FAIL("the interpreter does not know " << op);
        return {};
    }

    const onnx::ModelProto& m_;
    std::map<std::string, Val> memo_;
};

std::vector<float> decode(const onnx::ModelProto& m, const std::string& name, const std::vector<int64_t>& dims) {
    const Val v = Interpreter(m).eval(name);
    BOOST_TEST_REQUIRE(v.dtype == TensorProto::FLOAT);
    BOOST_TEST(v.dims == dims);
    std::vector<float> out;
    for (double x : v.v) out.push_back(static_cast<float>(x));
    return out;
}

// What every written model with a compressed W must satisfy.
void check_common(const Written& w) {
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
            if (f.path().extension() == ".onnx") std::filesystem::remove(f.path(), ec);
    }
};
BOOST_TEST_GLOBAL_FIXTURE(ClearWriteDir);

// ---- Plugin identity ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(descriptor_names_the_onnx_model_writer) {
    Plugin p;
    BOOST_TEST(std::string(p.desc->name) == "onnx-model");
    BOOST_TEST(p.desc->abi_major == WG_ABI_MAJOR);
    BOOST_TEST(p.desc->abi_minor == WG_ABI_MINOR);
    const wg_exporter_vtable& t = p.vt();
    BOOST_TEST(std::string(t.format) == "onnx");
    BOOST_TEST(std::string(t.file_extension) == "onnx");
    BOOST_TEST(std::string(t.mime_type) == "application/onnx");
    BOOST_TEST_REQUIRE(WG_HAS_FIELD(&t, wg_exporter_vtable, export_model));
    BOOST_TEST(t.export_model != nullptr);
    // Reports are not its business.
    wg_report report{};
    report.struct_size = sizeof report;
    std::string out;
    HostError err;
    BOOST_TEST(t.export_report(p.state, &report, reinterpret_cast<wg_sink*>(&out), reinterpret_cast<wg_error*>(&err)) ==
               WG_ERR_UNSUPPORTED);
    BOOST_TEST(err.message.find("models only") != std::string::npos, err.message);
}

// ---- LINEAR ---------------------------------------------------------------------------------------

const std::vector<int8_t> kCodes8 = {12, -52, 33, 90, -7, 25, -61, 48, 2, 75, -30, -99};

BOOST_AUTO_TEST_CASE(linear_int8_per_channel_uses_dequantize_linear_with_axis) {
    const std::vector<float> scales = {0.0091f, 0.0105f, 0.01f};
    Edit e = linear("W", {4, 3}, 8, kCodes8, 1, 0, {3}, scales, {},
                    [](int64_t i) { return coord(i, {4, 3}, 1); });
    const Written w = write(bytes_of(source_model()), {&e});
    check_common(w);
    const onnx::NodeProto* dq = producer_of(w.model, "W");
    BOOST_TEST_REQUIRE(dq != nullptr);
    BOOST_TEST(dq->op_type() == "DequantizeLinear");
    BOOST_TEST(dq->input_size() == 2, "symmetric: no zero point input");
    BOOST_TEST(attr_int(*dq, "axis", -7) == 1);
    BOOST_TEST(&w.model.graph().node(0) == dq, "the decode comes first");
    const TensorProto* q = initializer(w.model, "W_quantized");
    const TensorProto* s = initializer(w.model, "W_scale");
    BOOST_TEST_REQUIRE((q && s));
    BOOST_TEST(q->data_type() == TensorProto::INT8);
    BOOST_TEST(dims_of(*q) == (std::vector<int64_t>{4, 3}));
    BOOST_TEST(same_bytes(*q, e.codes));
    BOOST_TEST(s->data_type() == TensorProto::FLOAT);
    BOOST_TEST(dims_of(*s) == (std::vector<int64_t>{3}));
    BOOST_TEST(same_bytes(*s, e.scales));
    BOOST_TEST(!initializer(w.model, "W_zero_point"));
    BOOST_TEST(q->doc_string().empty());
    BOOST_TEST(metadata(w.model, "winglet.int8_storage") == "<absent>", "8-bit codes fill their int8");
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
}

BOOST_AUTO_TEST_CASE(linear_int4_symmetric_per_tensor) {
    const std::vector<int8_t> codes = {1, -5, 3, 7, -1, 2, -6, 5, 0, 7, -3, -8};
    Edit e = linear("W", {4, 3}, 4, codes, -1, 0, {}, {0.125f}, {}, [](int64_t) { return 0; });
    const Written w = write(bytes_of(source_model()), {&e});
    check_common(w);
    const onnx::NodeProto* dq = producer_of(w.model, "W");
    BOOST_TEST_REQUIRE(dq != nullptr);
    BOOST_TEST(dq->op_type() == "DequantizeLinear");
    BOOST_TEST(dq->attribute_size() == 0, "per tensor: no axis");
    const TensorProto* q = initializer(w.model, "W_quantized");
    const TensorProto* s = initializer(w.model, "W_scale");
    BOOST_TEST_REQUIRE((q && s));
    BOOST_TEST(q->data_type() == TensorProto::INT8);
    BOOST_TEST(same_bytes(*q, e.codes));
    BOOST_TEST(q->doc_string() == "4-bit codes stored in int8");
    BOOST_TEST(s->dims_size() == 0, "a per-tensor scale is a scalar");
    BOOST_TEST(same_bytes(*s, e.scales));
    BOOST_TEST(metadata(w.model, "winglet.int8_storage") == "W:4");
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
}

BOOST_AUTO_TEST_CASE(linear_int8_asymmetric_per_tensor_and_per_channel) {
    // Per tensor: one zero point; per channel (axis 1): one per column.
    Edit t = linear("W", {4, 3}, 8, kCodes8, -1, 0, {}, {0.0078125f}, {-13}, [](int64_t) { return 0; });
    Written w = write(bytes_of(source_model()), {&t});
    check_common(w);
    const TensorProto* zp = initializer(w.model, "W_zero_point");
    BOOST_TEST_REQUIRE(zp != nullptr);
    BOOST_TEST(zp->data_type() == TensorProto::INT8);
    BOOST_TEST(zp->dims_size() == 0);
    BOOST_TEST(same_bytes(*zp, t.zero_points));
    const onnx::NodeProto* dq = producer_of(w.model, "W");
    BOOST_TEST_REQUIRE(dq != nullptr);
    BOOST_TEST(dq->op_type() == "DequantizeLinear");
    BOOST_TEST(dq->input_size() == 3);
    BOOST_TEST(dq->input(2) == "W_zero_point");
    BOOST_TEST(same_bits(decode(w.model, "W", t.dims), t.decoded));

    Edit c = linear("W", {4, 3}, 8, kCodes8, 1, 0, {3}, {0.01f, 0.02f, 0.003f}, {5, -128, 127},
                    [](int64_t i) { return coord(i, {4, 3}, 1); });
    w = write(bytes_of(source_model()), {&c});
    check_common(w);
    zp = initializer(w.model, "W_zero_point");
    BOOST_TEST_REQUIRE(zp != nullptr);
    BOOST_TEST(dims_of(*zp) == (std::vector<int64_t>{3}));
    BOOST_TEST(same_bytes(*zp, c.zero_points));
    BOOST_TEST(same_bytes(*initializer(w.model, "W_scale"), c.scales));
    BOOST_TEST(same_bits(decode(w.model, "W", c.dims), c.decoded));
}

BOOST_AUTO_TEST_CASE(linear_per_block_decodes_with_gather_cast_sub_mul) {
    // Blocks of 2 along axis 0 of W[4,3]: scales [2,3], block of row r = r / 2.
    const std::vector<float> scales = {0.01f, 0.02f, 0.03f, 0.015f, 0.025f, 0.035f};
    const std::vector<int8_t> zps = {1, -2, 3, -4, 5, -6};
    Edit e = linear("W", {4, 3}, 4, {1, -5, 3, 7, -1, 2, -6, 5, 0, 7, -3, -8}, 0, 2, {2, 3}, scales, zps,
                    [](int64_t i) { return (i / 3) / 2 * 3 + i % 3; });
    const Written w = write(bytes_of(source_model()), {&e});
    check_common(w);
    BOOST_TEST(op_types(w.model).count("DequantizeLinear") == 0u, "opset 13 has no blocked DequantizeLinear");
    const onnx::NodeProto* mul = producer_of(w.model, "W");
    BOOST_TEST_REQUIRE(mul != nullptr);
    BOOST_TEST(mul->op_type() == "Mul");
    BOOST_TEST(op_types(w.model).count("Gather") == 2u, "scale and zero point expanded");
    BOOST_TEST(op_types(w.model).count("Cast") == 2u);
    BOOST_TEST(op_types(w.model).count("Sub") == 1u);
    const TensorProto* s = initializer(w.model, "W_scale");
    const TensorProto* zp = initializer(w.model, "W_zero_point");
    const TensorProto* index = initializer(w.model, "W_block_index");
    BOOST_TEST_REQUIRE((s && zp && index));
    BOOST_TEST(dims_of(*s) == (std::vector<int64_t>{2, 3}));
    BOOST_TEST(same_bytes(*s, e.scales));
    BOOST_TEST(dims_of(*zp) == (std::vector<int64_t>{2, 3}));
    BOOST_TEST(same_bytes(*zp, e.zero_points));
    BOOST_TEST(index->data_type() == TensorProto::INT64);
    BOOST_TEST(same_bytes(*index, std::vector<int64_t>{0, 0, 1, 1}));
    BOOST_TEST(same_bytes(*initializer(w.model, "W_quantized"), e.codes));
    BOOST_TEST(metadata(w.model, "winglet.int8_storage") == "W:4");
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
}

BOOST_AUTO_TEST_CASE(linear_per_block_with_a_partial_last_block_and_no_zero_point) {
    // Blocks of 2 along axis 1 of W[4,3] (3 columns: blocks {0,1} and {2}), 2-bit, symmetric.
    const std::vector<float> scales = {0.5f, 0.25f, 0.125f, 0.0625f, 1.5f, 0.75f, 2.f, 3.f};
    Edit e = linear("W", {4, 3}, 2, {1, -2, 0, -1, 1, 1, 0, -2, -2, 1, 0, -1}, 1, 2, {4, 2}, scales, {},
                    [](int64_t i) { return (i / 3) * 2 + (i % 3) / 2; });
    const Written w = write(bytes_of(source_model()), {&e});
    check_common(w);
    BOOST_TEST(op_types(w.model).count("Gather") == 1u);
    BOOST_TEST(op_types(w.model).count("Sub") == 0u);
    BOOST_TEST(same_bytes(*initializer(w.model, "W_block_index"), std::vector<int64_t>{0, 0, 1}));
    BOOST_TEST(initializer(w.model, "W_quantized")->doc_string() == "2-bit codes stored in int8");
    BOOST_TEST(metadata(w.model, "winglet.int8_storage") == "W:2");
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
}

BOOST_AUTO_TEST_CASE(linear_per_channel_below_opset_13_uses_cast_sub_mul_on_a_constant_weight) {
    // Opset 11: DequantizeLinear has no axis yet, so the per-channel decode is Cast/Sub/Mul with
    // scales shaped to broadcast (4 scales along axis 0 of W[4,3] are stored as [4,1]).
    ModelOptions o;
    o.opset = 11;
    o.ir = 6;
    o.constant_weight = true;
    Edit e = linear("W", {4, 3}, 8, kCodes8, 0, 0, {4}, {0.01f, 0.02f, 0.03f, 0.04f}, {1, 2, -3, 0},
                    [](int64_t i) { return coord(i, {4, 3}, 0); });
    const Written w = write(bytes_of(source_model(o)), {&e});
    check_common(w);
    BOOST_TEST(w.model.opset_import(0).version() == 11, "the opset is not raised");
    BOOST_TEST(op_types(w.model).count("DequantizeLinear") == 0u);
    BOOST_TEST(producer_of(w.model, "W")->op_type() == "Mul");
    const TensorProto* s = initializer(w.model, "W_scale");
    BOOST_TEST_REQUIRE(s != nullptr);
    BOOST_TEST(dims_of(*s) == (std::vector<int64_t>{4, 1}), "per-channel scales along axis 0 broadcast as [4,1]");
    BOOST_TEST(same_bytes(*s, e.scales));
    BOOST_TEST(same_bytes(*initializer(w.model, "W_zero_point"), e.zero_points));
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
}

BOOST_AUTO_TEST_CASE(linear_per_tensor_on_opset_11_constant_uses_dequantize_linear) {
    ModelOptions o;
    o.opset = 11;
    o.ir = 6;
    o.constant_weight = true;
    Edit e = linear("W", {4, 3}, 8, kCodes8, -1, 0, {}, {0.01f}, {7}, [](int64_t) { return 0; });
    const Written w = write(bytes_of(source_model(o)), {&e});
    check_common(w);
    BOOST_TEST(producer_of(w.model, "W")->op_type() == "DequantizeLinear");
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
}

BOOST_AUTO_TEST_CASE(ir3_model_lists_new_initializers_as_graph_inputs) {
    ModelOptions o;
    o.opset = 8;
    o.ir = 3;
    o.weights_in_inputs = true;
    Edit e = linear("W", {4, 3}, 8, kCodes8, -1, 0, {}, {0.01f}, {}, [](int64_t) { return 0; });
    const Written w = write(bytes_of(source_model(o)), {&e});
    check_common(w);
    std::set<std::string> inputs;
    for (const auto& v : w.model.graph().input()) inputs.insert(v.name());
    BOOST_TEST(!inputs.count("W"), "W is produced by the decode now");
    BOOST_TEST(inputs.count("W_quantized") == 1u);
    BOOST_TEST(inputs.count("W_scale") == 1u);
    BOOST_TEST(inputs.count("B") == 1u);
    BOOST_TEST(producer_of(w.model, "W")->op_type() == "Mul", "opset 8 has no DequantizeLinear");
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
}

BOOST_AUTO_TEST_CASE(an_initializer_that_is_also_a_graph_input_stops_being_one) {
    // IR >= 4: an initializer listed in graph.input is an overridable default. Once a node
    // produces W it cannot be an input too (SSA), so W leaves graph.input; B stays.
    ModelOptions o;
    o.weights_in_inputs = true;
    Edit e = linear("W", {4, 3}, 8, kCodes8, 1, 0, {3}, {0.01f, 0.02f, 0.03f}, {},
                    [](int64_t i) { return coord(i, {4, 3}, 1); });
    const Written w = write(bytes_of(source_model(o)), {&e});
    check_common(w);
    std::set<std::string> inputs;
    for (const auto& v : w.model.graph().input()) inputs.insert(v.name());
    BOOST_TEST((inputs == std::set<std::string>{"X", "B"}));
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
}

BOOST_AUTO_TEST_CASE(float16_weight_is_decoded_in_float32_then_cast) {
    ModelOptions o;
    o.weight_dtype = TensorProto::FLOAT16;
    Edit e = linear("W", {4, 3}, 8, kCodes8, -1, 0, {}, {0.01f}, {}, [](int64_t) { return 0; });
    e.original_dtype = WG_DTYPE_FLOAT16;
    const Written w = write(bytes_of(source_model(o)), {&e});
    BOOST_TEST_REQUIRE(w.status == WG_OK, w.message);
    require_valid(w.model);
    const onnx::NodeProto* cast = producer_of(w.model, "W");
    BOOST_TEST_REQUIRE(cast != nullptr);
    BOOST_TEST(cast->op_type() == "Cast");
    BOOST_TEST(attr_int(*cast, "to", 0) == TensorProto::FLOAT16);
    BOOST_TEST(cast->input(0) == "W_decoded");
    BOOST_TEST(same_bits(decode(w.model, "W_decoded", e.dims), e.decoded));
}

BOOST_AUTO_TEST_CASE(new_names_do_not_collide_with_existing_ones) {
    onnx::ModelProto m = source_model();
    auto* extra = m.mutable_graph()->add_initializer();
    *extra = float_tensor("W_quantized", {1}, {1.f});
    auto* out = m.mutable_graph()->add_output();
    *out = value_info("W_quantized", {1});
    Edit e = linear("W", {4, 3}, 8, kCodes8, -1, 0, {}, {0.01f}, {}, [](int64_t) { return 0; });
    const Written w = write(bytes_of(m), {&e});
    check_common(w);
    BOOST_TEST(initializer(w.model, "W_quantized")->data_type() == TensorProto::FLOAT, "the model's own is kept");
    const TensorProto* q = initializer(w.model, "W_quantized_1");
    BOOST_TEST_REQUIRE(q != nullptr);
    BOOST_TEST(same_bytes(*q, e.codes));
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
}

// ---- LUT ------------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(lut_one_table_is_a_gather) {
    Edit e;
    e.name = "W";
    e.dims = {4, 3};
    e.encoding = WG_ENCODING_LUT;
    e.bits = 2;
    e.luts = {-0.75f, -0.125f, 0.25f, 0.875f};
    e.lut_count = 1;
    e.codes = {0, 1, 2, 3, 3, 2, 1, 0, 2, 2, 0, 1};
    for (int8_t c : e.codes) e.decoded.push_back(e.luts[static_cast<uint8_t>(c)]);
    const Written w = write(bytes_of(source_model()), {&e});
    check_common(w);
    const onnx::NodeProto* g = producer_of(w.model, "W");
    BOOST_TEST_REQUIRE(g != nullptr);
    BOOST_TEST(g->op_type() == "Gather");
    BOOST_TEST(g->input(0) == "W_lut");
    BOOST_TEST(op_types(w.model).count("Add") == 1u, "only the model's own Add: no offsets for one table");
    const TensorProto* idx = initializer(w.model, "W_indices");
    const TensorProto* lut = initializer(w.model, "W_lut");
    BOOST_TEST_REQUIRE((idx && lut));
    BOOST_TEST(idx->data_type() == TensorProto::UINT8);
    BOOST_TEST(dims_of(*idx) == (std::vector<int64_t>{4, 3}));
    BOOST_TEST(same_bytes(*idx, e.codes));
    BOOST_TEST(idx->doc_string() == "2-bit indices stored in uint8");
    BOOST_TEST(lut->data_type() == TensorProto::FLOAT);
    BOOST_TEST(dims_of(*lut) == (std::vector<int64_t>{4}));
    BOOST_TEST(same_bytes(*lut, e.luts));
    BOOST_TEST(metadata(w.model, "winglet.int8_storage") == "W:2");
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
}

BOOST_AUTO_TEST_CASE(lut_grouped_tables_add_per_channel_offsets) {
    // Axis 1 of W[4,3], 2 channels per table: tables {0: cols 0,1; 1: col 2}, 3 bits each, 8-bit
    // storage of indices as high as 7 (bit pattern of uint8 in int8).
    Edit e;
    e.name = "W";
    e.dims = {4, 3};
    e.encoding = WG_ENCODING_LUT;
    e.bits = 3;
    e.param_axis = 1;
    e.block_size = 2;
    e.lut_count = 2;
    for (int i = 0; i < 16; ++i) e.luts.push_back(static_cast<float>(i) * 0.0625f - 0.5f + (i >= 8 ? 0.01f : 0.f));
    e.codes = {0, 7, 3, 1, 6, 7, 2, 5, 0, 4, 4, 4};
    for (int64_t i = 0; i < 12; ++i) {
        const int64_t group = coord(i, e.dims, 1) / 2;
        e.decoded.push_back(e.luts[static_cast<size_t>(group * 8 + e.codes[static_cast<size_t>(i)])]);
    }
    // A second tensor in the same model: B with 8-bit indices into one table of 256.
    Edit b;
    b.name = "B";
    b.dims = {3};
    b.encoding = WG_ENCODING_LUT;
    b.bits = 8;
    b.lut_count = 1;
    for (int i = 0; i < 256; ++i) b.luts.push_back(static_cast<float>(i) / 256.f);
    b.codes = {static_cast<int8_t>(200), 3, static_cast<int8_t>(255)};
    for (int8_t c : b.codes) b.decoded.push_back(b.luts[static_cast<uint8_t>(c)]);
    const Written w = write(bytes_of(source_model()), {&e, &b});
    BOOST_TEST_REQUIRE(w.status == WG_OK, w.message);
    require_valid(w.model);
    BOOST_TEST(!initializer(w.model, "W"));
    BOOST_TEST(!initializer(w.model, "B"));
    const TensorProto* offset = initializer(w.model, "W_lut_offset");
    BOOST_TEST_REQUIRE(offset != nullptr);
    BOOST_TEST(offset->data_type() == TensorProto::INT64);
    BOOST_TEST(dims_of(*offset) == (std::vector<int64_t>{1, 3}));
    BOOST_TEST(same_bytes(*offset, std::vector<int64_t>{0, 0, 8}));
    BOOST_TEST(dims_of(*initializer(w.model, "W_lut")) == (std::vector<int64_t>{16}));
    BOOST_TEST(same_bytes(*initializer(w.model, "W_lut"), e.luts));
    BOOST_TEST(same_bytes(*initializer(w.model, "W_indices"), e.codes));
    BOOST_TEST(same_bytes(*initializer(w.model, "B_indices"), b.codes));
    BOOST_TEST(initializer(w.model, "B_indices")->doc_string().empty());
    BOOST_TEST(metadata(w.model, "winglet.int8_storage") == "W:3", "8-bit B fills its uint8");
    BOOST_TEST(producer_of(w.model, "W")->op_type() == "Gather");
    BOOST_TEST(producer_of(w.model, "W_lut_position")->op_type() == "Add");
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
    BOOST_TEST(same_bits(decode(w.model, "B", b.dims), b.decoded));
}

// ---- DENSE ----------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(dense_replaces_the_values_with_exact_zeros) {
    Edit e;
    e.name = "W";
    e.dims = {4, 3};
    e.encoding = WG_ENCODING_DENSE;
    e.decoded = kW;
    for (size_t i = 0; i < e.decoded.size(); i += 2) e.decoded[i] = 0.0f;
    const Written w = write(bytes_of(source_model()), {&e});
    BOOST_TEST_REQUIRE(w.status == WG_OK, w.message);
    require_valid(w.model);
    const TensorProto* t = initializer(w.model, "W");
    BOOST_TEST_REQUIRE(t != nullptr);
    BOOST_TEST(t->data_type() == TensorProto::FLOAT);
    BOOST_TEST(dims_of(*t) == (std::vector<int64_t>{4, 3}));
    BOOST_TEST(t->float_data_size() == 0);
    BOOST_TEST(same_bytes(*t, e.decoded));
    for (size_t i = 0; i < 12; i += 2) {
        uint32_t bits;
        std::memcpy(&bits, t->raw_data().data() + i * 4, 4);
        BOOST_TEST(bits == 0u, "+0.0 exactly at " << i);
    }
    BOOST_TEST(op_types(w.model) == (std::multiset<std::string>{"Add", "MatMul"}), "no decode for dense");
    BOOST_TEST(metadata(w.model, "winglet.int8_storage") == "<absent>");
}

BOOST_AUTO_TEST_CASE(dense_keeps_a_float16_constant_in_float16) {
    ModelOptions o;
    o.weight_dtype = TensorProto::FLOAT16;
    o.constant_weight = true;
    Edit e;
    e.name = "W";
    e.dims = {4, 3};
    e.original_dtype = WG_DTYPE_FLOAT16;
    e.decoded = {0.f, 1.f, -2.f, 0.5f, 65504.f, 1e-8f, 3.0e-5f, 0.1f, -0.f, 0.f, 2049.f, 2051.f};
    const Written w = write(bytes_of(source_model(o)), {&e});
    BOOST_TEST_REQUIRE(w.status == WG_OK, w.message);
    require_valid(w.model);
    const onnx::NodeProto* c = producer_of(w.model, "W");
    BOOST_TEST_REQUIRE(c != nullptr);
    BOOST_TEST(c->op_type() == "Constant", "a dense edit keeps its Constant");
    const TensorProto& t = c->attribute(0).t();
    BOOST_TEST(t.data_type() == TensorProto::FLOAT16);
    BOOST_TEST(t.int32_data_size() == 0);
    // float16 bits, rounded to nearest even: 1e-8 underflows to 0, 3e-5 is subnormal (503 * 2^-24),
    // 2049 ties to 2048, 2051 ties to 2052.
    const std::vector<uint16_t> expected = {0x0000, 0x3c00, 0xc000, 0x3800, 0x7bff, 0x0000,
                                            0x01f7, 0x2e66, 0x8000, 0x0000, 0x6800, 0x6802};
    BOOST_TEST(same_bytes(t, expected));
}

// ---- Errors ---------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(an_unknown_tensor_name_is_an_invalid_argument) {
    Edit e = linear("Wx", {4, 3}, 8, kCodes8, -1, 0, {}, {0.01f}, {}, [](int64_t) { return 0; });
    const Written w = write(bytes_of(source_model()), {&e});
    BOOST_TEST(w.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(w.message.find("'Wx'") != std::string::npos, w.message);
    BOOST_TEST(w.message.find("neither an initializer nor the output of a Constant") != std::string::npos, w.message);
    BOOST_TEST(w.bytes.empty(), "nothing written");
}

BOOST_AUTO_TEST_CASE(garbage_source_bytes_are_a_format_error) {
    Edit e = linear("W", {4, 3}, 8, kCodes8, -1, 0, {}, {0.01f}, {}, [](int64_t) { return 0; });
    const std::string garbage = "\xff\xff\xff\xff this is not a protobuf message";
    Written w = write(garbage, {&e});
    BOOST_TEST(w.status == WG_ERR_FORMAT);
    BOOST_TEST(w.message.find("not an ONNX model") != std::string::npos, w.message);
    w = write(std::string(), {&e});
    BOOST_TEST(w.status == WG_ERR_FORMAT);
    BOOST_TEST(w.message.find("empty") != std::string::npos, w.message);
}

BOOST_AUTO_TEST_CASE(a_source_of_another_format_is_unsupported) {
    Edit e = linear("W", {4, 3}, 8, kCodes8, -1, 0, {}, {0.01f}, {}, [](int64_t) { return 0; });
    const Written w = write(bytes_of(source_model()), {&e}, "tflite");
    BOOST_TEST(w.status == WG_ERR_UNSUPPORTED);
    BOOST_TEST(w.message.find("ONNX models only") != std::string::npos, w.message);
    BOOST_TEST(w.message.find("'tflite'") != std::string::npos, w.message);
}

BOOST_AUTO_TEST_CASE(external_data_is_unsupported) {
    onnx::ModelProto m = source_model();
    TensorProto* b = m.mutable_graph()->mutable_initializer(1);
    b->clear_float_data();
    b->set_data_location(TensorProto::EXTERNAL);
    auto* kv = b->add_external_data();
    kv->set_key("location");
    kv->set_value("weights.bin");
    Edit e = linear("W", {4, 3}, 8, kCodes8, -1, 0, {}, {0.01f}, {}, [](int64_t) { return 0; });
    const Written w = write(bytes_of(m), {&e});
    BOOST_TEST(w.status == WG_ERR_UNSUPPORTED);
    BOOST_TEST(w.message.find("external data ('weights.bin')") != std::string::npos, w.message);
}

BOOST_AUTO_TEST_CASE(models_the_decode_cannot_serve_are_unsupported) {
    Edit e = linear("W", {4, 3}, 8, kCodes8, -1, 0, {}, {0.01f}, {}, [](int64_t) { return 0; });
    // Opset 6: no numpy broadcasting, Cast's `to` was a string.
    ModelOptions o;
    o.opset = 6;
    o.ir = 3;
    o.weights_in_inputs = true;
    Written w = write(bytes_of(source_model(o)), {&e});
    BOOST_TEST(w.status == WG_ERR_UNSUPPORTED);
    BOOST_TEST(w.message.find("needs opset 7 or newer") != std::string::npos, w.message);
    // A source that already fails the checker is blamed, not the writer.
    onnx::ModelProto m = source_model();
    m.mutable_graph()->mutable_node(0)->set_op_type("NoSuchOp");
    w = write(bytes_of(m), {&e});
    BOOST_TEST(w.status == WG_ERR_UNSUPPORTED);
    BOOST_TEST(w.message.find("the source model fails the ONNX checker") != std::string::npos, w.message);
    BOOST_TEST(w.message.find("NoSuchOp") != std::string::npos, w.message);
    // Integer weights have no float decode to replace.
    Edit b;
    b.name = "B";
    b.dims = {3};
    b.original_dtype = WG_DTYPE_UNDEFINED;
    b.decoded = {0.f, 0.f, 0.f};
    m = source_model();
    TensorProto* bt = m.mutable_graph()->mutable_initializer(1);
    bt->clear_float_data();
    bt->set_data_type(TensorProto::INT64);
    for (int i = 0; i < 3; ++i) bt->add_int64_data(i);
    w = write(bytes_of(m), {&b});
    BOOST_TEST(w.status == WG_ERR_UNSUPPORTED);
    BOOST_TEST(w.message.find("tensor 'B' is int64") != std::string::npos, w.message);
}

BOOST_AUTO_TEST_CASE(edits_that_do_not_fit_their_tensor_are_invalid) {
    // Wrong shape.
    Edit shape = linear("W", {3, 4}, 8, kCodes8, -1, 0, {}, {0.01f}, {}, [](int64_t) { return 0; });
    Written w = write(bytes_of(source_model()), {&shape});
    BOOST_TEST(w.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(w.message.find("has shape [4,3] in the model, the edit has [3,4]") != std::string::npos, w.message);
    // Per-channel scales of the wrong length.
    Edit scales = linear("W", {4, 3}, 8, kCodes8, 1, 0, {3}, {0.01f, 0.02f, 0.03f}, {},
                         [](int64_t i) { return coord(i, {4, 3}, 1); });
    scales.param_dims = {4};
    w = write(bytes_of(source_model()), {&scales});
    BOOST_TEST(w.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(w.message.find("per-channel scales") != std::string::npos, w.message);
    // A LUT index past its table.
    Edit lut;
    lut.name = "W";
    lut.dims = {4, 3};
    lut.encoding = WG_ENCODING_LUT;
    lut.bits = 2;
    lut.lut_count = 1;
    lut.luts = {0.f, 1.f, 2.f, 3.f};
    lut.codes = std::vector<int8_t>(12, 4);
    lut.decoded = std::vector<float>(12, 0.f);
    w = write(bytes_of(source_model()), {&lut});
    BOOST_TEST(w.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(w.message.find("does not fit 2 bits") != std::string::npos, w.message);
    // Codes that do not decode to `decoded`: the model would compute something else.
    Edit off = linear("W", {4, 3}, 4, {1, -5, 3, 7, -1, 2, -6, 5, 0, 7, -3, -8}, 0, 2, {2, 3},
                      {0.01f, 0.02f, 0.03f, 0.015f, 0.025f, 0.035f}, {}, [](int64_t i) { return (i / 3) / 2 * 3 + i % 3; });
    off.decoded[7] = std::nextafter(off.decoded[7], 1.f);
    w = write(bytes_of(source_model()), {&off});
    BOOST_TEST(w.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(w.message.find("decodes element 7 to 0.125 but `decoded` has 0.125000015") != std::string::npos, w.message);
    Edit lut_off = lut;
    lut_off.codes = std::vector<int8_t>(12, 3);
    lut_off.decoded = std::vector<float>(12, 3.f);
    lut_off.decoded[11] = 2.f;
    w = write(bytes_of(source_model()), {&lut_off});
    BOOST_TEST(w.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(w.message.find("decodes element 11 to 3 but `decoded` has 2") != std::string::npos, w.message);
    // The same tensor twice.
    Edit a = linear("W", {4, 3}, 8, kCodes8, -1, 0, {}, {0.01f}, {}, [](int64_t) { return 0; });
    Edit b = a;
    w = write(bytes_of(source_model()), {&a, &b});
    BOOST_TEST(w.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(w.message.find("edited twice") != std::string::npos, w.message);
}

}  // namespace
