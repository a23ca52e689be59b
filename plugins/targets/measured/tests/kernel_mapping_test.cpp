// Kernels of ONNX Runtime profiles mapped back to the model's ops, on the graph rewrites it makes
// (the kernel lists below copy the names and value names ORT 1.31 gives for these patterns).
#define BOOST_TEST_MODULE kernel_mapping
#include <boost/test/unit_test.hpp>

#include "kernel_mapping.hpp"

using namespace winglet::measured;

namespace {

ModelOp op(std::string name, std::string type, std::vector<std::string> in, std::vector<std::string> out, double macs = 0) {
    return ModelOp{std::move(name), std::move(type), std::move(in), std::move(out), macs};
}

Kernel kernel(std::string node, std::string type, std::vector<std::string> in, std::vector<std::string> out,
              double median, double start) {
    Kernel k;
    k.node = std::move(node);
    k.op_type = std::move(type);
    k.inputs = std::move(in);
    k.outputs = std::move(out);
    k.median_us = median;
    k.min_us = median - 1;
    k.max_us = median + 2;
    k.start_us = start;
    return k;
}

}  // namespace

BOOST_AUTO_TEST_CASE(unfused_graph_maps_one_to_one_by_name) {
    // graphOptimizationLevel 'disabled': every node runs under its own name.
    const std::vector<ModelOp> ops = {op("conv", "Conv", {"x", "w"}, {"c"}, 1000), op("relu", "Relu", {"c"}, {"y"})};
    const std::vector<Kernel> kernels = {kernel("conv", "Conv", {"x", "w"}, {"c"}, 40, 0),
                                         kernel("relu", "Relu", {"c"}, {"y"}, 5, 41)};
    const Mapping m = map_kernels(ops, {"w"}, kernels);
    BOOST_TEST((m.ops[0].source == OpSource::Measured));
    BOOST_TEST(m.ops[0].latency_us == 40.0);
    BOOST_TEST((m.ops[1].source == OpSource::Measured));
    BOOST_TEST(m.ops[1].latency_us == 5.0);
    BOOST_TEST(m.ops[1].min_us == 4.0);
    BOOST_TEST(m.ops[1].max_us == 7.0);
    BOOST_TEST(m.unattributed.empty());
}

BOOST_AUTO_TEST_CASE(conv_relu_fused_carries_the_time_on_the_conv) {
    // ORT's ConvActivationFusion: one FusedConv kernel named after the Conv, writing the Relu's output.
    const std::vector<ModelOp> ops = {op("conv", "Conv", {"x", "w"}, {"c"}, 1000), op("relu", "Relu", {"c"}, {"y"})};
    const std::vector<Kernel> kernels = {kernel("conv", "FusedConv", {"x", "w"}, {"y"}, 42, 0)};
    const Mapping m = map_kernels(ops, {"w"}, kernels);
    BOOST_TEST((m.ops[0].source == OpSource::Measured));
    BOOST_TEST(m.ops[0].latency_us == 42.0);
    BOOST_TEST((m.ops[1].source == OpSource::Fused));
    BOOST_TEST(m.ops[1].kernel == 0);
    BOOST_TEST(m.ops[1].latency_us == 0.0);
}

BOOST_AUTO_TEST_CASE(matmul_add_fused_into_a_gemm_named_after_the_add) {
    // MatMulAddFusion: a Gemm writing the Add's output; the MatMul joins the kernel it feeds and,
    // having the MACs, carries its time.
    const std::vector<ModelOp> ops = {op("mm", "MatMul", {"a", "w"}, {"p"}, 4096), op("add", "Add", {"p", "b"}, {"y"})};
    const std::vector<Kernel> kernels = {kernel("add_Gemm", "Gemm", {"a", "w", "b"}, {"y"}, 12, 0)};
    const Mapping m = map_kernels(ops, {"w", "b"}, kernels);
    BOOST_TEST((m.ops[0].source == OpSource::Measured));
    BOOST_TEST(m.ops[0].latency_us == 12.0);
    BOOST_TEST((m.ops[1].source == OpSource::Fused));
    BOOST_TEST(m.ops[1].kernel == 0);
}

BOOST_AUTO_TEST_CASE(nchwc_chain_with_batchnorm_folded_into_the_conv_and_layout_conversions) {
    // ORT at 'all' on x86: Conv+BatchNormalization+Clip become one NCHWc Conv named
    // "<Clip output>_nchwc" writing "reorder_token_*"; a ReorderInput converts the graph input and
    // a ReorderOutput converts the pool's result back under the model's name.
    const std::vector<ModelOp> ops = {
        op("conv", "Conv", {"input", "w"}, {"c"}, 5000), op("bn", "BatchNormalization", {"c", "s", "b", "m", "v"}, {"n"}),
        op("clip", "Clip", {"n", "lo", "hi"}, {"r"}), op("pool", "GlobalAveragePool", {"r"}, {"g"}),
        op("flat", "Flatten", {"g"}, {"f"})};
    const std::vector<Kernel> kernels = {
        kernel("ReorderInput", "ReorderInput", {"input"}, {"reorder_token_0"}, 3, 0),
        kernel("r_nchwc", "Conv", {"reorder_token_0", "reorder", "bias"}, {"reorder_token_1"}, 100, 4),
        kernel("g_nchwc", "GlobalAveragePool", {"reorder_token_1"}, {"reorder_token_2"}, 8, 105),
        kernel("ReorderOutput", "ReorderOutput", {"reorder_token_2"}, {"g"}, 2, 114),
        kernel("flat", "Flatten", {"g"}, {"f"}, 1, 117)};
    const Mapping m = map_kernels(ops, {"w", "s", "b", "m", "v", "lo", "hi"}, kernels);
    BOOST_TEST((m.ops[0].source == OpSource::Measured));
    // The Conv's kernel plus the conversion of its input.
    BOOST_TEST(m.ops[0].latency_us == 103.0);
    BOOST_TEST(m.ops[0].start_us == 0.0);
    BOOST_TEST((m.ops[1].source == OpSource::Fused));
    BOOST_TEST((m.ops[2].source == OpSource::Fused));
    BOOST_TEST(m.ops[1].kernel == 1);
    BOOST_TEST(m.ops[2].kernel == 1);
    // The pool pays for converting its result back.
    BOOST_TEST((m.ops[3].source == OpSource::Measured));
    BOOST_TEST(m.ops[3].latency_us == 10.0);
    BOOST_TEST(m.ops[4].latency_us == 1.0);
    double total = 0;
    for (const OpMeasurement& o : m.ops) total += o.latency_us;
    BOOST_TEST(total == 3 + 100 + 8 + 2 + 1.0);   // every kernel's time, once
    BOOST_TEST(m.unattributed.empty());
}

