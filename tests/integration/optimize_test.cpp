// The optimize stage end to end: recipe selection, bad recipes, structured pruning's effect on
// the compiled MACs, and the compressed ONNX round trip on a real model.
#define BOOST_TEST_MODULE optimize
#include <boost/test/unit_test.hpp>

#include "analysis/analyzer.hpp"
#include "compile/compile.hpp"
#include "compression/apply_recipe.hpp"
#include "compression/compressed_report.hpp"
#include "compression/recipe.hpp"
#include "compression/write_model.hpp"
#include "core/errors.hpp"
#include "plugins/import.hpp"
#include "support/run_command.hpp"

#include <winglet/plugin.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace winglet;
using winglet::test::env_or_throw;
using winglet::test::quoted;
using winglet::test::run_command;

namespace {

struct Loaded {
    PluginRegistry registry;
    Loaded() { registry.load_directories({env_or_throw("WINGLET_PLUGIN_DIR")}); }
};

Recipe recipe(const std::string& text) { return parse_recipe(text, "test.toml"); }

const Weight* find_weight(const Graph& g, const std::string& name) {
    for (const Weight& w : g.weights)
        if (w.name == name) return &w;
    for (const Value& v : g.values)
        if (v.name == name && v.constant) return v.constant.get();
    return nullptr;
}

template <class T>
std::vector<T> values_of(const Weight& w) {
    std::vector<T> out(w.elements());
    BOOST_REQUIRE(w.bytes.size >= out.size() * sizeof(T));
    std::memcpy(out.data(), w.bytes.data, out.size() * sizeof(T));
    return out;
}

// The index of element `i` along `axis` of `dims`.
int64_t coordinate(const std::vector<int64_t>& dims, int axis, uint64_t i) {
    int64_t inner = 1;
    for (size_t d = static_cast<size_t>(axis) + 1; d < dims.size(); ++d) inner *= dims[d];
    return static_cast<int64_t>(i / static_cast<uint64_t>(inner)) % dims[static_cast<size_t>(axis)];
}

}  // namespace

BOOST_AUTO_TEST_CASE(entries_are_chosen_by_name_glob_type_and_latency_and_exclusions_win) {
    Loaded l;
    const Model m = import_model(l.registry, env_or_throw("WINGLET_SOURCE_DIR") + "/examples/mobilenet_v2.onnx");
    Report r = analyze(m);
    attach_plan(r, compile_model(l.registry, m, r, "jetson-orin-nano-8gb"));
    const Recipe rc = recipe(R"(
exclude = ["last"]
[default]
technique = "quantize"
[[override]]
op_type = "Gemm"
technique = "palettize"
[[override]]
scope = "/features/features.1/*"
technique = "prune"
[[override]]
name = "/features/features.0/features.0.0/Conv"
technique = "none"
[[override]]
top_latency = 3
technique = "palettize"
bits = 2
[[override]]
scope = "/no/such/scope/*"
technique = "prune"
)");
    std::vector<std::string> warnings;
    const std::vector<const RecipeEntry*> chosen = select_entries(m, r, rc, warnings);
    std::vector<size_t> eligible;  // every Conv and the Gemm carry a weight
    for (size_t i = 0; i < r.ops.size(); ++i)
        if (r.ops[i].op_type == "Conv" || r.ops[i].op_type == "Gemm") eligible.push_back(i);
    BOOST_TEST(eligible.size() == 53u);  // 52 convolutions + the classifier
    // The three slowest by compiled latency, ranked here independently.
    std::vector<size_t> slowest = eligible;
    std::stable_sort(slowest.begin(), slowest.end(), [&](size_t a, size_t b) {
        return r.ops[a].compiled->latency_us > r.ops[b].compiled->latency_us;
    });
    slowest.resize(3);
    for (size_t i = 0; i < r.ops.size(); ++i) {
        const std::string& name = r.ops[i].name;
        const RecipeEntry* e = chosen[i];
        BOOST_TEST_CONTEXT(name) {
            if (std::find(eligible.begin(), eligible.end(), i) == eligible.end()) {
                BOOST_TEST(!e);
            } else if (i == eligible.back()) {
                BOOST_TEST(!e, "excluded as the last op with a weight, whatever the overrides said");
            } else if (std::find(slowest.begin(), slowest.end(), i) != slowest.end()) {
                BOOST_REQUIRE(e);
                BOOST_TEST(e->options.at("bits") == "2");
            } else if (name == "/features/features.0/features.0.0/Conv") {
                BOOST_TEST(!e, "technique none");
            } else if (name.rfind("/features/features.1/", 0) == 0) {
                BOOST_REQUIRE(e);
                BOOST_TEST(e->technique == "prune");
            } else {
                BOOST_REQUIRE(e);
                BOOST_TEST(e->technique == "quantize");
            }
        }
    }
    BOOST_TEST_REQUIRE(warnings.size() == 1u);
    BOOST_TEST(warnings[0].find("/no/such/scope/*") != std::string::npos);
    // top_latency without a compiled plan is a usage error.
    const Report uncompiled = analyze(m);
    BOOST_CHECK_THROW(select_entries(m, uncompiled, rc, warnings), UsageError);
}

