// Unit tests for the ONNX wire-format slimmer (plugins/importers/onnx/src/slim_model.*).
//
// Expectations are independent of the rewriter: inputs are built with the
// protobuf C++ API (or by hand in wire format), the original is parsed with
// protobuf, payload positions are found by searching the serialized bytes, and
// the slim copy is compared with the original after normalizing away only the
// tensor payload representation.
//
// Optional environment variables:
//   WINGLET_ONNX_TESTDATA_DIR  (default /usr/share/libonnx-testdata/data)
//   WINGLET_SHARED_MODELS_DIR  (default WINGLET_DEFAULT_SHARED_MODELS_DIR, set by CMake)

#define BOOST_TEST_MODULE slim_model
#include <boost/test/unit_test.hpp>

#include <google/protobuf/util/message_differencer.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "slim_model.hpp"

#if defined(__unix__)
#include <sys/mman.h>
#include <unistd.h>
#endif

#ifndef WINGLET_DEFAULT_SHARED_MODELS_DIR
#define WINGLET_DEFAULT_SHARED_MODELS_DIR "../shared/models"
#endif

namespace wo = winglet::onnx_importer;
namespace fs = std::filesystem;
using onnx::TensorProto;

namespace {

// ---------------------------------------------------------------------------
// Small helpers

wo::SlimResult slim(const std::string& bytes, const wo::SlimOptions& options = {}) {
  return wo::slim_model_bytes(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), options);
}

wo::SlimOptions with_min(uint64_t min_bytes) {
  wo::SlimOptions o;
  o.min_externalized_bytes = min_bytes;
  return o;
}

std::string random_bytes(std::mt19937_64& rng, size_t n) {
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xFF);
  return s;
}

