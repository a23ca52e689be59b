// Whole-pipeline checks (ONNX file -> importer plugin -> shape rules -> analysis) against figures
// computed independently: published numbers for torchvision architectures, and hand calculations
// for the small models tests/data/make_test_models.py writes.
#define BOOST_TEST_MODULE published_figures
#include <boost/test/unit_test.hpp>

#include "analysis/analyzer.hpp"
#include "plugins/import.hpp"
#include "support/run_command.hpp"

#include <cmath>

using winglet::test::env_or_throw;

namespace {

winglet::PluginRegistry& registry() {
    static winglet::PluginRegistry reg;
    static bool loaded = false;
    if (!loaded) {
        reg.load_directories({env_or_throw("WINGLET_PLUGIN_DIR")});
        loaded = true;
    }
    return reg;
}

winglet::Report analyze_file(const std::string& relative, const winglet::ImportOptions& options = {}) {
    const winglet::Model model =
        winglet::import_model(registry(), env_or_throw("WINGLET_TEST_MODELS") + "/" + relative, options);
    return winglet::analyze(model);
}

const winglet::OpReport& only_op(const winglet::Report& r, const std::string& op_type) {
    const winglet::OpReport* found = nullptr;
    for (const auto& op : r.ops)
        if (op.op_type == op_type) {
            BOOST_REQUIRE_MESSAGE(!found, "more than one " << op_type);
            found = &op;
        }
    BOOST_REQUIRE_MESSAGE(found, "no " << op_type);
    return *found;
}

bool within(double actual, double expected, double fraction) {
    return std::fabs(actual - expected) <= fraction * expected;
}

}  // namespace

// Published figures at 224x224 (torchvision model documentation, "GFLOPS" there meaning
// multiply-accumulates; parameter counts from the same tables). BatchNorm is kept (not folded);
// its running statistics are buffers, not parameters, as in torchvision.
BOOST_AUTO_TEST_CASE(resnet18_published) {
    const auto r = analyze_file("torchvision/resnet18.onnx");
    BOOST_TEST_INFO("MACs " << r.totals.macs << ", params " << r.totals.params);
    BOOST_TEST(within(r.totals.macs, 1.81e9, 0.01));
    BOOST_TEST(within(r.totals.params, 11.69e6, 0.01));
    BOOST_TEST(r.totals.ops_without_cost_rule == 0u);
}

BOOST_AUTO_TEST_CASE(resnet50_published) {
    const auto r = analyze_file("torchvision/resnet50.onnx");
    BOOST_TEST_INFO("MACs " << r.totals.macs << ", params " << r.totals.params);
    BOOST_TEST(within(r.totals.macs, 4.09e9, 0.01));
    BOOST_TEST(within(r.totals.params, 25.557e6, 0.01));
    BOOST_TEST(r.totals.ops_without_cost_rule == 0u);
}

BOOST_AUTO_TEST_CASE(mobilenet_v2_published) {
    const auto r = analyze_file("torchvision/mobilenet_v2.onnx");
    BOOST_TEST_INFO("MACs " << r.totals.macs << ", params " << r.totals.params);
    BOOST_TEST(within(r.totals.macs, 0.30e9, 0.01));
    BOOST_TEST(within(r.totals.params, 3.504e6, 0.01));
    BOOST_TEST(r.totals.ops_without_cost_rule == 0u);
}

// X [1,8,32,32], W [16,2,3,3], group 4, dilation 2, stride 2, pads 2: effective kernel 5, so
// out = floor((32 + 4 - 5) / 2) + 1 = 16 -> Y [1,16,16,16]. MACs = 16*16*16 outputs * (8/4)*3*3
// = 4096 * 18 = 73,728. Params = 16*2*3*3 + 16 = 304.
BOOST_AUTO_TEST_CASE(conv_groups_dilation_stride_by_hand) {
    const auto r = analyze_file("conv_groups.onnx");
    const auto& conv = only_op(r, "Conv");
    BOOST_TEST(winglet::shape_to_string(conv.output_shapes.at(0)) == "[1,16,16,16]");
    BOOST_TEST(conv.macs == 73728u);
    BOOST_TEST(conv.params == 304u);
    BOOST_TEST(conv.weight_bytes == 304u * 4);
    BOOST_TEST(conv.input_bytes == 8u * 32 * 32 * 4);
    BOOST_TEST(conv.output_bytes == 16u * 16 * 16 * 4);
}

// A [4,64] x B [64,32] + C [32]: MACs = 4*32*64 = 8,192; params = 64*32 + 32 = 2,080.
BOOST_AUTO_TEST_CASE(gemm_by_hand) {
    const auto r = analyze_file("gemm.onnx");
    const auto& gemm = only_op(r, "Gemm");
    BOOST_TEST(gemm.macs == 8192u);
    BOOST_TEST(gemm.params == 2080u);
}

// [2,1,8,16] x [3,16,4] broadcasts to [2,3,8,4]: MACs = 2*3*8*4 * 16 = 3,072.
BOOST_AUTO_TEST_CASE(broadcast_matmul_by_hand) {
    const auto r = analyze_file("matmul_broadcast.onnx");
    const auto& mm = only_op(r, "MatMul");
    BOOST_TEST(winglet::shape_to_string(mm.output_shapes.at(0)) == "[2,3,8,4]");
    BOOST_TEST(mm.macs == 3072u);
}

// LSTM, seq 5, batch 2, input 10, hidden 20, forward: per step and sequence 4 gates * 20 hidden *
// (10 input + 20 recurrent) MACs = 2,400; * 5 steps * 2 batch = 24,000.
// Params = W 4*20*10 + R 4*20*20 + B 8*20 = 800 + 1600 + 160 = 2,560.
BOOST_AUTO_TEST_CASE(lstm_by_hand) {
    const auto r = analyze_file("lstm.onnx");
    const auto& lstm = only_op(r, "LSTM");
    BOOST_TEST(lstm.macs == 24000u);
    BOOST_TEST(lstm.params == 2560u);
}

// --dim batch=4 on X [batch,3,32,32] -> Conv(8 filters 3x3, pad 1): MACs = 4*8*32*32 * 3*3*3.
BOOST_AUTO_TEST_CASE(dim_override_scales_the_cost) {
    winglet::ImportOptions options;
    options.dim_overrides["batch"] = 4;
    const auto r = analyze_file("symbolic.onnx", options);
    BOOST_TEST(only_op(r, "Conv").macs == 4u * 8 * 32 * 32 * 27);
    BOOST_TEST(r.assumed_dims.empty());
    const auto unset = analyze_file("symbolic.onnx");
    BOOST_TEST(only_op(unset, "Conv").macs == 1u * 8 * 32 * 32 * 27);
    BOOST_TEST(unset.assumed_dims.size() == 1u);
}

// One [32,32] weight read by two MatMuls: 1,024 parameters, not 2,048.
BOOST_AUTO_TEST_CASE(shared_weight_counted_once) {
    const auto r = analyze_file("shared_weight.onnx");
    BOOST_TEST(r.totals.params == 1024u);
    BOOST_TEST(r.totals.weight_bytes == 1024u * 4);
}

// A MatMul whose [16,8] weight comes from a Constant node: 128 parameters.
BOOST_AUTO_TEST_CASE(constant_node_weight_counts_as_parameters) {
    const auto r = analyze_file("constant_weight.onnx");
    BOOST_TEST(r.totals.params == 128u);
}