BOOST_AUTO_TEST_CASE(excluded_and_unselected_weights_are_left_untouched) {
    Loaded l;
    const Model m = import_model(l.registry, env_or_throw("WINGLET_TEST_MODELS") + "/conv_chain.onnx");
    const Report r = analyze(m);
    const CompressionResult result =
        apply_recipe(l.registry, m, r, recipe("exclude = [\"first\"]\n[default]\ntechnique = \"quantize\"\nbits = 4\n"));
    BOOST_TEST(!result.ops[0], "conv1 excluded");
    BOOST_REQUIRE(result.ops[2]);
    BOOST_TEST(result.ops[2]->tensor == "W2");
    // 288 weights at 4 bits + 4 fp32 per-channel scales.
    BOOST_TEST(result.ops[2]->compressed->storage_bits == 288u * 4 + 4 * 32);
    BOOST_TEST(result.ops[2]->original_bits == 288u * 32);
    const Report after = compressed_report(m, r, result);
    BOOST_TEST(after.ops[0].weight_bytes == r.ops[0].weight_bytes);
    BOOST_TEST(after.ops[2].weight_bytes == (288u * 4 + 4 * 32) / 8);
}

BOOST_AUTO_TEST_CASE(channel_pruning_removes_the_work_of_the_pruned_op_and_its_consumer) {
    Loaded l;
    const Model m = import_model(l.registry, env_or_throw("WINGLET_TEST_MODELS") + "/conv_chain.onnx");
    const Report r = analyze(m);
    // By hand: conv1 = 8x8 positions * 8 out * 3 in * 3x3 = 13,824 MACs; conv2 = 64 * 4 * 8 * 9
    // = 18,432; relu 8*8*8 = 512 FLOPs. Half of conv1's 8 output channels removed: conv1 keeps
    // 4/8 -> 6,912; relu 256; conv2 reads 4 of its 8 input channels -> 9,216.
    BOOST_TEST(r.ops[0].macs == 13824u);
    BOOST_TEST(r.ops[2].macs == 18432u);
    const CompressionResult result = apply_recipe(
        l.registry, m, r,
        recipe("[[override]]\nname = \"conv1\"\ntechnique = \"prune\"\nmethod = \"channels\"\nfraction = 0.5\n"));
    BOOST_REQUIRE(result.ops[0]);
    BOOST_TEST(!result.ops[2]);
    BOOST_TEST(result.ops[0]->compressed->sparsity_pattern == WG_SPARSITY_CHANNELS);
    const Report after = compressed_report(m, r, result);
    BOOST_TEST(after.ops[0].macs == 6912u);
    BOOST_TEST(after.ops[1].flops == 256u);
    BOOST_TEST(after.ops[2].macs == 9216u);
    BOOST_TEST(after.totals.macs == 6912u + 9216u);
    // And the compiled plan sees it: the same target, fewer MACs, less time.
    Report before = r;
    attach_plan(before, compile_model(l.registry, m, before, "stm32h743"));
    Report compiled_after = after;
    attach_plan(compiled_after, compile_model(l.registry, m, compiled_after, "stm32h743"));
    BOOST_TEST(compiled_after.plan->latency_ms < before.plan->latency_ms);
}