BOOST_AUTO_TEST_CASE(a_residual_add_joins_the_latest_kernel_before_it) {
    // conv2's kernel also adds the block input (ORT fuses the Add as the NCHWc Conv's "Sum" input).
    // Execution order: the block input first, then the two convolutions, the Add, the next block.
    const std::vector<ModelOp> ops = {op("src", "Relu", {"x"}, {"x2"}), op("conv1", "Conv", {"x2", "w1"}, {"a"}, 100),
                                      op("conv2", "Conv", {"a", "w2"}, {"b"}, 100), op("add", "Add", {"b", "x2"}, {"y"}),
                                      op("next", "Conv", {"y", "w3"}, {"z"}, 100)};
    const std::vector<Kernel> kernels = {kernel("src", "Relu", {"x"}, {"x2"}, 1, 0),
                                         kernel("a_nchwc", "Conv", {"t0"}, {"t1"}, 10, 2),
                                         kernel("b_nchwc", "Conv", {"t1", "t9"}, {"t2"}, 20, 13),
                                         kernel("z_nchwc", "Conv", {"t2"}, {"t3"}, 30, 34)};
    const Mapping m = map_kernels(ops, {"w1", "w2", "w3"}, kernels);
    BOOST_TEST((m.ops[3].source == OpSource::Fused));
    BOOST_TEST(m.ops[3].kernel == 2);   // conv2's kernel, not the Relu's and not the next Conv's
}

BOOST_AUTO_TEST_CASE(constant_subgraphs_are_folded_and_strangers_not_observed) {
    // Shape arithmetic on constants runs once at load; an op no kernel explains is said so.
    const std::vector<ModelOp> ops = {op("k", "Constant", {}, {"k_out"}), op("mul", "Mul", {"k_out", "two"}, {"target"}),
                                      op("reshape", "Reshape", {"x", "target"}, {"y"}), op("lonely", "Relu", {"q"}, {"r"})};
    const std::vector<Kernel> kernels = {kernel("reshape", "Reshape", {"x", "target"}, {"y"}, 1, 0)};
    const Mapping m = map_kernels(ops, {"k_out", "two"}, kernels);
    BOOST_TEST((m.ops[0].source == OpSource::Folded));
    BOOST_TEST((m.ops[1].source == OpSource::Folded));
    BOOST_TEST((m.ops[2].source == OpSource::Measured));
    BOOST_TEST((m.ops[3].source == OpSource::NotObserved));
}

BOOST_AUTO_TEST_CASE(ops_of_a_branch_that_does_not_run_join_no_kernel) {
    // An If's else branch (multiplier 0) holds an LSTM reading the If's input: it must not take
    // the time of a kernel that ran, however many MACs it has.
    std::vector<ModelOp> ops = {op("if", "If", {"cond"}, {"out"}), op("then_relu", "Relu", {"x"}, {"t"}),
                                op("else_lstm", "LSTM", {"x", "w"}, {"e"}, 1e6)};
    ops[2].runs = false;
    const std::vector<Kernel> kernels = {kernel("if", "If", {"cond"}, {"out"}, 30, 0), kernel("then_relu", "Relu", {"x"}, {"t"}, 4, 1)};
    const Mapping m = map_kernels(ops, {"w"}, kernels);
    BOOST_TEST((m.ops[0].source == OpSource::Measured));
    BOOST_TEST(m.ops[0].latency_us == 30.0);
    BOOST_TEST((m.ops[2].source == OpSource::NotObserved));
    BOOST_TEST(m.ops[2].latency_us == 0.0);
}

BOOST_AUTO_TEST_CASE(a_kernel_nothing_explains_is_listed_not_lost) {
    const std::vector<ModelOp> ops = {op("relu", "Relu", {"x"}, {"y"})};
    const std::vector<Kernel> kernels = {kernel("relu", "Relu", {"x"}, {"y"}, 2, 0),
                                         kernel("MemcpyToHost", "Memcpy", {"u"}, {"v"}, 1, 3)};
    const Mapping m = map_kernels(ops, {}, kernels);
    BOOST_TEST(m.unattributed == std::vector<int>{1});
    BOOST_TEST(m.ops[0].latency_us == 2.0);
}
