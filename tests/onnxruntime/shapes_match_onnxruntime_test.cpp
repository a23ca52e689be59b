// Every shape winglet reports, checked against the shapes ONNX Runtime executes on the same
// inputs: ort_shapes.py exposes every value of a model as an output (and inlines the If branches
// ONNX Runtime takes), runs it in onnxruntime-node 1.31 (CPU, graph optimizations off) and prints
// each value's dims; `winglet inspect --json` with the same --input/--input-value must give the
// same dims for all of them, leave no shape unknown, and count the same If branches.
// Models: the real pretrained ones in ../shared/models, the repo's own exports and the hand-built
// computed-shape fixtures.
#define BOOST_TEST_MODULE shapes_match_onnxruntime
#include <boost/test/unit_test.hpp>

#include "support/run_command.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <set>

using namespace winglet::test;
using Json = nlohmann::json;

namespace {

struct Case {
    std::string model;                      // quoted path
    std::string flags;                      // --input / --input-value, as both tools take them
    std::set<std::string> data_dependent;   // If nodes whose condition depends on the input data
};

Json run_json(const std::string& command) {
    const CommandResult r = run_command(command + " 2>/dev/null");
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, command << "\n" << r.output);
    return Json::parse(r.output);
}

// Whether an op's scope lies inside branch `branch` of If node `node`.
bool inside(const Json& op, const std::string& node, const std::string& branch) {
    const std::string scope = op["scope"];
    const std::string key = node + "/" + branch + "_branch";
    for (size_t at = scope.find(key); at != std::string::npos; at = scope.find(key, at + 1)) {
        const bool starts = at == 0 || scope[at - 1] == '/' || node.front() == '/';
        const size_t end = at + key.size();
        if (starts && (end == scope.size() || scope[end] == '/')) return true;
    }
    return false;
}

void check(const Case& c) {
    const std::string script = quoted(env_or_throw("WINGLET_SOURCE_DIR") + "/tests/onnxruntime/ort_shapes.py");
    const Json ort = run_json("/usr/bin/python3 " + script + " " + c.model + " " + c.flags);
    const Json doc = run_json(winglet_cmd("-q inspect " + c.model + " " + c.flags + " --json"));

    std::map<std::string, Json> reported;
    for (const Json& op : doc["ops"])
        for (size_t k = 0; k < op["output_names"].size(); ++k) reported[op["output_names"][k]] = op["output_shapes"][k];
    size_t compared = 0;
    for (const auto& [name, dims] : ort["values"].items()) {
        const auto it = reported.find(name);
        BOOST_TEST((it != reported.end()), "winglet does not report value '" << name << "'");
        if (it == reported.end()) continue;
        BOOST_TEST(it->second == dims, "'" << name << "': winglet " << it->second.dump() << ", onnxruntime " << dims.dump());
        ++compared;
    }
    BOOST_TEST_MESSAGE(c.model << ": " << compared << " value shapes equal onnxruntime's; If branches taken "
                               << ort["taken"].dump());
    BOOST_TEST(compared > 0u);
    BOOST_TEST(doc["unknown_shapes"].empty(), doc["unknown_shapes"].dump());

    // The branch ONNX Runtime ran is the one winglet counts: "taken" when the condition evaluated,
    // or "counted" for a condition that depends on the input data (the worst case).
    for (const auto& [node, branch] : ort["taken"].items()) {
        const std::string other = branch == "then" ? "else" : "then";
        const bool evaluated = !c.data_dependent.count(node);
        size_t ran = 0;
        for (const Json& op : doc["ops"]) {
            if (inside(op, node, branch)) {
                ran += op["branch"] == (evaluated ? "taken" : "counted") ? 1 : 0;
            } else if (inside(op, node, other) && evaluated) {
                BOOST_TEST(op["branch"] == "not taken", node << ": op '" << op["name"] << "' of the branch that did not run is "
                                                                << op["branch"]);
            }
        }
        BOOST_TEST(ran > 0u, node << ": winglet counts none of the " << branch << " branch's ops as "
                                  << (evaluated ? "taken" : "counted"));
    }
}

std::string shared(const std::string& name) { return quoted(env_or_throw("WINGLET_SHARED_MODELS") + "/" + name); }
std::string repo(const std::string& path) { return quoted(env_or_throw("WINGLET_SOURCE_DIR") + "/" + path); }

}  // namespace

BOOST_AUTO_TEST_SUITE(real_models)

BOOST_AUTO_TEST_CASE(silero_vad) {
    check({shared("silero_vad_16k_op15.onnx"), "--input input=1x512 --input state=2x1x128 --input-value sr=16000", {}});
}

BOOST_AUTO_TEST_CASE(openwakeword_melspectrogram) {
    check({shared("oww_melspectrogram.onnx"), "--input input=1x1280", {}});
}

BOOST_AUTO_TEST_CASE(openwakeword_embedding) {
    check({shared("oww_embedding_model.onnx"), "--input input_1=1x76x32x1", {}});
}

BOOST_AUTO_TEST_CASE(openwakeword_hey_jarvis) {
    // Its If picks on the wake-word score the model computes: only the run knows it.
    check({shared("oww_hey_jarvis_v0.1.onnx"), "", {"If_32"}});
}

BOOST_AUTO_TEST_CASE(ppocr_v4_detection) {
    check({shared("ppocrv4_det.onnx"), "--input x=1x3x320x256", {}});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(repo_exports)

BOOST_AUTO_TEST_CASE(mobilenet_v2_example) { check({repo("examples/mobilenet_v2.onnx"), "", {}}); }

BOOST_AUTO_TEST_CASE(mobilenet_v2_dynamic_batch) {
    check({test_model("torchvision/mobilenet_v2_dynamic.onnx"), "--input input=3x3x224x224", {}});
}

BOOST_AUTO_TEST_CASE(transformer_with_runtime_shapes) {
    // torch's exporter without constant folding: attention reshapes built from Shape/Gather/Concat.
    check({test_model("torchvision/transformer_2layers.onnx"), "--input input_ids=1x48", {}});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(computed_shape_fixtures)

BOOST_AUTO_TEST_CASE(computed_reshape) { check({test_model("computed_reshape.onnx"), "--input X=2x10x64", {}}); }

BOOST_AUTO_TEST_CASE(computed_if_16k) {
    check({test_model("computed_if.onnx"), "--input X=4x16 --input-value sr=16000", {}});
}

BOOST_AUTO_TEST_CASE(computed_if_8k) {
    check({test_model("computed_if.onnx"), "--input X=4x16 --input-value sr=8000", {}});
}

BOOST_AUTO_TEST_CASE(loop_computed_trips) { check({test_model("loop_computed_trips.onnx"), "", {}}); }

BOOST_AUTO_TEST_CASE(zero_dim_input) { check({test_model("zero_dim_input.onnx"), "--input X=1x3x32x32", {}}); }

BOOST_AUTO_TEST_SUITE_END()
