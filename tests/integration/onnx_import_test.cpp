// The ONNX importer plugin through the engine's import API: ONNX's own test models, the real models
// in ../shared/models (parameter counts against an independent python-onnx computation, weights
// borrowed from the mapped file), external data (and its confinement to the model's directory),
// --dim overrides, models newer than libonnx, and bad files.
#define BOOST_TEST_MODULE onnx_import
#include <boost/test/unit_test.hpp>

#include "core/errors.hpp"
#include "graph/graph.hpp"
#include "io/mapped_file.hpp"
#include "plugins/import.hpp"
#include "plugins/loaded_plugin.hpp"
#include "plugins/registry.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using namespace winglet;

namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    if (!v || !*v) throw std::runtime_error(std::string(name) + " is not set (run the test through ctest)");
    return v;
}

const PluginRegistry& registry() {
    static PluginRegistry* reg = [] {
        auto* r = new PluginRegistry();
        r->load_directories({env("WINGLET_PLUGIN_DIR")});
        return r;
    }();
    return *reg;
}

fs::path test_model(const std::string& rel) { return fs::path(env("WINGLET_TEST_MODELS")) / rel; }
fs::path shared_model(const std::string& rel) { return fs::path(env("WINGLET_SHARED_MODELS")) / rel; }

Model import(const fs::path& path, const std::map<std::string, int64_t>& dims = {}) {
    ImportOptions options;
    options.dim_overrides = dims;
    return import_model(registry(), path, options);
}

// Calls fn(graph) for the graph and every subgraph below it.
void for_each_graph(const Graph& g, const std::function<void(const Graph&)>& fn) {
    fn(g);
    for (const Node& n : g.nodes)
        for (const Attribute& a : n.attributes)
            if (a.graph) for_each_graph(*a.graph, fn);
}

bool counts_as_param(DType t) {
    return dtype_is_float(t) || t == DType::Int8 || t == DType::UInt8;
}

// Parameters as the analysis defines them: elements of initializers and Constant-node tensors of
// floating, int8 or uint8 type (int64/int32/bool tensors are shapes and indices, not weights).
struct ParamCount {
    uint64_t params = 0;
    uint64_t main_graph_params = 0;
    uint64_t initializers = 0;
    uint64_t constants = 0;
};

ParamCount count_params(const Model& m) {
    ParamCount c;
    for_each_graph(m.graph, [&](const Graph& g) {
        uint64_t n = 0;
        for (const Weight& w : g.weights) {
            ++c.initializers;
            if (counts_as_param(w.dtype)) n += w.elements();
        }
        for (const Value& v : g.values)
            if (v.constant) {
                ++c.constants;
                if (counts_as_param(v.constant->dtype)) n += v.constant->elements();
            }
        c.params += n;
        if (&g == &m.graph) c.main_graph_params = n;
    });
    return c;
}

// The mapping a weight borrows from, or nullptr when the host holds a copy. Copies are owned by a
// buffer whose address is the data pointer itself; borrowed bytes are kept alive by the
// MappedFile they lie in (see plugins/host_api.cpp, make_weight).
const MappedFile* mapping_of(const Weight& w) {
    if (!w.bytes.owner || w.bytes.owner.get() == static_cast<const void*>(w.bytes.data)) return nullptr;
    return static_cast<const MappedFile*>(w.bytes.owner.get());
}

struct Borrowing {
    uint64_t tensors = 0, borrowed = 0, large = 0, large_borrowed = 0;
    uint64_t bytes = 0, borrowed_bytes = 0;
};

// Every weight (initializers and Constant tensors, subgraphs included) and whether its bytes lie in
// the mapped model file.
Borrowing borrowing(const Model& m, const fs::path& file) {
    Borrowing b;
    const fs::path canonical = fs::canonical(file);
    auto visit = [&](const Weight& w) {
        ++b.tensors;
        b.bytes += w.bytes.size;
        const bool large = w.bytes.size >= 1024;  // smaller payloads are copied on purpose
        if (large) ++b.large;
        const MappedFile* mf = mapping_of(w);
        if (!mf) return;
        BOOST_TEST_INFO(w.name);
        BOOST_TEST(fs::canonical(mf->path()) == canonical);
        BOOST_TEST((w.bytes.data >= mf->data() && w.bytes.data + w.bytes.size <= mf->data() + mf->size()));
        ++b.borrowed;
        b.borrowed_bytes += w.bytes.size;
        if (large) ++b.large_borrowed;
    };
    for_each_graph(m.graph, [&](const Graph& g) {
        for (const Weight& w : g.weights) visit(w);
        for (const Value& v : g.values)
            if (v.constant) visit(*v.constant);
    });
    return b;
}