std::vector<float> random_floats(std::mt19937_64& rng, size_t n) {
  std::uniform_real_distribution<float> dist(-100.f, 100.f);
  std::vector<float> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

std::vector<double> random_doubles(std::mt19937_64& rng, size_t n) {
  std::uniform_real_distribution<double> dist(-100., 100.);
  std::vector<double> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

template <typename T>
std::string le_bytes(const T* p, size_t n) {  // x86: memory order is little-endian
  return std::string(reinterpret_cast<const char*>(p), n * sizeof(T));
}

// Position of the unique occurrence of `needle` in `hay` (fails the test if not unique).
uint64_t find_unique(const std::string& hay, const std::string& needle) {
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end());
  BOOST_REQUIRE_MESSAGE(it != hay.end(), "payload not found in serialized bytes");
  auto it2 = std::search(it + 1, hay.end(), needle.begin(), needle.end());
  BOOST_REQUIRE_MESSAGE(it2 == hay.end(), "payload occurs more than once in serialized bytes");
  return static_cast<uint64_t>(it - hay.begin());
}

bool contains(const std::string& hay, const std::string& needle) {
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

// Wire-format builders for hand-crafted inputs.
std::string varint(uint64_t v) {
  std::string s;
  while (v >= 0x80) {
    s.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  s.push_back(static_cast<char>(v));
  return s;
}
std::string tag(uint32_t field, uint32_t wire_type) { return varint((uint64_t{field} << 3) | wire_type); }
std::string len_field(uint32_t field, const std::string& payload) {
  return tag(field, 2) + varint(payload.size()) + payload;
}
std::string varint_field(uint32_t field, uint64_t v) { return tag(field, 0) + varint(v); }
std::string bytes_of(std::initializer_list<int> l) {
  std::string s;
  for (int b : l) s.push_back(static_cast<char>(b));
  return s;
}
// ModelProto{ graph: GraphProto{ initializer: <tensor_bytes> } }
std::string model_with_initializer_bytes(const std::string& tensor_bytes) {
  return len_field(7, len_field(5, tensor_bytes));
}

// ---------------------------------------------------------------------------
// Tensor enumeration in a deterministic order (same order for two models with
// the same structure).

void collect_graph(onnx::GraphProto& g, std::vector<TensorProto*>& out);

void collect_sparse(onnx::SparseTensorProto& s, std::vector<TensorProto*>& out) {
  if (s.has_values()) out.push_back(s.mutable_values());
  if (s.has_indices()) out.push_back(s.mutable_indices());
}

void collect_node(onnx::NodeProto& n, std::vector<TensorProto*>& out) {
  for (auto& a : *n.mutable_attribute()) {
    if (a.has_t()) out.push_back(a.mutable_t());
    for (auto& t : *a.mutable_tensors()) out.push_back(&t);
    if (a.has_g()) collect_graph(*a.mutable_g(), out);
    for (auto& g : *a.mutable_graphs()) collect_graph(g, out);
    if (a.has_sparse_tensor()) collect_sparse(*a.mutable_sparse_tensor(), out);
    for (auto& s : *a.mutable_sparse_tensors()) collect_sparse(s, out);
  }
}

void collect_graph(onnx::GraphProto& g, std::vector<TensorProto*>& out) {
  for (auto& n : *g.mutable_node()) collect_node(n, out);
  for (auto& t : *g.mutable_initializer()) out.push_back(&t);
  for (auto& s : *g.mutable_sparse_initializer()) collect_sparse(s, out);
}

std::vector<TensorProto*> collect_tensors(onnx::ModelProto& m) {
  std::vector<TensorProto*> out;
  if (m.has_graph()) collect_graph(*m.mutable_graph(), out);
  for (auto& ti : *m.mutable_training_info()) {
    if (ti.has_initialization()) collect_graph(*ti.mutable_initialization(), out);
    if (ti.has_algorithm()) collect_graph(*ti.mutable_algorithm(), out);
  }
  for (auto& f : *m.mutable_functions())
    for (auto& n : *f.mutable_node()) collect_node(n, out);
  return out;
}

TensorProto* find_tensor(onnx::ModelProto& m, const std::string& name) {
  for (auto* t : collect_tensors(m))
    if (t->name() == name) return t;
  return nullptr;
}

// Exact shape of a self-reference written by the rewriter.
bool get_self_ref(const TensorProto& t, uint64_t& offset, uint64_t& length) {
  if (t.data_location() != TensorProto::EXTERNAL || t.external_data_size() != 2) return false;
  if (t.external_data(0).key() != wo::kSelfOffsetKey || t.external_data(1).key() != wo::kSelfLengthKey)
    return false;
  return wo::parse_self_reference_value(t.external_data(0).value(), offset) &&
         wo::parse_self_reference_value(t.external_data(1).value(), length);
}

bool is_float_type(int dt) { return dt == TensorProto::FLOAT || dt == TensorProto::COMPLEX64; }
bool is_double_type(int dt) { return dt == TensorProto::DOUBLE || dt == TensorProto::COMPLEX128; }

// Removes the payload representation from every tensor and returns the
// payloads. For the slim model (`base` != nullptr) self-references are
// resolved against the original bytes.
std::vector<std::string> normalize(onnx::ModelProto& m, const std::string* base, std::string& error) {
  std::vector<std::string> payloads;
  for (auto* t : collect_tensors(m)) {
    std::string p;
    uint64_t off = 0, len = 0;
    if (base && get_self_ref(*t, off, len)) {
      if (off > base->size() || len > base->size() - off) {
        error = "self-reference out of bounds";
        return payloads;
      }
      p = base->substr(off, len);
      t->clear_external_data();
      t->clear_data_location();
    } else if (t->data_location() == TensorProto::EXTERNAL) {
      // left as is
    } else {
      if (t->has_raw_data()) {
        p = t->raw_data();
        t->clear_raw_data();
      } else if (is_float_type(t->data_type()) && t->float_data_size() > 0) {
        p = le_bytes(t->float_data().data(), t->float_data_size());
        t->clear_float_data();
      } else if (is_double_type(t->data_type()) && t->double_data_size() > 0) {
        p = le_bytes(t->double_data().data(), t->double_data_size());
        t->clear_double_data();
      }
      t->clear_data_location();
      t->clear_external_data();
    }
    payloads.push_back(std::move(p));
  }
  return payloads;
}

// Full differential check of one slim run against protobuf's parse of the
// original. Returns "" on success, a description otherwise. Requires the
// original to parse. Throws WireFormatError if the rewriter rejects the input.
std::string check_roundtrip(const std::string& original, const wo::SlimOptions& options,
                            wo::SlimResult* result_out = nullptr) {
  onnx::ModelProto orig;
  if (!orig.ParseFromString(original)) return "original does not parse with protobuf";
  wo::SlimResult r = slim(original, options);
  onnx::ModelProto sl;
  if (!sl.ParseFromString(r.bytes)) return "slim bytes do not parse with protobuf";

  uint64_t refs = 0, ref_bytes = 0;
  for (auto* t : collect_tensors(sl)) {
    uint64_t off, len;
    if (get_self_ref(*t, off, len)) {
      ++refs;
      ref_bytes += len;
      if (len < options.min_externalized_bytes) return "externalized a tensor below the threshold";
      if (t->has_raw_data()) return "externalized tensor still has raw_data";
    }
  }
  if (refs != r.externalized_tensors) return "externalized_tensors count mismatch";
  if (ref_bytes != r.externalized_bytes) return "externalized_bytes mismatch";
  if (r.externalized_tensors == 0 && r.bytes != original) return "nothing externalized but bytes changed";

  std::string err;
  auto p_orig = normalize(orig, nullptr, err);
  auto p_slim = normalize(sl, &original, err);
  if (!err.empty()) return err;
  if (p_orig != p_slim) return "payloads differ";
  if (orig.SerializeAsString() != sl.SerializeAsString()) {
    std::string report;
    google::protobuf::util::MessageDifferencer d;
    d.ReportDifferencesToString(&report);
    d.Compare(orig, sl);
    return "structure differs: " + report.substr(0, 2000);
  }
  if (result_out) *result_out = std::move(r);
  return "";
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

// ---------------------------------------------------------------------------
// Model builders

TensorProto* add_raw(TensorProto* t, const std::string& name, int dtype, std::vector<int64_t> dims,
                     const std::string& raw) {
  t->set_name(name);
  t->set_data_type(dtype);
  for (auto d : dims) t->add_dims(d);
  t->set_raw_data(raw);
  return t;
}

struct RichModel {
  onnx::ModelProto model;
  std::map<std::string, std::string> externalized;  // tensor name -> expected payload bytes
  std::set<std::string> kept_inline;                // tensor names that must stay untouched
};

RichModel make_rich_model() {
  std::mt19937_64 rng(42);
  RichModel rm;
  auto& m = rm.model;
  auto ext = [&](const std::string& name, const std::string& payload) { rm.externalized[name] = payload; };
  auto keep = [&](const std::string& name) { rm.kept_inline.insert(name); };

  m.set_ir_version(8);
  m.set_producer_name("winglet-test");
  m.set_producer_version("1.0");
  m.set_domain("ai.winglet.test");
  m.set_model_version(3);
  m.set_doc_string("a model exercising every place a tensor can hide");
  auto* op = m.add_opset_import();
  op->set_domain("");
  op->set_version(17);
  op = m.add_opset_import();
  op->set_domain("custom");
  op->set_version(1);
  auto* md = m.add_metadata_props();
  md->set_key("author");
  md->set_value("slim_model_test");

  auto* g = m.mutable_graph();
  g->set_name("main");
  g->set_doc_string("main graph");
  auto add_vi = [](google::protobuf::RepeatedPtrField<onnx::ValueInfoProto>* list, const std::string& name,
                   int elem) {
    auto* vi = list->Add();
    vi->set_name(name);
    auto* tt = vi->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(elem);
    tt->mutable_shape()->add_dim()->set_dim_param("batch");
    tt->mutable_shape()->add_dim()->set_dim_value(1024);
    vi->set_doc_string("vi " + name);
  };
  add_vi(g->mutable_input(), "X", TensorProto::FLOAT);
  add_vi(g->mutable_output(), "Y", TensorProto::FLOAT);
  add_vi(g->mutable_value_info(), "mid", TensorProto::FLOAT);

  // Initializers.
  {
    std::string p = random_bytes(rng, 4096);
    add_raw(g->add_initializer(), "w_raw", TensorProto::FLOAT, {1024}, p);
    ext("w_raw", p);
  }
  {
    auto v = random_floats(rng, 512);
    auto* t = g->add_initializer();
    t->set_name("w_float_data");
    t->set_data_type(TensorProto::FLOAT);
    t->add_dims(512);
    for (float x : v) t->add_float_data(x);
    ext("w_float_data", le_bytes(v.data(), v.size()));
  }
  {
    auto v = random_floats(rng, 512);
    auto* t = g->add_initializer();
    t->set_name("w_complex64");
    t->set_data_type(TensorProto::COMPLEX64);
    t->add_dims(256);
    for (float x : v) t->add_float_data(x);
    ext("w_complex64", le_bytes(v.data(), v.size()));
  }
  {
    auto v = random_doubles(rng, 300);
    auto* t = g->add_initializer();
    t->set_name("w_double_data");
    t->set_data_type(TensorProto::DOUBLE);
    t->add_dims(300);
    for (double x : v) t->add_double_data(x);
    ext("w_double_data", le_bytes(v.data(), v.size()));
  }
  {
    int64_t shape[2] = {1, 1024};
    add_raw(g->add_initializer(), "shape", TensorProto::INT64, {2}, le_bytes(shape, 2));
    keep("shape");
  }
  {
    auto* t = g->add_initializer();
    t->set_name("small_float_data");
    t->set_data_type(TensorProto::FLOAT);
    t->add_dims(8);
    for (float x : random_floats(rng, 8)) t->add_float_data(x);
    keep("small_float_data");
  }
  {
    auto* t = g->add_initializer();  // int32_data is varint-packed: never byte-identical to raw
    t->set_name("big_int32_data");
    t->set_data_type(TensorProto::INT32);
    t->add_dims(2000);
    for (int i = 0; i < 2000; ++i) t->add_int32_data(i * 7919);
    keep("big_int32_data");
  }
  {
    auto* t = g->add_initializer();  // float_data with a non-float data_type: left alone
    t->set_name("float_data_wrong_type");
    t->set_data_type(TensorProto::INT32);
    t->add_dims(512);
    for (float x : random_floats(rng, 512)) t->add_float_data(x);
    keep("float_data_wrong_type");
  }
  {
    auto* t = g->add_initializer();  // already external: untouched
    t->set_name("already_external");
    t->set_data_type(TensorProto::FLOAT);
    t->add_dims(256);
    t->set_data_location(TensorProto::EXTERNAL);
    auto* e = t->add_external_data();
    e->set_key("location");
    e->set_value("weights.bin");
    e = t->add_external_data();
    e->set_key("length");
    e->set_value("1024");
    keep("already_external");
  }
  {
    std::string p = random_bytes(rng, 1023);
    add_raw(g->add_initializer(), "edge_1023", TensorProto::UINT8, {1023}, p);
    keep("edge_1023");
    p = random_bytes(rng, 1024);
    add_raw(g->add_initializer(), "edge_1024", TensorProto::UINT8, {1024}, p);
    ext("edge_1024", p);
  }
  {
    auto* t = g->add_initializer();  // explicit DEFAULT location + stale external_data
    std::string p = random_bytes(rng, 2500);
    add_raw(t, "explicit_default", TensorProto::UINT8, {2500}, p);
    t->set_data_location(TensorProto::DEFAULT);
    auto* e = t->add_external_data();
    e->set_key("location");
    e->set_value("stale.bin");
    ext("explicit_default", p);
  }
  {
    auto* sp = g->add_sparse_initializer();
    sp->add_dims(100000);
    std::string pv = random_bytes(rng, 4000);
    add_raw(sp->mutable_values(), "sparse_values", TensorProto::FLOAT, {1000}, pv);
    ext("sparse_values", pv);
    std::vector<int64_t> idx(10);
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = static_cast<int64_t>(i * 97);
    add_raw(sp->mutable_indices(), "sparse_indices", TensorProto::INT64, {10}, le_bytes(idx.data(), idx.size()));
    keep("sparse_indices");
  }

  // Nodes.
  {
    auto* n = g->add_node();
    n->set_name("const0");
    n->set_op_type("Constant");
    n->add_output("c0");
    n->set_doc_string("constant node");
    auto* a = n->add_attribute();
    a->set_name("value");
    a->set_type(onnx::AttributeProto::TENSOR);
    std::string p = random_bytes(rng, 1200);
    add_raw(a->mutable_t(), "const_t", TensorProto::FLOAT, {300}, p);
    ext("const_t", p);
  }
  {
    auto* n = g->add_node();
    n->set_name("if0");
    n->set_op_type("If");
    n->add_input("cond");
    n->add_output("if_out");
    auto* a = n->add_attribute();
    a->set_name("then_branch");
    a->set_type(onnx::AttributeProto::GRAPH);
    auto* tg = a->mutable_g();
    tg->set_name("then");
    std::string p = random_bytes(rng, 2048);
    add_raw(tg->add_initializer(), "then_w", TensorProto::FLOAT, {512}, p);
    ext("then_w", p);
    auto* tn = tg->add_node();
    tn->set_op_type("Identity");
    tn->add_input("then_w");
    tn->add_output("then_out");
    add_vi(tg->mutable_output(), "then_out", TensorProto::FLOAT);

    a = n->add_attribute();
    a->set_name("else_branch");
    a->set_type(onnx::AttributeProto::GRAPH);
    auto* eg = a->mutable_g();
    eg->set_name("else");
    auto* en = eg->add_node();
    en->set_op_type("Constant");
    en->add_output("else_out");
    auto* ea = en->add_attribute();
    ea->set_name("value");
    ea->set_type(onnx::AttributeProto::TENSOR);
    add_raw(ea->mutable_t(), "else_small", TensorProto::FLOAT, {2}, random_bytes(rng, 8));
    keep("else_small");
    add_vi(eg->mutable_output(), "else_out", TensorProto::FLOAT);
  }
  {
    auto* n = g->add_node();
    n->set_name("custom_tensors");
    n->set_op_type("CustomOp");
    n->set_domain("custom");
    auto* a = n->add_attribute();
    a->set_name("tensors");
    a->set_type(onnx::AttributeProto::TENSORS);
    std::string p = random_bytes(rng, 1600);
    add_raw(a->add_tensors(), "list_big", TensorProto::DOUBLE, {200}, p);
    ext("list_big", p);
    add_raw(a->add_tensors(), "list_small", TensorProto::DOUBLE, {1}, random_bytes(rng, 8));
    keep("list_small");

    a = n->add_attribute();
    a->set_name("graphs");
    a->set_type(onnx::AttributeProto::GRAPHS);
    auto* gg = a->add_graphs();
    gg->set_name("graphs0");
    p = random_bytes(rng, 1500);
    add_raw(gg->add_initializer(), "graphs_w", TensorProto::UINT8, {1500}, p);
    ext("graphs_w", p);

    a = n->add_attribute();
    a->set_name("sparse");
    a->set_type(onnx::AttributeProto::SPARSE_TENSOR);
    auto* st = a->mutable_sparse_tensor();
    st->add_dims(5000);
    p = random_bytes(rng, 2000);
    add_raw(st->mutable_values(), "attr_sparse_values", TensorProto::UINT8, {2000}, p);
    ext("attr_sparse_values", p);
    std::vector<int64_t> idx = {1, 2};
    add_raw(st->mutable_indices(), "attr_sparse_indices", TensorProto::INT64, {2}, le_bytes(idx.data(), 2));
    keep("attr_sparse_indices");

    a = n->add_attribute();
    a->set_name("sparse_list");
    a->set_type(onnx::AttributeProto::SPARSE_TENSORS);
    st = a->add_sparse_tensors();
    st->add_dims(3000);
    p = random_bytes(rng, 1800);
    add_raw(st->mutable_values(), "attr_sparse_list_values", TensorProto::UINT8, {1800}, p);
    ext("attr_sparse_list_values", p);
    add_raw(st->mutable_indices(), "attr_sparse_list_indices", TensorProto::INT64, {2}, le_bytes(idx.data(), 2));
    keep("attr_sparse_list_indices");

    a = n->add_attribute();
    a->set_name("ints");
    a->set_type(onnx::AttributeProto::INTS);
    for (int i = 0; i < 10; ++i) a->add_ints(i);
    a = n->add_attribute();
    a->set_name("alpha");
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(0.5f);
  }
  {
    // Loop whose body contains an If whose then_branch contains a big Constant.
    auto* n = g->add_node();
    n->set_name("loop0");
    n->set_op_type("Loop");
    auto* a = n->add_attribute();
    a->set_name("body");
    a->set_type(onnx::AttributeProto::GRAPH);
    auto* body = a->mutable_g();
    body->set_name("body");
    auto* inner_if = body->add_node();
    inner_if->set_op_type("If");
    auto* ia = inner_if->add_attribute();
    ia->set_name("then_branch");
    ia->set_type(onnx::AttributeProto::GRAPH);
    auto* c = ia->mutable_g()->add_node();
    c->set_op_type("Constant");
    auto* ca = c->add_attribute();
    ca->set_name("value");
    ca->set_type(onnx::AttributeProto::TENSOR);
    std::string p = random_bytes(rng, 3000);
    add_raw(ca->mutable_t(), "deep_t", TensorProto::UINT8, {3000}, p);
    ext("deep_t", p);
  }

  // Function with a big Constant.
  {
    auto* f = m.add_functions();
    f->set_name("MyFunc");
    f->set_domain("custom");
    f->add_input("x");
    f->add_output("y");
    auto* fo = f->add_opset_import();
    fo->set_domain("");
    fo->set_version(17);
    auto* n = f->add_node();
    n->set_op_type("Constant");
    n->add_output("k");
    auto* a = n->add_attribute();
    a->set_name("value");
    a->set_type(onnx::AttributeProto::TENSOR);
    std::string p = random_bytes(rng, 1100);
    add_raw(a->mutable_t(), "func_t", TensorProto::UINT8, {1100}, p);
    ext("func_t", p);
  }
  // Training info.
  {
    auto* ti = m.add_training_info();
    auto* ig = ti->mutable_initialization();
    ig->set_name("init");
    std::string p = random_bytes(rng, 1300);
    add_raw(ig->add_initializer(), "train_w", TensorProto::UINT8, {1300}, p);
    ext("train_w", p);
    auto* b = ti->add_initialization_binding();
    b->set_key("w_raw");
    b->set_value("train_w");
  }
  return rm;
}

// A small model (~1 KB) where everything is externalized with min 16; used
// for truncation and mutation fuzzing.
onnx::ModelProto make_small_model() {
  std::mt19937_64 rng(7);
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.set_producer_name("small");
  m.add_opset_import()->set_version(17);
  auto* g = m.mutable_graph();
  g->set_name("g");
  auto* vi = g->add_input();
  vi->set_name("X");
  vi->mutable_type()->mutable_tensor_type()->set_elem_type(1);
  add_raw(g->add_initializer(), "a", TensorProto::FLOAT, {16}, random_bytes(rng, 64));
  auto* t = g->add_initializer();
  t->set_name("b");
  t->set_data_type(TensorProto::FLOAT);
  for (float x : random_floats(rng, 12)) t->add_float_data(x);
  t = g->add_initializer();
  t->set_name("d");
  t->set_data_type(TensorProto::DOUBLE);
  for (double x : random_doubles(rng, 5)) t->add_double_data(x);
  add_raw(g->add_initializer(), "tiny", TensorProto::INT64, {1}, random_bytes(rng, 8));
  auto* n = g->add_node();
  n->set_op_type("Constant");
  n->add_output("c");
  auto* a = n->add_attribute();
  a->set_name("value");
  a->set_type(onnx::AttributeProto::TENSOR);
  add_raw(a->mutable_t(), "ct", TensorProto::UINT8, {40}, random_bytes(rng, 40));
  n = g->add_node();
  n->set_op_type("If");
  a = n->add_attribute();
  a->set_name("then_branch");
  a->set_type(onnx::AttributeProto::GRAPH);
  add_raw(a->mutable_g()->add_initializer(), "sub", TensorProto::UINT8, {33}, random_bytes(rng, 33));
  a->mutable_g()->add_node()->set_op_type("Identity");
  auto* sp = g->add_sparse_initializer();
  add_raw(sp->mutable_values(), "spv", TensorProto::UINT8, {20}, random_bytes(rng, 20));
  sp->add_dims(100);
  return m;
}

}  // namespace

// ===========================================================================

BOOST_AUTO_TEST_CASE(rich_model_matches_independent_expectations) {
  RichModel rm = make_rich_model();
  const std::string original = rm.model.SerializeAsString();
  const wo::SlimResult r = slim(original);

  uint64_t expected_bytes = 0;
  for (auto& [name, payload] : rm.externalized) expected_bytes += payload.size();
  BOOST_TEST(r.externalized_tensors == rm.externalized.size());
  BOOST_TEST(r.externalized_bytes == expected_bytes);

  onnx::ModelProto sl;
  BOOST_REQUIRE(sl.ParseFromString(r.bytes));

  // Expected slim model, built from the original with the protobuf API: every
  // tensor expected to be externalized gets its payload replaced by a
  // reference to the unique place its bytes occupy in the serialized original.
  onnx::ModelProto expected = rm.model;
  size_t seen_ext = 0, seen_keep = 0;
  for (auto* t : collect_tensors(expected)) {
    auto it = rm.externalized.find(t->name());
    if (it == rm.externalized.end()) {
      seen_keep += rm.kept_inline.count(t->name());
      continue;
    }
    ++seen_ext;
    const uint64_t pos = find_unique(original, it->second);
    t->clear_raw_data();
    t->clear_float_data();
    t->clear_double_data();
    t->clear_external_data();
    t->set_data_location(TensorProto::EXTERNAL);
    auto* e = t->add_external_data();
    e->set_key("winglet.self.offset");
    e->set_value(std::to_string(pos));
    e = t->add_external_data();
    e->set_key("winglet.self.length");
    e->set_value(std::to_string(it->second.size()));
  }
  BOOST_TEST(seen_ext == rm.externalized.size());
  BOOST_TEST(seen_keep == rm.kept_inline.size());

  if (expected.SerializeAsString() != sl.SerializeAsString()) {
    std::string report;
    google::protobuf::util::MessageDifferencer d;
    d.ReportDifferencesToString(&report);
    d.Compare(expected, sl);
    BOOST_ERROR("slim model differs from expectation:\n" << report);
  }

  // The references point at exactly the original payload bytes.
  for (auto& [name, payload] : rm.externalized) {
    TensorProto* t = find_tensor(sl, name);
    BOOST_REQUIRE_MESSAGE(t, name);
    uint64_t off = 0, len = 0;
    BOOST_REQUIRE_MESSAGE(get_self_ref(*t, off, len), name);
    BOOST_TEST(len == payload.size());
    BOOST_REQUIRE(off + len <= original.size());
    BOOST_TEST(std::memcmp(original.data() + off, payload.data(), len) == 0, name);
    BOOST_TEST(!t->has_raw_data());
    BOOST_TEST(t->float_data_size() == 0);
    BOOST_TEST(t->double_data_size() == 0);
  }
  // Small/unsupported tensors are untouched.
  for (auto& name : rm.kept_inline) {
    TensorProto* a = find_tensor(rm.model, name);
    TensorProto* b = find_tensor(sl, name);
    BOOST_REQUIRE_MESSAGE(a && b, name);
    BOOST_TEST(a->SerializeAsString() == b->SerializeAsString(), name);
  }
  TensorProto* shape = find_tensor(sl, "shape");
  BOOST_TEST(shape->raw_data().size() == 16u);
  BOOST_TEST(!shape->has_data_location());
  BOOST_TEST(shape->external_data_size() == 0);
  // Explicit DEFAULT + stale external_data were replaced, not appended to.
  TensorProto* ed = find_tensor(sl, "explicit_default");
  BOOST_TEST(ed->external_data_size() == 2);

  // Much smaller: the slim copy is the original minus the payloads plus ~90
  // bytes of reference per tensor.
  BOOST_TEST(r.bytes.size() + r.externalized_bytes <= original.size() + 100 * r.externalized_tensors);
  BOOST_TEST(r.bytes.size() * 3 < original.size());
  BOOST_TEST_MESSAGE("rich model: " << original.size() << " -> " << r.bytes.size() << " bytes, "
                                    << r.externalized_tensors << " tensors externalized");

  // Also passes the generic differential check, and is stable under options.
  BOOST_TEST(check_roundtrip(original, {}) == "");
  BOOST_TEST(check_roundtrip(original, with_min(0)) == "");
  BOOST_TEST(check_roundtrip(original, with_min(16)) == "");
  BOOST_TEST(slim(original, with_min(UINT64_MAX)).bytes == original);
  BOOST_TEST(slim(original, with_min(UINT64_MAX)).externalized_tensors == 0u);

  // Slimming a slim model is the identity (nothing left to externalize).
  BOOST_TEST(slim(r.bytes).bytes == r.bytes);
}

BOOST_AUTO_TEST_CASE(hand_crafted_tensor_encodings) {
  std::mt19937_64 rng(99);
  struct Case {
    std::string label;
    std::string tensor;
    std::string expected_payload;  // empty: must not be externalized
  };
  std::vector<Case> cases;
  auto P = [&](size_t n) { return random_bytes(rng, n); };
  auto floats_packed = [&](size_t n) {
    auto v = random_floats(rng, n);
    return le_bytes(v.data(), n);
  };
  auto doubles_packed = [&](size_t n) {
    auto v = random_doubles(rng, n);
    return le_bytes(v.data(), n);
  };
  const std::string name = len_field(8, "t");

  {
    std::string p = P(2000);
    cases.push_back({"raw_data before data_type", len_field(9, p) + varint_field(2, 2) + name, p});
  }
  {
    std::string p = floats_packed(512);
    cases.push_back({"float_data before data_type FLOAT", len_field(4, p) + varint_field(2, 1) + name, p});
  }
  {
    std::string p = floats_packed(512);
    cases.push_back({"float_data, data_type COMPLEX64 last", name + len_field(4, p) + varint_field(2, 14), p});
  }
  cases.push_back({"float_data with INT32 data_type", len_field(4, floats_packed(512)) + varint_field(2, 6), ""});
  cases.push_back({"float_data without data_type", len_field(4, floats_packed(512)) + name, ""});
  {
    std::string p = doubles_packed(300);
    cases.push_back({"double_data, DOUBLE", len_field(10, p) + varint_field(2, 11), p});
  }
  {
    std::string p = doubles_packed(300);
    cases.push_back({"double_data, COMPLEX128", varint_field(2, 15) + len_field(10, p), p});
  }
  cases.push_back({"double_data with FLOAT data_type", len_field(10, doubles_packed(300)) + varint_field(2, 1), ""});
  cases.push_back({"float_data in two packed runs",
                   varint_field(2, 1) + len_field(4, floats_packed(300)) + len_field(4, floats_packed(300)), ""});
  {
    std::string t = varint_field(2, 1);
    for (int i = 0; i < 300; ++i) t += tag(4, 5) + floats_packed(1);
    cases.push_back({"unpacked float_data", t, ""});
  }
  {
    std::string p1 = P(2000), p2 = P(3000);
    cases.push_back({"raw_data twice: last wins", len_field(9, p1) + varint_field(2, 2) + len_field(9, p2), p2});
  }
  {
    std::string p = P(1500);
    cases.push_back({"explicit DEFAULT location + stale external_data",
                     varint_field(14, 0) + len_field(13, len_field(1, "location") + len_field(2, "x.bin")) +
                         len_field(9, p) + varint_field(2, 2),
                     p});
  }
  cases.push_back({"already EXTERNAL", varint_field(2, 2) + len_field(9, P(1500)) + varint_field(14, 1), ""});
  {
    std::string p = P(1500);
    cases.push_back({"EXTERNAL then DEFAULT: last wins", varint_field(14, 1) + len_field(9, p) + varint_field(14, 0), p});
  }
  cases.push_back({"DEFAULT then EXTERNAL: last wins", varint_field(14, 0) + len_field(9, P(1500)) + varint_field(14, 1), ""});
  cases.push_back({"EXTERNAL then invalid enum 7 (unknown field)",
                   varint_field(14, 1) + len_field(9, P(1500)) + varint_field(14, 7), ""});
  {
    std::string p = P(1500);
    cases.push_back({"invalid enum 7 alone is kept as unknown field", varint_field(14, 7) + len_field(9, p), p});
  }
  {
    std::string p = floats_packed(400);
    cases.push_back({"data_type varint 2^32+1 truncates to FLOAT", varint_field(2, (uint64_t{1} << 32) + 1) + len_field(4, p), p});
  }
  {
    std::string p = P(1500);
    cases.push_back({"raw_data with wrong wire type elsewhere (unknown)", varint_field(9, 5) + len_field(9, p), p});
  }
  cases.push_back({"data_type with wrong wire type (unknown field)",
                   len_field(2, std::string(1, '\x01')) + len_field(4, floats_packed(512)), ""});
  cases.push_back({"data_type as fixed32 (unknown field)",
                   tag(2, 5) + std::string("\x01\x00\x00\x00", 4) + len_field(4, floats_packed(512)), ""});
  cases.push_back({"small raw_data", len_field(9, P(1023)) + varint_field(2, 2), ""});
  cases.push_back({"big raw_data but last occurrence small", len_field(9, P(4000)) + len_field(9, P(10)), ""});

  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.label) {
      const std::string model = model_with_initializer_bytes(c.tensor);
      wo::SlimResult r;
      BOOST_TEST(check_roundtrip(model, {}, &r) == "");
      if (c.expected_payload.empty()) {
        BOOST_TEST(r.externalized_tensors == 0u);
        BOOST_TEST(r.bytes == model);
        continue;
      }
      BOOST_TEST(r.externalized_tensors == 1u);
      BOOST_TEST(r.externalized_bytes == c.expected_payload.size());
      onnx::ModelProto sl;
      BOOST_REQUIRE(sl.ParseFromString(r.bytes));
      const TensorProto& t = sl.graph().initializer(0);
      uint64_t off = 0, len = 0;
      BOOST_REQUIRE(get_self_ref(t, off, len));
      BOOST_TEST(off == find_unique(model, c.expected_payload));
      BOOST_TEST(len == c.expected_payload.size());
      BOOST_TEST(!t.has_raw_data());
      BOOST_TEST(t.float_data_size() == 0);
      BOOST_TEST(t.double_data_size() == 0);
      BOOST_TEST(t.external_data_size() == 2);
      BOOST_TEST(t.data_location() == TensorProto::EXTERNAL);
    }
  }

  // Packed float/double data whose length is not a multiple of the element
  // size is invalid (protobuf rejects it); it is left inline, so the parse of
  // the slim copy still fails.
  for (const std::string& t : {len_field(4, P(2050)) + varint_field(2, 1), len_field(10, P(2052)) + varint_field(2, 11)}) {
    const std::string model = model_with_initializer_bytes(t);
    onnx::ModelProto m;
    BOOST_TEST(!m.ParseFromString(model));
    const wo::SlimResult r = slim(model);
    BOOST_TEST(r.externalized_tensors == 0u);
    BOOST_TEST(r.bytes == model);
  }

  // min_externalized_bytes = 0: even an empty raw_data becomes a reference.
  {
    const std::string model = model_with_initializer_bytes(len_field(9, "") + varint_field(2, 2));
    wo::SlimResult r;
    BOOST_TEST(check_roundtrip(model, with_min(0), &r) == "");
    BOOST_TEST(r.externalized_tensors == 1u);
    BOOST_TEST(r.externalized_bytes == 0u);
  }
  // Output larger than input (tiny threshold): length prefixes grow correctly.
  {
    std::string tensors;
    for (int i = 0; i < 200; ++i) tensors += len_field(5, len_field(9, P(3)) + varint_field(2, 2));
    const std::string model = len_field(7, tensors) + varint_field(1, 8);
    wo::SlimResult r;
    BOOST_TEST(check_roundtrip(model, with_min(1), &r) == "");
    BOOST_TEST(r.externalized_tensors == 200u);
    BOOST_TEST(r.bytes.size() > model.size());
  }
}

BOOST_AUTO_TEST_CASE(unknown_fields_groups_and_wrong_wire_types_are_preserved) {
  std::mt19937_64 rng(5);
  auto unknowns = [&](uint32_t base) {
    return varint_field(base, 5) + tag(base + 1, 1) + std::string("12345678") + tag(base + 2, 5) +
           std::string("abcd") + len_field(base + 3, "xyz") +
           // group with a nested group and a LEN inside
           tag(base + 4, 3) + varint_field(1, 7) + tag(base + 5, 3) + len_field(2, "in") + tag(base + 5, 4) +
           tag(base + 4, 4);
  };
  const std::string payload = random_bytes(rng, 3000);
  const std::string attr_payload = random_bytes(rng, 2000);
  onnx::TensorProto t;
  add_raw(&t, "w", TensorProto::FLOAT, {750}, payload);
  // raw_data (9) as a varint is an unknown field for protobuf; keep it.
  const std::string tensor = t.SerializeAsString() + unknowns(100) + varint_field(9, 77);

  onnx::AttributeProto a;
  a.set_name("value");
  a.set_type(onnx::AttributeProto::TENSOR);
  add_raw(a.mutable_t(), "at", TensorProto::UINT8, {2000}, attr_payload);
  const std::string attr = a.SerializeAsString() + unknowns(300) + tag(5, 5) + std::string("wxyz");
  onnx::NodeProto n;
  n.set_op_type("Constant");
  n.add_output("c");
  // attribute (5) as fixed32: unknown for protobuf
  const std::string node = n.SerializeAsString() + len_field(5, attr) + unknowns(200) + tag(5, 5) + "1234";
  const std::string graph = len_field(1, node) + len_field(5, tensor) + unknowns(400) + len_field(2, "gname");
  // graph (7) as a varint: unknown for protobuf
  const std::string model = varint_field(1, 8) + len_field(7, graph) + unknowns(500) + varint_field(7, 42) +
                            unknowns(600);

  wo::SlimResult r;
  BOOST_TEST(check_roundtrip(model, {}, &r) == "");
  BOOST_TEST(r.externalized_tensors == 2u);
  for (uint32_t base : {100u, 200u, 300u, 400u, 500u, 600u}) BOOST_TEST(contains(r.bytes, unknowns(base)));
  BOOST_TEST(contains(r.bytes, varint_field(7, 42)));
  BOOST_TEST(contains(r.bytes, varint_field(9, 77)));

  onnx::ModelProto sl;
  BOOST_REQUIRE(sl.ParseFromString(r.bytes));
  BOOST_TEST(sl.unknown_fields().field_count() > 0);
  BOOST_TEST(sl.graph().initializer(0).unknown_fields().field_count() > 0);
  uint64_t off, len;
  BOOST_REQUIRE(get_self_ref(sl.graph().initializer(0), off, len));
  BOOST_TEST(off == find_unique(model, payload));
  BOOST_REQUIRE(get_self_ref(sl.graph().node(0).attribute(0).t(), off, len));
  BOOST_TEST(off == find_unique(model, attr_payload));
}

BOOST_AUTO_TEST_CASE(malformed_inputs_report_problem_and_offset) {
  struct Bad {
    std::string label;
    std::string bytes;
    uint64_t offset;
    std::string message_part;
  };
  const std::string ir = varint_field(1, 8);
  std::vector<Bad> bad = {
      {"truncated value varint", bytes_of({0x08}), 1, "truncated value varint"},
      {"truncated tag", bytes_of({0x08, 0x01, 0x80}), 2, "truncated tag varint"},
      {"11-byte varint", bytes_of({0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}), 1,
       "longer than 10 bytes"},
      {"tag over 32 bits", bytes_of({0x80, 0x80, 0x80, 0x80, 0x10, 0x00}), 0, "does not fit in 32 bits"},
      {"field number 0", bytes_of({0x08, 0x01, 0x00, 0x01}), 2, "field number 0"},
      {"wire type 6", bytes_of({0x0E, 0x00}), 0, "invalid wire type 6"},
      {"wire type 7", ir + bytes_of({0x17}), 2, "invalid wire type 7"},
      {"end-group outside group", ir + bytes_of({0x0C}), 2, "unexpected end-group"},
      {"unterminated group", bytes_of({0x0B, 0x08, 0x01}), 0, "not terminated"},
      {"mismatched end-group", bytes_of({0x0B, 0x14}), 1, "does not match"},
      {"fixed64 truncated", bytes_of({0x09, 1, 2, 3}), 1, "fixed64"},
      {"fixed32 truncated", bytes_of({0x0D, 1}), 1, "fixed32"},
      {"length past end of buffer", bytes_of({0x3A, 0x63}), 1,
       "length 99 of field 7 runs past the end of the buffer (size 2)"},
      {"length past end of enclosing message", bytes_of({0x3A, 0x04, 0x0A, 0x0A, 0x00, 0x00}) + ir, 3,
       "runs past the end of the enclosing GraphProto (which ends at offset 6)"},
      {"length past end of enclosing message but inside the buffer",
       bytes_of({0x3A, 0x04, 0x0A, 0x05, 0x00, 0x00, 0x08, 0x08, 0x08}), 3,
       "length 5 of field 1 runs past the end of the enclosing GraphProto (which ends at offset 6)"},
      {"huge length", bytes_of({0x3A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}), 1,
       "length 18446744073709551615"},
      {"bad field inside a tensor inside a node attribute",
       len_field(7, len_field(1, len_field(5, len_field(5, varint_field(2, 1) + bytes_of({0x4F}))))), 10,
       "invalid wire type 7 (field 9) in TensorProto"},
  };
  for (const auto& b : bad) {
    BOOST_TEST_CONTEXT(b.label) {
      onnx::ModelProto m;
      BOOST_TEST(!m.ParseFromString(b.bytes));  // protobuf rejects these too
      try {
        slim(b.bytes);
        BOOST_ERROR("no exception");
      } catch (const wo::WireFormatError& e) {
        const std::string what = e.what();
        BOOST_TEST(e.offset() == b.offset);
        BOOST_TEST(what.rfind("malformed protobuf at offset " + std::to_string(b.offset) + ": ", 0) == 0u, what);
        BOOST_TEST(what.find(b.message_part) != std::string::npos, what);
      }
    }
  }

  // Empty input is an empty ModelProto; null with size 0 is fine too.
  BOOST_TEST(slim(std::string()).bytes.empty());
  BOOST_TEST(wo::slim_model_bytes(nullptr, 0).bytes.empty());
  BOOST_CHECK_THROW(wo::slim_model_bytes(nullptr, 5), std::invalid_argument);

  // The rewriter does not validate the content of fields it copies verbatim
  // (ValueInfoProto here): protobuf reports it when the slim copy is parsed.
  const std::string garbage_vi = len_field(7, len_field(11, bytes_of({0x0F, 0x0F})));
  wo::SlimResult r = slim(garbage_vi);
  BOOST_TEST(r.bytes == garbage_vi);
  onnx::ModelProto m;
  BOOST_TEST(!m.ParseFromString(r.bytes));
}

BOOST_AUTO_TEST_CASE(nesting_depth_is_bounded) {
  // 25 nested If levels: Model(0) > Graph(1) > Node(2) > Attribute(3) > Graph(4) > ... ; the
  // innermost tensor is at depth 1 + 3*25 + 1 = 77.
  std::mt19937_64 rng(3);
  const std::string payload = random_bytes(rng, 2000);
  onnx::ModelProto m;
  onnx::GraphProto* g = m.mutable_graph();
  for (int i = 0; i < 25; ++i) {
    auto* n = g->add_node();
    n->set_op_type("If");
    auto* a = n->add_attribute();
    a->set_name("then_branch");
    a->set_type(onnx::AttributeProto::GRAPH);
    g = a->mutable_g();
  }
  add_raw(g->add_initializer(), "deep", TensorProto::UINT8, {2000}, payload);
  const std::string bytes = m.SerializeAsString();

  try {
    slim(bytes);
    BOOST_ERROR("expected a depth error");
  } catch (const wo::WireFormatError& e) {
    BOOST_TEST(std::string(e.what()).find("max_depth (64)") != std::string::npos, e.what());
  }
  wo::SlimOptions deep;
  deep.max_depth = 100;
  wo::SlimResult r;
  BOOST_TEST(check_roundtrip(bytes, deep, &r) == "");
  BOOST_TEST(r.externalized_tensors == 1u);

  wo::SlimOptions exact;
  exact.max_depth = 77;  // the innermost tensor's depth
  BOOST_TEST(slim(bytes, exact).externalized_tensors == 1u);
  exact.max_depth = 76;
  BOOST_CHECK_THROW(slim(bytes, exact), wo::WireFormatError);

  wo::SlimOptions shallow;
  shallow.max_depth = 1;  // graph allowed, node not
  BOOST_CHECK_THROW(slim(bytes, shallow), wo::WireFormatError);
  shallow.max_depth = 0;
  BOOST_CHECK_THROW(slim(bytes, shallow), wo::WireFormatError);
  BOOST_TEST(slim(varint_field(1, 8), shallow).bytes == varint_field(1, 8));

  // Deeply nested groups in an unknown field are bounded too.
  std::string groups;
  for (int i = 0; i < 70; ++i) groups += tag(1000, 3);
  for (int i = 0; i < 70; ++i) groups += tag(1000, 4);
  const std::string gm = varint_field(1, 8) + groups;
  BOOST_CHECK_THROW(slim(gm), wo::WireFormatError);
  BOOST_TEST(check_roundtrip(gm, deep) == "");
  exact.max_depth = 70;  // the innermost group's depth
  BOOST_TEST(slim(gm, exact).bytes == gm);
  exact.max_depth = 69;
  BOOST_CHECK_THROW(slim(gm, exact), wo::WireFormatError);
}

BOOST_AUTO_TEST_CASE(truncation_at_every_byte) {
  const std::string full = make_small_model().SerializeAsString();
  const wo::SlimOptions opt = with_min(16);
  {
    wo::SlimResult r;
    BOOST_REQUIRE(check_roundtrip(full, opt, &r) == "");
    BOOST_TEST(r.externalized_tensors == 6u);  // a, b, d, ct, sub, spv; "tiny" (8 bytes) stays inline
  }
  size_t ok = 0, rejected = 0;
  for (size_t k = 0; k <= full.size(); ++k) {
    // Copy into an exactly-sized heap buffer so ASan catches any over-read.
    std::vector<uint8_t> buf(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(k));
    const std::string prefix(full.data(), k);
    onnx::ModelProto pm;
    const bool protobuf_ok = pm.ParseFromString(prefix);
    try {
      wo::SlimResult r = wo::slim_model_bytes(buf.data(), buf.size(), opt);
      ++ok;
      if (protobuf_ok) {
        std::string e = check_roundtrip(prefix, opt);
        if (!e.empty()) BOOST_ERROR("prefix " << k << ": " << e);
      }
    } catch (const wo::WireFormatError& e) {
      ++rejected;
      if (protobuf_ok) BOOST_ERROR("prefix " << k << " parses with protobuf but slim rejects it: " << e.what());
      if (e.offset() > k) BOOST_ERROR("prefix " << k << ": error offset out of range: " << e.what());
    }
  }
  BOOST_TEST_MESSAGE("truncation: " << full.size() + 1 << " prefixes, " << ok << " accepted, " << rejected
                                    << " rejected");
  BOOST_TEST(rejected > full.size() / 2);
  BOOST_TEST(ok >= 3u);  // empty, full, and prefixes ending at top-level field boundaries
}

BOOST_AUTO_TEST_CASE(fuzz_random_and_mutated_inputs) {
  std::mt19937_64 rng(20240601);
  const std::string seed = make_small_model().SerializeAsString();
  const wo::SlimOptions opt = with_min(16);
  size_t accepted = 0, rejected = 0, differential = 0;
  const auto start = std::chrono::steady_clock::now();

  auto run_one = [&](const std::string& input, const char* what, size_t iter) {
    std::vector<uint8_t> buf(input.begin(), input.end());  // exact-size buffer for ASan
    onnx::ModelProto pm;
    const bool protobuf_ok = pm.ParseFromString(input);
    try {
      wo::SlimResult r = wo::slim_model_bytes(buf.data(), buf.size(), opt);
      ++accepted;
      if (protobuf_ok) {
        ++differential;
        std::string e = check_roundtrip(input, opt);
        if (!e.empty()) BOOST_ERROR(what << " #" << iter << ": " << e);
      }
    } catch (const wo::WireFormatError& e) {
      ++rejected;
      if (protobuf_ok) BOOST_ERROR(what << " #" << iter << ": protobuf accepts, slim rejects: " << e.what());
      if (e.offset() > input.size()) BOOST_ERROR(what << " #" << iter << ": offset out of range: " << e.what());
    }
  };

  // Pure random bytes.
  for (size_t i = 0; i < 3000; ++i) {
    std::string s = random_bytes(rng, rng() % 300);
    run_one(s, "random", i);
  }
  // Random sequences of plausible fields (valid tags with random wire data).
  for (size_t i = 0; i < 2000; ++i) {
    std::string s;
    const int nfields = static_cast<int>(rng() % 8);
    for (int f = 0; f < nfields; ++f) {
      const uint32_t field = static_cast<uint32_t>(1 + rng() % 26);
      const uint32_t wt = static_cast<uint32_t>(rng() % 6);
      s += tag(field, wt);
      switch (wt) {
        case 0: s += varint(rng() % 300); break;
        case 1: s += random_bytes(rng, 8); break;
        case 2: {
          const size_t n = rng() % 40;
          s += varint(n + (rng() % 10 == 0 ? 1 : 0)) + random_bytes(rng, n);
          break;
        }
        case 5: s += random_bytes(rng, 4); break;
        default: break;
      }
    }
    run_one(s, "fields", i);
  }
  // Mutations of a valid model.
  for (size_t i = 0; i < 5000; ++i) {
    std::string s = seed;
    const int nmut = 1 + static_cast<int>(rng() % 4);
    for (int j = 0; j < nmut && !s.empty(); ++j) {
      const size_t pos = rng() % s.size();
      switch (rng() % 6) {
        case 0: s[pos] = static_cast<char>(s[pos] ^ (1 << (rng() % 8))); break;
        case 1: s[pos] = static_cast<char>(rng() & 0xFF); break;
        case 2: s.insert(pos, 1, static_cast<char>(rng() & 0xFF)); break;
        case 3: s.erase(pos, 1 + rng() % 4); break;
        case 4: s.resize(pos); break;
        case 5: {
          const size_t len = std::min<size_t>(1 + rng() % 16, s.size() - pos);
          s.insert(rng() % s.size(), s.substr(pos, len));
          break;
        }
      }
    }
    run_one(s, "mutated", i);
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  BOOST_TEST_MESSAGE("fuzz: " << accepted << " accepted (" << differential << " differentially checked), "
                              << rejected << " rejected in " << secs << " s");
  BOOST_TEST(differential > 100u);
  BOOST_TEST(rejected > 1000u);
}

#if defined(__unix__)
// A > 4 GiB payload in a mapping whose payload pages are PROT_NONE: the
// rewriter must never read payload bytes (any read faults) and must handle
// 64-bit offsets/lengths. MAP_NORESERVE keeps this cheap (nothing is touched).
BOOST_AUTO_TEST_CASE(payloads_are_never_read_and_offsets_are_64_bit) {
  const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  const uint64_t big = (uint64_t{5} << 30) + 12345;  // 5 GiB + a bit
  const uint64_t small = 64 * 1024 + 7;

  // model { graph { initializer { name "big" data_type UINT8 raw_data <big> }
  //                 initializer { raw_data <small> data_type FLOAT name "small" } }
  //         ir_version 8 }
  const std::string t1_head = len_field(8, "big") + varint_field(2, 2) + tag(9, 2) + varint(big);
  const uint64_t t1_len = t1_head.size() + big;
  const std::string t2_head = tag(9, 2) + varint(small);
  const std::string t2_tail = varint_field(2, 1) + len_field(8, "small");
  const uint64_t t2_len = t2_head.size() + small + t2_tail.size();
  const std::string g_t1 = tag(5, 2) + varint(t1_len);
  const std::string g_t2 = tag(5, 2) + varint(t2_len);
  const uint64_t graph_len = g_t1.size() + t1_len + g_t2.size() + t2_len;
  const std::string head = tag(7, 2) + varint(graph_len) + g_t1 + t1_head;
  const std::string trailer = varint_field(1, 8);
  const uint64_t total = head.size() + big + g_t2.size() + t2_head.size() + small + t2_tail.size() + trailer.size();

  void* map = mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (map == MAP_FAILED) {
    BOOST_WARN_MESSAGE(false, "cannot map " << total << " bytes; skipped");
    return;
  }
  auto* base = static_cast<uint8_t*>(map);
  uint64_t pos = 0;
  auto put = [&](const std::string& s) {
    std::memcpy(base + pos, s.data(), s.size());
    pos += s.size();
  };
  auto protect = [&](uint64_t begin, uint64_t end) {  // whole pages strictly inside [begin, end)
    const uint64_t b = (begin + page - 1) / page * page, e = end / page * page;
    if (e > b) BOOST_REQUIRE(mprotect(base + b, e - b, PROT_NONE) == 0);
  };
  put(head);
  const uint64_t big_off = pos;
  pos += big;
  put(g_t2);
  put(t2_head);
  const uint64_t small_off = pos;
  pos += small;
  put(t2_tail);
  put(trailer);
  BOOST_REQUIRE(pos == total);
  protect(big_off, big_off + big);
  protect(small_off, small_off + small);

  wo::SlimResult r;
  BOOST_CHECK_NO_THROW(r = wo::slim_model_bytes(base, total));
  munmap(map, total);

  BOOST_TEST(r.externalized_tensors == 2u);
  BOOST_TEST(r.externalized_bytes == big + small);
  BOOST_TEST(r.bytes.size() < 1000u);
  onnx::ModelProto sl;
  BOOST_REQUIRE(sl.ParseFromString(r.bytes));
  BOOST_TEST(sl.ir_version() == 8);
  BOOST_REQUIRE(sl.graph().initializer_size() == 2);
  uint64_t off = 0, len = 0;
  BOOST_REQUIRE(get_self_ref(sl.graph().initializer(0), off, len));
  BOOST_TEST(off == big_off);
  BOOST_TEST(len == big);
  BOOST_TEST(sl.graph().initializer(0).name() == "big");
  BOOST_REQUIRE(get_self_ref(sl.graph().initializer(1), off, len));
  BOOST_TEST(off == small_off);
  BOOST_TEST(len == small);
  BOOST_TEST(sl.graph().initializer(1).name() == "small");
  BOOST_TEST(sl.graph().initializer(1).data_type() == TensorProto::FLOAT);
}
#endif

BOOST_AUTO_TEST_CASE(self_reference_value_parser) {
  uint64_t v = 7;
  BOOST_TEST(wo::parse_self_reference_value("0", v));
  BOOST_TEST(v == 0u);
  BOOST_TEST(wo::parse_self_reference_value("1234", v));
  BOOST_TEST(v == 1234u);
  BOOST_TEST(wo::parse_self_reference_value("18446744073709551615", v));
  BOOST_TEST(v == UINT64_MAX);
  for (const char* bad : {"", "-1", "+1", "01", " 1", "1 ", "1a", "18446744073709551616", "99999999999999999999",
                          "123456789012345678901"})
    BOOST_TEST(!wo::parse_self_reference_value(bad, v), bad);
}

namespace {
// Slim + differential check over every .onnx under `dir` (recursively).
void check_model_directory(const std::string& dir, bool real_models) {
  if (!fs::is_directory(dir)) {
    BOOST_WARN_MESSAGE(false, "directory " << dir << " not found; skipped");
    return;
  }
  std::vector<fs::path> files;
  for (auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".onnx") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  BOOST_TEST_MESSAGE(dir << ": " << files.size() << " models");
  BOOST_REQUIRE(!files.empty());

  uint64_t total_in = 0, total_out = 0, total_tensors = 0, total_tensors_min0 = 0, total_ext_bytes = 0;
  double slim_secs = 0;
  for (const auto& path : files) {
    const std::string bytes = read_file(path);
    BOOST_TEST_CONTEXT(path.string()) {
      onnx::ModelProto m;
      BOOST_REQUIRE(m.ParseFromString(bytes));
      try {
        wo::SlimResult r;
        const auto t0 = std::chrono::steady_clock::now();
        wo::SlimResult timing = slim(bytes);
        slim_secs += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        BOOST_TEST(check_roundtrip(bytes, {}, &r) == "");
        BOOST_TEST(r.bytes == timing.bytes);
        total_in += bytes.size();
        total_out += r.bytes.size();
        total_tensors += r.externalized_tensors;
        total_ext_bytes += r.externalized_bytes;
        wo::SlimResult r0;
        BOOST_TEST(check_roundtrip(bytes, with_min(0), &r0) == "");
        total_tensors_min0 += r0.externalized_tensors;
        BOOST_TEST(slim(bytes, with_min(UINT64_MAX)).bytes == bytes);
        if (real_models) {
          BOOST_TEST_MESSAGE("  " << path.filename().string() << ": " << bytes.size() << " -> " << r.bytes.size()
                                  << " bytes, " << r.externalized_tensors << " tensors ("
                                  << r.externalized_bytes << " bytes) externalized");
          BOOST_TEST(r.bytes.size() * 5 < bytes.size());  // weights dominate real models
        }
      } catch (const wo::WireFormatError& e) {
        BOOST_ERROR("rejected: " << e.what());
      }
    }
  }
  BOOST_TEST_MESSAGE(dir << ": " << total_in << " -> " << total_out << " bytes; externalized " << total_tensors
                         << " tensors (" << total_ext_bytes << " bytes) at the default threshold, "
                         << total_tensors_min0 << " at threshold 0; slim time " << slim_secs * 1e3 << " ms");
}
}  // namespace

BOOST_AUTO_TEST_CASE(libonnx_testdata_models) {
  check_model_directory(env_or("WINGLET_ONNX_TESTDATA_DIR", "/usr/share/libonnx-testdata/data"), false);
}

BOOST_AUTO_TEST_CASE(shared_real_models) {
  check_model_directory(env_or("WINGLET_SHARED_MODELS_DIR", WINGLET_DEFAULT_SHARED_MODELS_DIR), true);
}
