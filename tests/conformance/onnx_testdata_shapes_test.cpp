// Every output shape winglet infers for ONNX's own test models (Debian's libonnx-testdata: the
// node, pytorch-converted, pytorch-operator and simple suites) equals the shape of the reference
// output ONNX ships, given the test's inputs: their shapes as --input, the contents of small
// integer inputs (shape arguments, axes, counts) as --input-value. The manifest is written by
// tests/data/onnx_testdata_manifest.py.
#define BOOST_TEST_MODULE onnx_testdata_shapes
#include <boost/test/unit_test.hpp>

#include "plugins/import.hpp"
#include "support/run_command.hpp"

#include <nlohmann/json.hpp>

#include <fstream>

using winglet::test::env_or_throw;
using Json = nlohmann::json;

BOOST_AUTO_TEST_CASE(output_shapes_equal_the_reference_outputs) {
    std::ifstream in(env_or_throw("WINGLET_TEST_MODELS") + "/onnx_testdata_manifest.json");
    BOOST_REQUIRE_MESSAGE(in, "no manifest: run the fixture.onnx_testdata_manifest test first");
    const Json manifest = Json::parse(in);
    winglet::PluginRegistry registry;
    registry.load_directories({env_or_throw("WINGLET_PLUGIN_DIR")});

    size_t outputs = 0, equal = 0, unknown = 0;
    for (const Json& m : manifest["models"]) {
        winglet::ImportOptions options;
        for (const auto& [name, dims] : m["inputs"].items()) options.input_shapes[name] = dims.get<std::vector<int64_t>>();
        for (const auto& [name, values] : m["values"].items())
            options.input_values[name] = values.get<std::vector<std::string>>();
        const std::string path = m["model"];
        winglet::Model model;
        try {
            model = winglet::import_model(registry, path, options);
        } catch (const std::exception& e) {
            BOOST_ERROR(path << ": import failed: " << e.what());
            continue;
        }
        for (const auto& [name, expected] : m["outputs"].items()) {
            ++outputs;
            const winglet::Value* v = model.graph.lookup(name);
            std::vector<int64_t> got;
            bool known = v && v->shape;
            if (known)
                for (const winglet::Dim& d : *v->shape) {
                    known = known && d.known();
                    got.push_back(d.value);
                }
            if (!known) {
                // Never silent: the report lists it with the reason.
                ++unknown;
                bool listed = false;
                for (const winglet::UnknownShape& u : model.unknown_shapes)
                    if (u.value == name) {
                        listed = true;
                        BOOST_TEST_MESSAGE(path << ": output '" << name << "' stays "
                                                << winglet::shape_to_string(v ? v->shape : std::nullopt) << " (" << u.op
                                                << ": " << u.reason << ")");
                    }
                BOOST_TEST(listed, path << ": output '" << name << "' is unknown without a reason in the report");
                continue;
            }
            BOOST_TEST(got == expected.get<std::vector<int64_t>>(),
                       path << ": output '" << name << "' is " << winglet::shape_to_string(v->shape) << ", the reference "
                            << expected.dump());
            equal += got == expected.get<std::vector<int64_t>>() ? 1 : 0;
        }
    }
    BOOST_TEST_MESSAGE(manifest["models"].size() << " models, " << outputs << " reference outputs: " << equal
                                                 << " equal, " << unknown << " unknown; "
                                                 << manifest["skipped"].size() << " models skipped (no tensor data)");
    // No shape differs from the reference. Unknown: the engine does not model ONNX sequence types,
    // and two 'simple' models compute their outputs through SequenceAt (test_sequence_model1, 4).
    BOOST_TEST(equal + unknown == outputs);
    BOOST_TEST(unknown <= 2u);
    BOOST_TEST(outputs > 1000u);
}