const Value* find(const Graph& g, const std::string& name) {
    auto idx = g.find_value(name);
    return idx ? &g.values[*idx] : nullptr;
}

std::string shape_of(const Graph& g, const std::string& name) {
    const Value* v = find(g, name);
    return v ? shape_to_string(v->shape) : std::string("<no value>");
}

bool has_warning(const Model& m, const std::string& part) {
    return std::any_of(m.warnings.begin(), m.warnings.end(),
                       [&](const std::string& w) { return w.find(part) != std::string::npos; });
}

std::string all_warnings(const Model& m) {
    std::string s;
    for (const auto& w : m.warnings) s += "  " + w + "\n";
    return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(plugin_is_loaded) {
    bool found = false;
    for (const PluginRecord& r : registry().records()) {
        if (r.name != "onnx" || r.kind != WG_KIND_IMPORTER) continue;
        found = true;
        BOOST_TEST(r.accepted, r.refusal);
        BOOST_TEST(r.format == "onnx");
    }
    BOOST_TEST(found, "no 'onnx' importer among the plugins in " << env("WINGLET_PLUGIN_DIR"));
}

BOOST_AUTO_TEST_CASE(probe_recognizes_onnx_by_content) {
    std::ifstream in(test_model("conv_groups.onnx"), std::ios::binary);
    std::vector<uint8_t> head((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    head.resize(std::min<size_t>(head.size(), 4096));
    const auto* p = registry().importer_for("model.bin", head.data(), head.size());
    BOOST_REQUIRE(p != nullptr);
    BOOST_TEST(p->record().name == "onnx");
}

// (a) Every model ONNX ships for its backend tests (Debian: libonnx-testdata) imports, or fails
// with InputError/PluginError; none crashes. All 1,072 import today.
BOOST_AUTO_TEST_CASE(libonnx_testdata_all_models) {
    const fs::path root = "/usr/share/libonnx-testdata/data";
    BOOST_REQUIRE_MESSAGE(fs::is_directory(root), root << " is missing: apt-get install -y libonnx-testdata");
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(root))
        if (e.is_regular_file() && e.path().extension() == ".onnx") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    BOOST_TEST(files.size() == 1072u);

    uint64_t imported = 0, nodes = 0, subgraphs = 0;
    std::vector<std::string> failures;
    const auto t0 = std::chrono::steady_clock::now();
    for (const fs::path& f : files) {
        try {
            Model m = import(f);
            ++imported;
            // Node names are unique across the model (empty ones are synthesized).
            std::set<std::string> names;
            bool unique = true;
            for_each_graph(m.graph, [&](const Graph& g) {
                if (&g != &m.graph) ++subgraphs;
                for (const Node& n : g.nodes) {
                    ++nodes;
                    unique = unique && !n.name.empty() && names.insert(n.name).second;
                }
            });
            BOOST_TEST(unique, f << ": node names are not unique");
            BOOST_TEST(m.info.format == "onnx");
            BOOST_TEST(!m.info.opsets.empty(), f << ": no opsets");
        } catch (const InputError& e) {
            failures.push_back(f.string() + ": " + e.what());
        } catch (const PluginError& e) {
            failures.push_back(f.string() + ": " + e.what());
        } catch (const std::exception& e) {
            BOOST_ERROR(f << ": unexpected exception type: " << e.what());
        }
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (const auto& f : failures) BOOST_TEST_MESSAGE("failed (clear error): " << f);
    BOOST_TEST_MESSAGE(imported << " of " << files.size() << " imported (" << nodes << " nodes, " << subgraphs
                                << " subgraphs) in " << secs << " s");
    BOOST_TEST(imported == 1072u);
    BOOST_TEST(failures.empty());
}

// (b) Real models. Parameter counts come from python-onnx, independent of winglet:
//   /usr/bin/python3 -c "import onnx,sys,math;from onnx import TensorProto as T;F={T.FLOAT,T.FLOAT16,T.DOUBLE,T.BFLOAT16,T.INT8,T.UINT8};w=lambda g:sum(math.prod(t.dims) for t in g.initializer if t.data_type in F)+sum((math.prod(a.t.dims) if n.op_type=='Constant' and a.name=='value' and a.t.data_type in F else 0)+(w(a.g) if a.HasField('g') else 0) for n in g.node for a in n.attribute);print(w(onnx.load(sys.argv[1]).graph))" MODEL
// (initializers + Constant `value` tensors of float/int8/uint8 type, subgraphs included; the files
// are pinned by sha256 in ../shared/models/SOURCES.md).
struct SharedCase {
    const char* file;
    uint64_t params;             // whole model, subgraphs included
    uint64_t main_graph_params;  // main graph only
    uint64_t min_nodes;
};

BOOST_AUTO_TEST_CASE(shared_models_import_with_right_parameter_counts) {
    const SharedCase cases[] = {
        {"oww_embedding_model.onnx", 328129, 328129, 60},
        {"oww_hey_jarvis_v0.1.onnx", 316747, 316743, 30},  // If subgraph holds 4 Constant params
        {"oww_melspectrogram.onnx", 271401, 271401, 25},
        {"ppocrv4_det.onnx", 1171841, 1171841, 600},      // every weight is a Constant node
        {"silero_vad_16k_op15.onnx", 309635, 309635, 100},
    };
    for (const SharedCase& c : cases) {
        BOOST_TEST_CONTEXT(c.file) {
            const fs::path path = shared_model(c.file);
            BOOST_REQUIRE_MESSAGE(fs::exists(path), path << " is missing");
            const auto t0 = std::chrono::steady_clock::now();
            Model m = import(path);
            const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            const ParamCount p = count_params(m);
            BOOST_TEST(p.params == c.params);
            BOOST_TEST(p.main_graph_params == c.main_graph_params);
            uint64_t nodes = 0;
            for_each_graph(m.graph, [&](const Graph& g) { nodes += g.nodes.size(); });
            BOOST_TEST(nodes >= c.min_nodes);
            BOOST_TEST(m.info.format == "onnx");
            BOOST_TEST(m.info.opsets.count("") == 1u);

            // Zero copy: every payload of 1 KiB or more lies in the mapped model file.
            const Borrowing b = borrowing(m, path);
            BOOST_TEST(b.large > 0u);
            BOOST_TEST(b.large_borrowed == b.large);
            BOOST_TEST(b.borrowed_bytes * 100 >= m.info.file_size * 90, "only " << b.borrowed_bytes << " of "
                                                                             << m.info.file_size << " bytes borrowed");
            BOOST_TEST_MESSAGE(c.file << ": " << nodes << " nodes, " << p.params << " params, " << b.borrowed << "/"
                                      << b.tensors << " tensors borrowed (" << b.borrowed_bytes << " bytes), "
                                      << ms << " ms; warnings:\n"
                                      << all_warnings(m));
        }
    }
}

BOOST_AUTO_TEST_CASE(paddleocr_weights_are_constant_nodes) {
    Model m = import(shared_model("ppocrv4_det.onnx"));
    const ParamCount p = count_params(m);
    BOOST_TEST(p.initializers == 0u);
    BOOST_TEST(p.constants >= 300u);
    BOOST_TEST(p.params == 1171841u);
}

BOOST_AUTO_TEST_CASE(subgraphs_are_kept) {
    Model m = import(shared_model("silero_vad_16k_op15.onnx"));
    uint64_t graphs = 0;
    for_each_graph(m.graph, [&](const Graph&) { ++graphs; });
    BOOST_TEST(graphs > 1u);

    Model s = import(test_model("if_subgraph.onnx"));
    BOOST_REQUIRE(s.graph.nodes.size() == 1u);
    const Node& node = s.graph.nodes[0];
    BOOST_TEST(node.op_type == "If");
    const Attribute* then_branch = node.attribute("then_branch");
    const Attribute* else_branch = node.attribute("else_branch");
    BOOST_REQUIRE((then_branch && then_branch->graph && else_branch && else_branch->graph));
    BOOST_TEST(then_branch->graph->nodes.size() == 1u);
    BOOST_TEST(then_branch->graph->weights.size() == 1u);  // W_then lives in the subgraph
    BOOST_TEST(then_branch->graph->weights[0].elements() == 256u);
    BOOST_TEST(mapping_of(then_branch->graph->weights[0]) != nullptr);  // 1 KiB: borrowed
    BOOST_TEST(shape_of(*then_branch->graph, "then_out") == "[4,16]");
}

BOOST_AUTO_TEST_CASE(constant_node_tensor_becomes_a_weight) {
    Model m = import(test_model("constant_weight.onnx"));
    const Value* w = find(m.graph, "W");
    BOOST_REQUIRE(w != nullptr);
    BOOST_REQUIRE(w->constant != nullptr);
    BOOST_TEST(w->constant->elements() == 128u);
    BOOST_TEST(shape_of(m.graph, "Y") == "[4,8]");
}

BOOST_AUTO_TEST_CASE(shared_weight_is_one_weight) {
    Model m = import(test_model("shared_weight.onnx"));
    BOOST_TEST(m.graph.weights.size() == 1u);
    BOOST_TEST(count_params(m).params == 1024u);
}

BOOST_AUTO_TEST_CASE(initializer_types_and_shapes) {
    Model m = import(test_model("conv_groups.onnx"));
    BOOST_TEST(m.info.ir_version == 7);
    BOOST_TEST(m.info.opsets.at("") == 13);
    BOOST_TEST(m.graph.inputs.size() == 1u);  // weights are not graph inputs
    for (const Weight& w : m.graph.weights) BOOST_TEST((w.dtype == DType::Float32));
    BOOST_TEST(shape_of(m.graph, "W") == "[16,2,3,3]");
}

// (c) External data: mapped beside the model and borrowed, byte for byte what the script wrote.
BOOST_AUTO_TEST_CASE(external_data_is_mapped_and_borrowed) {
    const fs::path model = test_model("external_ok/model.onnx");
    const fs::path bin = test_model("external_ok/weights.bin");
    Model m = import(model);
    BOOST_REQUIRE(m.graph.weights.size() == 1u);
    const Weight& w = m.graph.weights[0];
    BOOST_TEST(w.name == "W");
    BOOST_TEST((w.dtype == DType::Float32));
    BOOST_TEST((w.dims == std::vector<int64_t>{256, 128}));
    std::ifstream in(bin, std::ios::binary);
    const std::string expected((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    BOOST_REQUIRE(expected.size() == 256u * 128u * 4u);
    BOOST_REQUIRE(w.bytes.size == expected.size());
    BOOST_TEST(std::memcmp(w.bytes.data, expected.data(), expected.size()) == 0);
    const MappedFile* mf = mapping_of(w);
    BOOST_REQUIRE(mf != nullptr);
    BOOST_TEST(fs::canonical(mf->path()) == fs::canonical(bin));
    BOOST_TEST(shape_of(m.graph, "Y") == "[4,128]");
}

void expect_input_error(const fs::path& path, const std::vector<std::string>& parts) {
    try {
        import(path);
        BOOST_ERROR(path << " imported, expected an InputError");
    } catch (const InputError& e) {
        const std::string what = e.what();
        BOOST_TEST_MESSAGE(path.filename() << ": " << what);
        for (const auto& p : parts) BOOST_TEST(what.find(p) != std::string::npos, "'" << p << "' not in: " << what);
    }
}

BOOST_AUTO_TEST_CASE(external_data_must_stay_in_the_model_directory) {
    expect_input_error(test_model("external_escape/model.onnx"), {"../escape.bin", "escapes the model's directory"});
    expect_input_error(test_model("external_abs/model.onnx"), {"/etc/passwd", "absolute"});
}

// (d) --dim: the symbol is replaced before shape inference, so everything derived from it is concrete.
BOOST_AUTO_TEST_CASE(dim_override_on_symbolic_batch) {
    Model sym = import(test_model("symbolic.onnx"));
    BOOST_TEST(shape_of(sym.graph, "X") == "[batch,3,32,32]");
    BOOST_TEST(shape_of(sym.graph, "C") == "[batch,8,32,32]");  // symbol kept through inference

    Model m = import(test_model("symbolic.onnx"), {{"batch", 8}});
    BOOST_TEST(shape_of(m.graph, "X") == "[8,3,32,32]");
    BOOST_TEST(shape_of(m.graph, "C") == "[8,8,32,32]");
    BOOST_TEST(shape_of(m.graph, "Y") == "[8,8,32,32]");
    BOOST_TEST(!has_warning(m, "batch"), "unexpected warning about 'batch':\n" << all_warnings(m));

    Model u = import(test_model("symbolic.onnx"), {{"no_such_dim", 3}});
    BOOST_TEST(has_warning(u, "no_such_dim"));
    BOOST_TEST(shape_of(u.graph, "X") == "[batch,3,32,32]");
}

BOOST_AUTO_TEST_CASE(dim_override_on_real_model) {
    // melspectrogram: symbolic batch_size and samples.
    Model m = import(shared_model("oww_melspectrogram.onnx"), {{"batch_size", 1}, {"samples", 16000}});
    BOOST_REQUIRE(!m.graph.inputs.empty());
    const Value& in = m.graph.values[m.graph.inputs[0]];
    BOOST_REQUIRE(in.shape.has_value());
    for (const Dim& d : *in.shape) BOOST_TEST(d.known());
}

// (e) A model newer than libonnx 1.12 (IR 9, opset 19) imports with a warning; the engine's own
// rules fill the shapes libonnx could not.
BOOST_AUTO_TEST_CASE(future_opset_imports_with_warning_and_shapes) {
    Model m = import(test_model("opset_future.onnx"));
    BOOST_TEST(has_warning(m, "newer than libonnx"), all_warnings(m));
    BOOST_TEST(m.info.opsets.at("") == 19);
    BOOST_TEST(m.info.ir_version == 9);
    BOOST_TEST(m.graph.nodes.size() == 3u);
    BOOST_TEST(shape_of(m.graph, "C") == "[1,4,16,16]");
    BOOST_TEST(shape_of(m.graph, "R") == "[1,4,16,16]");
    BOOST_TEST(shape_of(m.graph, "Y") == "[1,4,16,16]");
}

BOOST_AUTO_TEST_CASE(unsorted_node_list_imports) {
    Model m = import(test_model("unsorted.onnx"));
    BOOST_TEST(m.graph.nodes.size() == 3u);
    BOOST_TEST(shape_of(m.graph, "a") == "[2,8]");
}

BOOST_AUTO_TEST_CASE(bad_files_fail_clearly) {
    expect_input_error(test_model("empty.onnx"), {"empty"});
    expect_input_error(test_model("truncated.onnx"), {"truncated.onnx", "not an ONNX model"});
    expect_input_error(test_model("random.onnx"), {"random.onnx", "not an ONNX model"});
    expect_input_error(test_model("cyclic.onnx"), {"cycle"});
}

BOOST_AUTO_TEST_CASE(huge_dim_does_not_crash) {
    // X[2^62, 4]: the importer keeps the dims as declared; overflow is the analysis' concern.
    try {
        Model m = import(test_model("huge_dim.onnx"));
        BOOST_TEST(shape_of(m.graph, "X") == "[4611686018427387904,4]");
    } catch (const InputError& e) {
        BOOST_TEST(std::string(e.what()).find("overflow") != std::string::npos, e.what());
    }
}

// libonnx 1.12's LayerNormalization inference crashes (SIGSEGV) on an axis far out of range. The
// importer runs libonnx in a child process: the import survives, with a warning, and the engine's
// rules type what they can. Model (python-onnx): LayerNormalization(X[3,4], W[3,4], B[3,4]) ->
// Y, Mean, InvStdDev with axis=-1073741826, opset 17, IR 8.
const unsigned char kLayerNormCrash[] = {
    0x08, 0x08, 0x12, 0x00, 0x3a, 0xa1, 0x01, 0x0a, 0x4b, 0x0a, 0x01, 0x58, 0x0a, 0x01, 0x57, 0x0a,
    0x01, 0x42, 0x12, 0x01, 0x59, 0x12, 0x04, 0x4d, 0x65, 0x61, 0x6e, 0x12, 0x09, 0x49, 0x6e, 0x76,
    0x53, 0x74, 0x64, 0x44, 0x65, 0x76, 0x1a, 0x02, 0x6c, 0x6e, 0x22, 0x12, 0x4c, 0x61, 0x79, 0x65,
    0x72, 0x4e, 0x6f, 0x72, 0x6d, 0x61, 0x6c, 0x69, 0x7a, 0x61, 0x74, 0x69, 0x6f, 0x6e, 0x2a, 0x14,
    0x0a, 0x04, 0x61, 0x78, 0x69, 0x73, 0x18, 0xfe, 0xff, 0xff, 0xff, 0xfb, 0xff, 0xff, 0xff, 0xff,
    0x01, 0xa0, 0x01, 0x02, 0x12, 0x08, 0x6c, 0x6e, 0x5f, 0x63, 0x72, 0x61, 0x73, 0x68, 0x5a, 0x13,
    0x0a, 0x01, 0x58, 0x12, 0x0e, 0x0a, 0x0c, 0x08, 0x01, 0x12, 0x08, 0x0a, 0x02, 0x08, 0x03, 0x0a,
    0x02, 0x08, 0x04, 0x5a, 0x13, 0x0a, 0x01, 0x57, 0x12, 0x0e, 0x0a, 0x0c, 0x08, 0x01, 0x12, 0x08,
    0x0a, 0x02, 0x08, 0x03, 0x0a, 0x02, 0x08, 0x04, 0x5a, 0x13, 0x0a, 0x01, 0x42, 0x12, 0x0e, 0x0a,
    0x0c, 0x08, 0x01, 0x12, 0x08, 0x0a, 0x02, 0x08, 0x03, 0x0a, 0x02, 0x08, 0x04, 0x62, 0x09, 0x0a,
    0x01, 0x59, 0x12, 0x04, 0x0a, 0x02, 0x08, 0x01, 0x42, 0x04, 0x0a, 0x00, 0x10, 0x11,
};
// MaxUnpool reading "I", which nothing defines (libonnx would dereference a null type).
const unsigned char kUndefinedInput[] = {
    0x08, 0x08, 0x12, 0x00, 0x3a, 0x72, 0x0a, 0x41, 0x0a, 0x01, 0x58, 0x0a, 0x01, 0x49, 0x12, 0x01,
    0x59, 0x1a, 0x02, 0x6d, 0x75, 0x22, 0x09, 0x4d, 0x61, 0x78, 0x55, 0x6e, 0x70, 0x6f, 0x6f, 0x6c,
    0x2a, 0x15, 0x0a, 0x0c, 0x6b, 0x65, 0x72, 0x6e, 0x65, 0x6c, 0x5f, 0x73, 0x68, 0x61, 0x70, 0x65,
    0x40, 0x02, 0x40, 0x02, 0xa0, 0x01, 0x07, 0x2a, 0x10, 0x0a, 0x07, 0x73, 0x74, 0x72, 0x69, 0x64,
    0x65, 0x73, 0x40, 0x02, 0x40, 0x02, 0xa0, 0x01, 0x07, 0x12, 0x05, 0x75, 0x6e, 0x64, 0x65, 0x66,
    0x5a, 0x1b, 0x0a, 0x01, 0x58, 0x12, 0x16, 0x0a, 0x14, 0x08, 0x01, 0x12, 0x10, 0x0a, 0x02, 0x08,
    0x01, 0x0a, 0x02, 0x08, 0x01, 0x0a, 0x02, 0x08, 0x02, 0x0a, 0x02, 0x08, 0x02, 0x62, 0x09, 0x0a,
    0x01, 0x59, 0x12, 0x04, 0x0a, 0x02, 0x08, 0x01, 0x42, 0x04, 0x0a, 0x00, 0x10, 0x0b,
};

fs::path write_model(const std::string& name, const unsigned char* bytes, size_t size) {
    const fs::path dir = fs::temp_directory_path() / ("winglet-onnx-import-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path p = dir / name;
    std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(bytes), static_cast<std::streamsize>(size));
    return p;
}

BOOST_AUTO_TEST_CASE(libonnx_crash_is_contained) {
    const fs::path p = write_model("layernorm_crash.onnx", kLayerNormCrash, sizeof kLayerNormCrash);
    // The importer survives libonnx; then the engine's own rules may refuse the axis (InputError).
    try {
        Model m = import(p);
        BOOST_TEST(has_warning(m, "crashed"), all_warnings(m));
        BOOST_TEST(m.graph.nodes.size() == 1u);
        BOOST_TEST(m.graph.nodes[0].attr_int("axis", 0) == -1073741826);
    } catch (const InputError& e) {
        BOOST_TEST(std::string(e.what()).find("axis -1073741826") != std::string::npos, e.what());
    }
    fs::remove_all(p.parent_path());
}

BOOST_AUTO_TEST_CASE(undefined_input_skips_libonnx) {
    const fs::path p = write_model("undefined_input.onnx", kUndefinedInput, sizeof kUndefinedInput);
    try {
        Model m = import(p);
        BOOST_TEST(has_warning(m, "reads 'I', which no node, input or initializer defines"), all_warnings(m));
    } catch (const InputError& e) {
        BOOST_TEST(std::string(e.what()).find("'I'") != std::string::npos, e.what());
    }
    fs::remove_all(p.parent_path());
}

// External-data edge cases, written by python-onnx into a scratch directory: each either imports
// with the right bytes or fails with an InputError naming the tensor and the problem.
BOOST_AUTO_TEST_CASE(external_data_edge_cases) {
    const fs::path dir = fs::temp_directory_path() / ("winglet-onnx-ext-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const char* script = R"PY(
import sys, numpy as np, onnx
from onnx import helper, TensorProto as T
out = sys.argv[1]
def model(name, dims, kv):
    t = T(); t.name = "W"; t.data_type = T.FLOAT; t.dims.extend(dims); t.data_location = T.EXTERNAL
    for k, v in kv:
        e = t.external_data.add(); e.key = k; e.value = v
    g = helper.make_graph([helper.make_node("Identity", ["W"], ["Y"], name="id")], "g", [],
                          [helper.make_tensor_value_info("Y", T.FLOAT, dims)], initializer=[t])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]); m.ir_version = 7
    open(out + "/" + name, "wb").write(m.SerializeToString())
open(out + "/w.bin", "wb").write(np.arange(64, dtype=np.float32).tobytes())
model("empty.onnx", [0, 4], [("location", "w.bin")])
model("no_length.onnx", [4], [("location", "w.bin"), ("offset", "16")])
model("dot_slash.onnx", [4], [("location", "./w.bin"), ("offset", "0"), ("length", "16")])
model("offset_past.onnx", [4], [("location", "w.bin"), ("offset", "1000")])
model("length_mismatch.onnx", [4], [("location", "w.bin"), ("offset", "0"), ("length", "12")])
model("runs_past.onnx", [4], [("location", "w.bin"), ("offset", "250"), ("length", "16")])
model("missing_file.onnx", [4], [("location", "nope.bin")])
model("no_location.onnx", [4], [("offset", "0")])
model("bad_offset.onnx", [4], [("location", "w.bin"), ("offset", "-5")])
model("symlink_escape.onnx", [4], [("location", "link.bin")])
)PY";
    std::ofstream(dir / "make.py") << script;
    fs::create_symlink("/etc/passwd", dir / "link.bin");
    const char* py = std::getenv("WINGLET_PYTHON");
    const std::string python = py && *py ? py : "/usr/bin/python3";
    const std::string cmd = python + " '" + (dir / "make.py").string() + "' '" + dir.string() + "' 2>&1";
    BOOST_REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, cmd);

    auto floats_at = [](const Weight& w) {
        std::vector<float> v(w.bytes.size / 4);
        if (!v.empty()) std::memcpy(v.data(), w.bytes.data, w.bytes.size);
        return v;
    };
    {
        Model m = import(dir / "empty.onnx");
        BOOST_REQUIRE(m.graph.weights.size() == 1u);
        BOOST_TEST(m.graph.weights[0].bytes.size == 0u);
    }
    {
        Model m = import(dir / "no_length.onnx");  // reads what the shape needs from the offset
        BOOST_TEST((floats_at(m.graph.weights.at(0)) == std::vector<float>{4, 5, 6, 7}));
    }
    {
        Model m = import(dir / "dot_slash.onnx");
        BOOST_TEST((floats_at(m.graph.weights.at(0)) == std::vector<float>{0, 1, 2, 3}));
    }
    expect_input_error(dir / "offset_past.onnx", {"'W'", "offset 1000 is past the end"});
    expect_input_error(dir / "length_mismatch.onnx", {"'W'", "12 bytes", "needs 16"});
    expect_input_error(dir / "runs_past.onnx", {"'W'", "runs past the end"});
    expect_input_error(dir / "missing_file.onnx", {"nope.bin"});
    expect_input_error(dir / "no_location.onnx", {"'W'", "location"});
    expect_input_error(dir / "bad_offset.onnx", {"'W'", "'-5'"});
    expect_input_error(dir / "symlink_escape.onnx", {"link.bin"});
    fs::remove_all(dir);
}