BOOST_AUTO_TEST_CASE(the_report_shows_the_written_file_beside_the_storage) {
    // conv_chain, int4 per channel: W1 216 x 4 bits + 8 fp32 scales = 140 B, W2 288 x 4 + 4 x 32
    // = 160 B; 504 fp32 weights were 2016 B.
    const fs::path dir = fs::temp_directory_path() / ("winglet-written-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "r.toml") << "[default]\ntechnique = \"quantize\"\nbits = 4\n";
    const auto r = run_command(quoted(env_or_throw("WINGLET_BIN")) + " --plugin-path " +
                               quoted(env_or_throw("WINGLET_PLUGIN_DIR")) + " -q optimize " +
                               quoted(env_or_throw("WINGLET_TEST_MODELS") + "/conv_chain.onnx") + " --recipe " +
                               quoted((dir / "r.toml").string()) + " -o " + quoted((dir / "out.onnx").string()));
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.output);
    BOOST_TEST(r.output.find("compressed   2 weights: 2.0 KiB -> 300 B (6.72x smaller)\n") != std::string::npos, r.output);
    const uint64_t bytes = fs::file_size(dir / "out.onnx");
    const std::string line = "written      " + (dir / "out.onnx").string() + " ";
    BOOST_TEST(r.output.find(line) != std::string::npos, r.output);
    BOOST_TEST(r.output.find(" (" + std::to_string(bytes) + " bytes; the source file 2.3 KiB)\n", r.output.find(line)) !=
                   std::string::npos,
               r.output);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(bad_recipes_give_clear_errors) {
    const fs::path dir = fs::temp_directory_path() / ("winglet-recipes-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    auto run = [&](const std::string& text) {
        std::ofstream(dir / "r.toml") << text;
        return run_command(quoted(env_or_throw("WINGLET_BIN")) + " --plugin-path " + quoted(env_or_throw("WINGLET_PLUGIN_DIR")) +
                           " optimize " + quoted(env_or_throw("WINGLET_TEST_MODELS") + "/conv_chain.onnx") + " --recipe " +
                           quoted((dir / "r.toml").string()) + " -o " + quoted((dir / "out.onnx").string()));
    };
    const auto unknown = run("[default]\ntechnique = \"sparsify\"\n");
    BOOST_TEST(unknown.exit_code == 2);
    BOOST_TEST(unknown.output.find("r.toml:1: unknown technique 'sparsify' (available: ") != std::string::npos, unknown.output);
    const auto nine = run("[default]\ntechnique = \"quantize\"\nbits = 9\n");
    BOOST_TEST(nine.exit_code == 2);
    BOOST_TEST(nine.output.find("bits 9") != std::string::npos, nine.output);
    const auto sparsity = run("[default]\ntechnique = \"prune\"\nsparsity = 1.5\n");
    BOOST_TEST(sparsity.exit_code == 2);
    BOOST_TEST(sparsity.output.find("sparsity 1.5") != std::string::npos, sparsity.output);
    const auto two_selectors = run("[[override]]\nname = \"conv1\"\nop_type = \"Conv\"\ntechnique = \"quantize\"\n");
    BOOST_TEST(two_selectors.exit_code == 2);
    BOOST_TEST(two_selectors.output.find("r.toml:1:1: an [[override]] needs exactly one of") != std::string::npos,
               two_selectors.output);
    const auto malformed = run("[default\ntechnique = \"quantize\"\n");
    BOOST_TEST(malformed.exit_code == 2);
    BOOST_TEST(malformed.output.find("r.toml:1:") != std::string::npos, malformed.output);
    BOOST_TEST(!fs::exists(dir / "out.onnx"), "nothing written on a bad recipe");
    const auto nothing = run("[default]\ntechnique = \"quantize\"\n[[override]]\nscope = \"/nowhere/*\"\ntechnique = \"prune\"\n");
    BOOST_TEST(nothing.exit_code == 0, nothing.output);
    BOOST_TEST(nothing.output.find("warning: ") != std::string::npos);
    BOOST_TEST(nothing.output.find("\"/nowhere/*\" matches no op") != std::string::npos, nothing.output);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(a_compressed_real_model_passes_the_checker_and_decodes_bit_for_bit) {
    // PaddleOCR v4's detector keeps its 64 conv weights in Constant nodes (../shared/models).
    // 8-bit codes are stored one per byte, so this test reads them back itself; packed codes,
    // palettes and pruned weights are checked through ONNX Runtime in packed_model_test.cpp.
    Loaded l;
    const std::string source = env_or_throw("WINGLET_SHARED_MODELS") + "/ppocrv4_det.onnx";
    const Model m = import_model(l.registry, source);
    const Report r = analyze(m);
    // Opset 11: per-channel codes decode through Cast/Sub/Mul there (DequantizeLinear's axis is
    // opset 13), per-block ones always do (scales tiled over their blocks).
    const CompressionResult result = apply_recipe(l.registry, m, r, recipe(R"(
[default]
technique = "quantize"
bits = 8
[[override]]
scope = "p2o.Conv.1?"
technique = "quantize"
bits = 8
granularity = "per_block"
block_size = 8
symmetric = false
[[override]]
scope = "p2o.Conv.4?"
technique = "none"
)"));
    size_t compressed = 0;
    for (const auto& op : result.ops) compressed += op != nullptr;
    BOOST_TEST(compressed >= 50u);

    const fs::path out = fs::temp_directory_path() / ("winglet-roundtrip-" + std::to_string(::getpid()) + ".onnx");
    write_compressed_model(l.registry, m, result, "", "winglet test", out);
    const auto checked = run_command("/usr/bin/python3 -c " +
                                     quoted("import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True); print('ok')") +
                                     " " + quoted(out.string()));
    BOOST_TEST(checked.exit_code == 0, checked.output);

    // Re-imported by winglet, the stored codes decode (by the ONNX operators' formulas, here) to
    // exactly the weights winglet measured in memory.
    const Model back = import_model(l.registry, out.string());
    std::map<uint32_t, size_t> by_encoding;
    for (const auto& op : result.ops) {
        if (!op) continue;
        const CompressedTensor& c = *op->compressed;
        ++by_encoding[c.encoding];
        std::vector<float> decoded;
        BOOST_TEST_CONTEXT(op->tensor) {
            if (c.encoding == WG_ENCODING_DENSE) {
                const Weight* w = find_weight(back.graph, op->tensor);
                BOOST_REQUIRE(w);
                decoded = values_of<float>(*w);
            } else if (c.encoding == WG_ENCODING_LINEAR) {
                const Weight* q = find_weight(back.graph, op->tensor + "_quantized");
                const Weight* s = find_weight(back.graph, op->tensor + "_scale");
                const Weight* z = find_weight(back.graph, op->tensor + "_zero_point");
                BOOST_REQUIRE(q);
                BOOST_REQUIRE(s);
                const auto codes = values_of<int8_t>(*q);
                const auto scales = values_of<float>(*s);
                const auto zeros = z ? values_of<int8_t>(*z) : std::vector<int8_t>(scales.size(), 0);
                for (uint64_t i = 0; i < codes.size(); ++i) {
                    // The scale of element i: one per tensor, per channel, or per block along the axis.
                    size_t k = 0;
                    if (c.param_axis >= 0 && c.block_size == 0) {
                        k = static_cast<size_t>(coordinate(op->dims, c.param_axis, i));
                    } else if (c.block_size > 0) {
                        std::vector<int64_t> index(op->dims.size());
                        uint64_t rest = i;
                        for (size_t d = op->dims.size(); d-- > 0;) {
                            index[d] = static_cast<int64_t>(rest % static_cast<uint64_t>(op->dims[d]));
                            rest /= static_cast<uint64_t>(op->dims[d]);
                        }
                        index[static_cast<size_t>(c.param_axis)] /= c.block_size;
                        for (size_t d = 0; d < index.size(); ++d) k = k * static_cast<size_t>(c.param_dims[d]) + static_cast<size_t>(index[d]);
                    }
                    decoded.push_back(static_cast<float>(codes[i] - zeros[k]) * scales[k]);
                }
            } else {
                const Weight* idx = find_weight(back.graph, op->tensor + "_indices");
                const Weight* lut = find_weight(back.graph, op->tensor + "_lut");
                BOOST_REQUIRE(idx);
                BOOST_REQUIRE(lut);
                const auto indices = values_of<uint8_t>(*idx);
                const auto table = values_of<float>(*lut);
                const int64_t per_table = int64_t{1} << c.code_bits;
                for (uint64_t i = 0; i < indices.size(); ++i) {
                    const int64_t g = c.block_size > 0 ? coordinate(op->dims, c.param_axis, i) / c.block_size : 0;
                    decoded.push_back(table[static_cast<size_t>(g * per_table + indices[i])]);
                }
            }
            BOOST_REQUIRE(decoded.size() == c.decoded.size());
            BOOST_TEST(std::memcmp(decoded.data(), c.decoded.data(), decoded.size() * sizeof(float)) == 0,
                       "decoded from the file equals the in-memory compressed weights, bit for bit");
        }
    }
    BOOST_TEST(by_encoding[WG_ENCODING_LINEAR] == compressed);
    fs::remove(out);
}
