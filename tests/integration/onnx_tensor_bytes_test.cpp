// Every tensor the ONNX importer hands to the engine (initializers and tensor attributes such as
// Constant values, in subgraphs too) holds exactly the bytes python-onnx's numpy_helper reads from
// the same file: raw_data, external data, and ONNX's typed fields (float_data, int32_data packing of
// fp16/bf16/int8/uint8/int16/uint16/bool, int64_data, double_data, uint64_data, complex).
// Models: ONNX's backend test data (1,072 files), ../shared/models and external_ok.
#define BOOST_TEST_MODULE onnx_tensor_bytes
#include <boost/test/unit_test.hpp>

#include "graph/graph.hpp"
#include "plugins/import.hpp"
#include "plugins/registry.hpp"
#include "support/run_command.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using namespace winglet;
using winglet::test::env_or_throw;
using winglet::test::quoted;
using winglet::test::run_command;

namespace {

// Writes, for every model given, the expected bytes of each tensor into BLOB and one line
// "model \t key \t dtype \t offset \t length" into INDEX. Keys name the tensor by position:
// "<graph path>|init|<name>" or "<graph path>|node<i>|<attribute>", where a subgraph's path is
// "<parent path>/<node index>.<attribute>".
const char* kPythonScript = R"PY(
import os, sys, numpy as np, onnx, onnx.external_data_helper
from onnx import TensorProto as T, numpy_helper
index_path, blob_path = sys.argv[1], sys.argv[2]
def expected(t, base):
    if t.data_type == T.STRING:
        return b''
    if t.data_location == T.EXTERNAL:
        onnx.external_data_helper.load_external_data_for_tensor(t, base)
    if t.HasField('raw_data'):
        return t.raw_data
    if t.data_type in (T.FLOAT16, T.BFLOAT16):   # bit patterns in int32_data
        return np.asarray(t.int32_data, dtype=np.int32).astype(np.uint16).tobytes()
    return numpy_helper.to_array(t).tobytes()
with open(index_path, 'w') as index, open(blob_path, 'wb') as blob:
    for path in sys.stdin.read().split('\n'):
        if not path:
            continue
        base = os.path.dirname(path)
        m = onnx.load(path, load_external_data=False)
        def walk(g, gpath):
            for t in g.initializer:
                b = expected(t, base)
                index.write('%s\t%s|init|%s\t%d\t%d\t%d\n' % (path, gpath, t.name, t.data_type, blob.tell(), len(b)))
                blob.write(b)
            for i, n in enumerate(g.node):
                for a in n.attribute:
                    if a.type == onnx.AttributeProto.TENSOR:
                        b = expected(a.t, base)
                        index.write('%s\t%s|node%d|%s\t%d\t%d\t%d\n' % (path, gpath, i, a.name, a.t.data_type, blob.tell(), len(b)))
                        blob.write(b)
                    elif a.type == onnx.AttributeProto.GRAPH:
                        walk(a.g, '%s/%d.%s' % (gpath, i, a.name))
        walk(m.graph, '')
)PY";

struct Expected {
    uint32_t dtype;
    uint64_t offset, length;
};

void collect(const Graph& g, const std::string& path, std::map<std::string, const Weight*>& out) {
    for (const Weight& w : g.weights) out[path + "|init|" + w.name] = &w;
    for (size_t i = 0; i < g.nodes.size(); ++i)
        for (const Attribute& a : g.nodes[i].attributes) {
            if (a.tensor) out[path + "|node" + std::to_string(i) + "|" + a.name] = a.tensor.get();
            if (a.graph) collect(*a.graph, path + "/" + std::to_string(i) + "." + a.name, out);
        }
}

}  // namespace

BOOST_AUTO_TEST_CASE(tensor_bytes_match_python_onnx) {
    std::vector<fs::path> models;
    const fs::path testdata = "/usr/share/libonnx-testdata/data";
    BOOST_REQUIRE_MESSAGE(fs::is_directory(testdata), testdata << " is missing: apt-get install -y libonnx-testdata");
    for (const auto& e : fs::recursive_directory_iterator(testdata))
        if (e.is_regular_file() && e.path().extension() == ".onnx") models.push_back(e.path());
    std::sort(models.begin(), models.end());
    for (const auto& e : fs::directory_iterator(env_or_throw("WINGLET_SHARED_MODELS")))
        if (e.path().extension() == ".onnx") models.push_back(e.path());
    models.push_back(fs::path(env_or_throw("WINGLET_TEST_MODELS")) / "external_ok/model.onnx");

    const fs::path dir = fs::temp_directory_path() / ("winglet-onnx-bytes-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path script = dir / "expected.py", list = dir / "models.txt", index = dir / "index.tsv",
                   blob = dir / "blob.bin";
    std::ofstream(script) << kPythonScript;
    {
        std::ofstream l(list);
        for (const auto& m : models) l << m.string() << "\n";
    }
    const char* py = std::getenv("WINGLET_PYTHON");
    const std::string python = py && *py ? py : "/usr/bin/python3";
    const auto r = run_command(quoted(python) + " " + quoted(script.string()) + " " + quoted(index.string()) + " " +
                               quoted(blob.string()) + " < " + quoted(list.string()));
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, "python-onnx failed:\n" << r.output);

    std::ifstream bin(blob, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(bin)), std::istreambuf_iterator<char>());
    std::map<std::string, std::map<std::string, Expected>> expected;  // model -> key -> bytes
    {
        std::ifstream in(index);
        std::string line;
        while (std::getline(in, line)) {
            std::istringstream ls(line);
            std::string model, key, dtype, offset, length;
            std::getline(ls, model, '\t');
            std::getline(ls, key, '\t');
            std::getline(ls, dtype, '\t');
            std::getline(ls, offset, '\t');
            std::getline(ls, length, '\t');
            expected[model][key] = Expected{static_cast<uint32_t>(std::stoul(dtype)), std::stoull(offset),
                                            std::stoull(length)};
        }
    }
    fs::remove_all(dir);

    PluginRegistry reg;
    reg.load_directories({env_or_throw("WINGLET_PLUGIN_DIR")});
    uint64_t tensors = 0, tensor_bytes = 0;
    for (const auto& path : models) {
        BOOST_TEST_CONTEXT(path.string()) {
            Model m = import_model(reg, path);
            std::map<std::string, const Weight*> got;
            collect(m.graph, "", got);
            const auto& want = expected[path.string()];
            BOOST_TEST(got.size() == want.size());
            for (const auto& [key, e] : want) {
                BOOST_TEST_CONTEXT(key) {
                    auto it = got.find(key);
                    BOOST_REQUIRE(it != got.end());
                    const Weight& w = *it->second;
                    BOOST_TEST(static_cast<uint32_t>(w.dtype) == e.dtype);
                    BOOST_REQUIRE(w.bytes.size == e.length);
                    BOOST_TEST((e.length == 0 ||
                                std::memcmp(w.bytes.data, bytes.data() + e.offset, e.length) == 0));
                    ++tensors;
                    tensor_bytes += e.length;
                }
            }
        }
    }
    BOOST_TEST_MESSAGE(tensors << " tensors (" << tensor_bytes << " bytes) in " << models.size()
                               << " models match python-onnx byte for byte");
    BOOST_TEST(tensors >= 900u);  // 987 today
}
