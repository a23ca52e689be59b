// Placement, fusion, fallback reasons, the timeline and the summary, against hand calculations
// on the built-in edge device (numbers listed at the top of cost_model_test.cpp; host CPU:
// 8 GFLOP/s, 8 GB/s, 10 us dispatch, 70 pJ/FLOP; static power 0.1 W).
#define BOOST_TEST_MODULE systolic_plan
#include <boost/test/unit_test.hpp>

#include "edge_device.hpp"
#include "plan.hpp"

namespace tt = boost::test_tools;
using namespace systolic;
using systolic::test::edge;

namespace {

// The ResNet stage-1 conv of cost_model_test.cpp (fp32 in the graph: 4 bytes per element).
OpInput conv_op() {
    OpInput op;
    op.op_type = "Conv";
    op.gemm = conv_as_gemm(1, 64, 64, 1, 9, 56 * 56, 64 * 56 * 56);
    op.flops = 2 * 115605504ull;
    op.input_bytes = op.output_bytes = 802816;
    op.weight_bytes = 147456;
    return op;
}

// An elementwise op on the ResNet conv's output shape reading op `producer`'s output.
OpInput pointwise(const char* type, uint64_t flops_per_element, int64_t producer) {
    OpInput op;
    op.op_type = type;
    op.producer = producer;
    op.flops = flops_per_element * 200704;
    op.input_bytes = op.output_bytes = 802816;
    return op;
}

}  // namespace

BOOST_AUTO_TEST_CASE(classes) {
    BOOST_TEST((classify("MatMul") == OpClass::Array));
    BOOST_TEST((classify("Relu") == OpClass::Fusible));
    BOOST_TEST((classify("Transpose") == OpClass::DataMovement));
    BOOST_TEST((classify("Softmax") == OpClass::Other));
}

BOOST_AUTO_TEST_CASE(conv_relu_softmax) {
    const Plan plan = make_plan(edge(), Precision::Int8,
                                {conv_op(), pointwise("Relu", 1, 0), pointwise("Softmax", 3, 1)});
    const OpPlan &conv = plan.ops[0], &relu = plan.ops[1], &softmax = plan.ops[2];

    // Conv: compute 116280 cycles = 116.28 us > DRAM 36864 B / 8e9 = 4.608 us; + 1 us dispatch.
    BOOST_TEST(conv.unit == "array");
    BOOST_TEST(conv.fallback_reason == "");
    BOOST_TEST(conv.latency_us == 117.28, tt::tolerance(1e-12));
    BOOST_TEST((conv.bound == Bound::Compute));
    // Energy: MACs 115605504*0.23 = 26589265.92 pJ; SRAM (2*3136*576 + 36864 + 18*200704) B
    // = 7262208 B * 2.5 = 18155520 pJ; DRAM 36864 * 243.75 = 8985600 pJ; sum 53.73038592 uJ.
    BOOST_TEST(conv.energy_uj == 53.73038592, tt::tolerance(1e-12));

    // Relu rides the conv's output pipeline: same group, no time, 200704 adds * 0.03 pJ.
    BOOST_TEST(relu.unit == "array");
    BOOST_TEST(conv.group == 0);
    BOOST_TEST(relu.group == 0);
    BOOST_TEST(relu.latency_us == 0.0);
    BOOST_TEST(relu.energy_uj == 0.00602112, tt::tolerance(1e-12));

    // Softmax on the CPU after a transition of its 802816 input bytes at 8e9 B/s = 100.352 us;
    // memory 1605632 B / 8e9 = 200.704 us > compute 602112 / 8e9 = 75.264 us; + 10 us dispatch:
    // 200.704 + 10 + 100.352 = 311.056 us, memory-bound (overhead 110.352 us is smaller).
    BOOST_TEST(softmax.unit == "cpu");
    BOOST_TEST(softmax.fallback_reason ==
               "systolic array runs only Conv/Gemm/MatMul; Softmax runs on the host CPU");
    BOOST_TEST(softmax.group == -1);
    BOOST_TEST(softmax.transition);
    BOOST_TEST(softmax.start_us == 117.28, tt::tolerance(1e-12));
    BOOST_TEST(softmax.latency_us == 311.056, tt::tolerance(1e-12));
    BOOST_TEST((softmax.bound == Bound::Memory));
    // 602112*70 + 1605632*243.75 + 802816*243.75 pJ = 629.20704 uJ.
    BOOST_TEST(softmax.energy_uj == 629.20704, tt::tolerance(1e-12));

    BOOST_TEST(plan.totals.unit_transitions == 1u);
    BOOST_TEST(plan.totals.latency_us == 428.336, tt::tolerance(1e-12));

    // Summary: static 0.1 W * 428.336 us = 42.8336 uJ; dynamic 682.94344704 uJ.
    // Weights 36864 B (int8) + peak activations 1605632 B (softmax in + out) = 1642496 B.
    const Summary s = summarize(edge(), plan);
    BOOST_TEST(s.latency_ms == 0.428336, tt::tolerance(1e-12));
    BOOST_TEST(s.energy_mj == 0.72577704704, tt::tolerance(1e-12));
    BOOST_TEST(s.avg_power_w == 0.72577704704 / 0.428336, tt::tolerance(1e-12));
    BOOST_TEST(s.weights_resident_bytes == 36864u);
    BOOST_TEST(s.peak_memory_bytes == 1642496u);
    BOOST_TEST(s.fits);
    BOOST_TEST(s.fit_detail.find("0 of 1 array ops spill SRAM") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(activation_not_after_an_array_op_runs_on_the_cpu) {
    const Plan plan = make_plan(edge(), Precision::Int8,
                                {conv_op(), pointwise("Softmax", 3, 0), pointwise("Relu", 1, 1)});
    BOOST_TEST(plan.ops[2].unit == "cpu");
    BOOST_TEST(plan.ops[2].fallback_reason ==
               "Relu fuses only onto the output of the last Conv/Gemm/MatMul group on the systolic "
               "array; runs on the host CPU");
    BOOST_TEST(plan.ops[0].group == -1, "a conv with nothing fused is not a group");
    BOOST_TEST(!plan.ops[2].transition, "cpu -> cpu moves nothing");
}

// MobileNetV2's order: Conv -> BatchNormalization -> Constant (a Clip bound) -> Clip(BN output).
// The Clip reads the BatchNormalization, a member of the conv's group: it joins the group.
BOOST_AUTO_TEST_CASE(conv_bn_clip_chain_fuses_across_a_constant) {
    OpInput constant;
    constant.op_type = "Constant";
    constant.output_bytes = 4;
    const Plan plan = make_plan(edge(), Precision::Int8,
                                {conv_op(), pointwise("BatchNormalization", 2, 0), constant,
                                 pointwise("Clip", 2, 1), pointwise("Relu", 1, 0)});
    const OpPlan &conv = plan.ops[0], &bn = plan.ops[1], &clip = plan.ops[3], &late = plan.ops[4];
    BOOST_TEST(conv.group == 0);
    BOOST_TEST(bn.group == 0);
    BOOST_TEST(plan.ops[2].unit == "cpu");
    BOOST_TEST(clip.unit == "array");
    BOOST_TEST(clip.fallback_reason == "");
    BOOST_TEST(clip.group == 0);
    BOOST_TEST(clip.start_us == 0.0);
    BOOST_TEST(clip.latency_us == 0.0);
    // 2 * 200704 FLOPs * 0.03 pJ = 0.01204224 uJ, as for the BatchNormalization.
    BOOST_TEST(clip.energy_uj == 0.01204224, tt::tolerance(1e-12));
    BOOST_TEST(bn.energy_uj == 0.01204224, tt::tolerance(1e-12));
    // The Clip was the last array op: an op reading the conv itself is past the pipeline.
    BOOST_TEST(late.unit == "cpu");
    // The fused ops add no time: the Constant starts after the conv's 117.28 us. Transitions:
    // array -> cpu for the Constant, and Relu on the CPU after the Clip (array) again.
    BOOST_TEST(plan.ops[2].start_us == 117.28, tt::tolerance(1e-12));
    BOOST_TEST(plan.totals.unit_transitions == 2u);
}

BOOST_AUTO_TEST_CASE(array_op_with_unknown_shapes_falls_back_with_the_reason) {
    OpInput op = conv_op();
    op.gemm.reset();
    op.no_gemm_reason = "shapes not all known";
    const Plan plan = make_plan(edge(), Precision::Int8, {op});
    BOOST_TEST(plan.ops[0].unit == "cpu");
    BOOST_TEST(plan.ops[0].fallback_reason == "Conv: shapes not all known; runs on the host CPU");
    BOOST_TEST(plan.totals.unit_transitions == 0u);
}

BOOST_AUTO_TEST_CASE(a_model_larger_than_dram_does_not_fit) {
    // A 2^31-element weight (2 GiB in int8) on a device with 1 GiB DRAM + 512 KiB SRAM.
    OpInput op;
    op.op_type = "MatMul";
    op.gemm = plain_gemm(1, uint64_t{1} << 16, uint64_t{1} << 15);
    op.weight_bytes = uint64_t{1} << 33;
    const Summary s = summarize(edge(), make_plan(edge(), Precision::Int8, {op}));
    BOOST_TEST(!s.fits);
    BOOST_TEST(s.weights_resident_bytes == uint64_t{1} << 31);
    BOOST_TEST(s.fit_detail.rfind("peak memory ", 0) == 0u, "no \"does not fit:\" prefix");
    BOOST_TEST(s.fit_detail.find("(weights 2147483648 B + ") != std::string::npos);
}
