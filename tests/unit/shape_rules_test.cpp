#define BOOST_TEST_MODULE shape_rules
#include <boost/test/unit_test.hpp>

#include "core/errors.hpp"
#include "graph/graph.hpp"
#include "shapes/shape_inference.hpp"
#include "unit/shape_test_builder.hpp"

#include <cstring>
#include <limits>
#include <memory>

using namespace winglet;

namespace {

using namespace winglet::test;

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

}  // namespace

BOOST_AUTO_TEST_SUITE(convolution_and_pooling)

BOOST_AUTO_TEST_CASE(resnet_stem) {
    Builder b;
    b.input("x", {d(1), d(3), d(224), d(224)}).weight("w", {64, 3, 7, 7}).weight("bias", {64});
    // Conv k7 s2 p3: floor((224 + 3 + 3 - 7) / 2) + 1 = 111 + 1 = 112; channels = W[0] = 64.
    b.node("Conv", {"x", "w", "bias"}, {"conv"},
           {ints_attr("kernel_shape", {7, 7}), ints_attr("strides", {2, 2}), ints_attr("pads", {3, 3, 3, 3})});
    b.node("Relu", {"conv"}, {"relu"});
    // MaxPool k3 s2 p1: floor((112 + 1 + 1 - 3) / 2) + 1 = 55 + 1 = 56.
    b.node("MaxPool", {"relu"}, {"pool"},
           {ints_attr("kernel_shape", {3, 3}), ints_attr("strides", {2, 2}), ints_attr("pads", {1, 1, 1, 1})});
    const auto stats = b.infer();
    BOOST_TEST(b.shape("conv") == "[1,64,112,112]");
    BOOST_TEST(b.shape("relu") == "[1,64,112,112]");
    BOOST_TEST(b.shape("pool") == "[1,64,56,56]");
    BOOST_TEST(b.dtype("pool") == "float32");
    BOOST_TEST(stats.inferred == 3u);
    BOOST_TEST(stats.still_unknown == 0u);
    BOOST_TEST(stats.ops_without_rule.empty());
}

BOOST_AUTO_TEST_CASE(conv_groups_dilation_and_kernel_from_weight) {
    Builder b;
    b.input("x", {d(1), d(32), d(56), d(56)}).weight("dw", {32, 1, 3, 3}).weight("w", {8, 16, 3, 3});
    // Depthwise, no kernel_shape attribute: k = W[2:] = 3; dilation 2 -> effective kernel 5;
    // floor((56 + 2 + 2 - 5) / 1) + 1 = 56.
    b.node("Conv", {"x", "dw"}, {"depthwise"},
           {int_attr("group", 32), ints_attr("dilations", {2, 2}), ints_attr("pads", {2, 2, 2, 2})});
    // group 2: input channels 32 = W[1] 16 * 2; output channels W[0] = 8; no pads: 56 - 3 + 1 = 54.
    b.node("Conv", {"x", "w"}, {"grouped"}, {int_attr("group", 2)});
    b.infer();
    BOOST_TEST(b.shape("depthwise") == "[1,32,56,56]");
    BOOST_TEST(b.shape("grouped") == "[1,8,54,54]");
}

BOOST_AUTO_TEST_CASE(conv_channel_mismatch_is_an_input_error) {
    Builder b;
    b.input("x", {d(1), d(3), d(8), d(8)}).weight("w", {4, 5, 3, 3});
    b.node("Conv", {"x", "w"}, {"y"}, {}, "stem/conv");
    const std::string message = inference_error(b);
    BOOST_TEST(message.find("stem/conv") != std::string::npos);
    BOOST_TEST(message.find("input channels") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(auto_pad) {
    Builder b;
    b.input("x", {d(1), d(3), d(225), d(225)}).weight("w", {8, 3, 3, 3});
    // SAME_UPPER: ceil(225 / 2) = 113. VALID: floor((225 - 3) / 2) + 1 = 112.
    b.node("Conv", {"x", "w"}, {"same"}, {ints_attr("strides", {2, 2}), string_attr("auto_pad", "SAME_UPPER")});
    b.node("Conv", {"x", "w"}, {"same_lower"}, {ints_attr("strides", {2, 2}), string_attr("auto_pad", "SAME_LOWER")});
    b.node("Conv", {"x", "w"}, {"valid"},
           {ints_attr("strides", {2, 2}), string_attr("auto_pad", "VALID"), ints_attr("pads", {9, 9, 9, 9})});
    b.infer();
    BOOST_TEST(b.shape("same") == "[1,8,113,113]");
    BOOST_TEST(b.shape("same_lower") == "[1,8,113,113]");
    BOOST_TEST(b.shape("valid") == "[1,8,112,112]");
}

BOOST_AUTO_TEST_CASE(conv_transpose) {
    Builder b;
    b.input("x", {d(1), d(8), d(16), d(16)}).weight("w", {8, 4, 4, 4}).weight("w3", {8, 2, 3, 3});
    // out = s * (in - 1) + output_padding + ((k - 1) * d + 1) - pads
    // k4 s2 p1: 2 * 15 + 0 + 4 - 2 = 32; channels W[1] * group = 4.
    b.node("ConvTranspose", {"x", "w"}, {"up"}, {ints_attr("strides", {2, 2}), ints_attr("pads", {1, 1, 1, 1})});
    // k3 s2 p1 output_padding 1, group 2: 2 * 15 + 1 + 3 - 2 = 32; channels 2 * 2 = 4.
    b.node("ConvTranspose", {"x", "w3"}, {"up_padded"},
           {ints_attr("strides", {2, 2}), ints_attr("pads", {1, 1, 1, 1}), ints_attr("output_padding", {1, 1}),
            int_attr("group", 2)});
    // output_shape wins over the formula; SAME_UPPER gives in * stride.
    b.node("ConvTranspose", {"x", "w"}, {"explicit"}, {ints_attr("strides", {2, 2}), ints_attr("output_shape", {33, 31})});
    b.node("ConvTranspose", {"x", "w"}, {"same"}, {ints_attr("strides", {2, 2}), string_attr("auto_pad", "SAME_UPPER")});
    b.infer();
    BOOST_TEST(b.shape("up") == "[1,4,32,32]");
    BOOST_TEST(b.shape("up_padded") == "[1,4,32,32]");
    BOOST_TEST(b.shape("explicit") == "[1,4,33,31]");
    BOOST_TEST(b.shape("same") == "[1,4,32,32]");
}

BOOST_AUTO_TEST_CASE(pool_ceil_mode) {
    Builder b;
    b.input("x", {d(1), d(2), d(6), d(5)});
    // H 6, k3 s2: floor((6 - 3) / 2) + 1 = 2, ceil: ceil(3 / 2) + 1 = 3.
    // W 5, k3 s2: floor((5 - 3) / 2) + 1 = 2 either way.
    b.node("MaxPool", {"x"}, {"floor"}, {ints_attr("kernel_shape", {3, 3}), ints_attr("strides", {2, 2})});
    b.node("AveragePool", {"x"}, {"ceil"},
           {ints_attr("kernel_shape", {3, 3}), ints_attr("strides", {2, 2}), int_attr("ceil_mode", 1)});
    // H 6, k2 s2 p1: ceil((6 + 2 - 2) / 2) + 1 = 4, and the 4th window starts at (4 - 1) * 2 = 6
    // >= 6 + 1? no, so 4 stays. W 5, k2 s2 p1: ceil((5 + 2 - 2) / 2) + 1 = 4, but the 4th window
    // starts at 6 >= 5 + 1, inside the end padding, so it is dropped: 3 (PyTorch, ONNX >= 1.16).
    b.node("MaxPool", {"x"}, {"ceil_padded"},
           {ints_attr("kernel_shape", {2, 2}), ints_attr("strides", {2, 2}), ints_attr("pads", {1, 1, 1, 1}),
            int_attr("ceil_mode", 1)});
    b.infer();
    BOOST_TEST(b.shape("floor") == "[1,2,2,2]");
    BOOST_TEST(b.shape("ceil") == "[1,2,3,2]");
    BOOST_TEST(b.shape("ceil_padded") == "[1,2,4,3]");
}

BOOST_AUTO_TEST_CASE(global_pool_and_resize) {
    Builder b;
    b.input("x", {d(1), d(16), d(7), d(9)});
    b.constant<float>("scales", {1.f, 1.f, 2.f, 0.5f}, DType::Float32, {4});
    b.ints("sizes", {1, 16, 20, 30});
    b.constant<float>("no_scales", {}, DType::Float32, {0});
    b.node("GlobalAveragePool", {"x"}, {"gap"});
    // scales: floor(7 * 2) = 14, floor(9 * 0.5) = 4.
    b.node("Resize", {"x", "", "scales"}, {"scaled"});
    b.node("Resize", {"x", "", "no_scales", "sizes"}, {"sized"});
    b.node("Upsample", {"x", "scales"}, {"upsampled"});
    b.infer();
    BOOST_TEST(b.shape("gap") == "[1,16,1,1]");
    BOOST_TEST(b.shape("scaled") == "[1,16,14,4]");
    BOOST_TEST(b.shape("sized") == "[1,16,20,30]");
    BOOST_TEST(b.shape("upsampled") == "[1,16,14,4]");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(broadcasting_and_dtypes)

BOOST_AUTO_TEST_CASE(numpy_broadcast) {
    Builder b;
    b.input("a", {d(2), d(1), d(8)}).input("b", {d(3), d(1)});
    b.input("s1", {sym("batch"), d(1), d(8)}).input("s2", {sym("batch"), d(5), d(1)});
    b.input("u1", {sym("n"), d(4)}).input("u2", {sym("m"), d(1)});
    b.input("cond", {d(3), d(1)}, DType::Bool);
    // Right-aligned: [2,1,8] vs [_,3,1] -> [2, max(1,3), max(8,1)] = [2,3,8].
    b.node("Add", {"a", "b"}, {"sum"});
    // Equal symbols broadcast with each other; 1 yields to 5 and 8.
    b.node("Mul", {"s1", "s2"}, {"product"});
    // Different symbols may be 1 or equal: nothing known; a known 4 wins over an unknown.
    b.node("Sub", {"u1", "u2"}, {"difference"});
    b.node("Max", {"a", "b", "s1"}, {"variadic"});
    b.node("Less", {"a", "b"}, {"less"});
    b.node("Where", {"cond", "a", "b"}, {"picked"});
    b.infer();
    BOOST_TEST(b.shape("sum") == "[2,3,8]");
    BOOST_TEST(b.shape("product") == "[batch,5,8]");
    BOOST_TEST(b.shape("difference") == "[?,4]");
    BOOST_TEST(b.shape("variadic") == "[2,3,8]");   // batch meets 2: batch must be 2 or 1
    BOOST_TEST(b.shape("less") == "[2,3,8]");
    BOOST_TEST(b.dtype("less") == "bool");
    BOOST_TEST(b.shape("picked") == "[2,3,8]");
    BOOST_TEST(b.dtype("picked") == "float32");
}

BOOST_AUTO_TEST_CASE(incompatible_broadcast_names_the_node) {
    Builder b;
    b.input("a", {d(2), d(3)}).input("b", {d(4)});
    b.node("Add", {"a", "b"}, {"c"}, {}, "/blocks.0/Add");
    const std::string message = inference_error(b);
    BOOST_TEST(message.find("/blocks.0/Add") != std::string::npos);
    BOOST_TEST(message.find("[2,3]") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(dtype_changing_ops) {
    Builder b;
    b.input("x", {d(2), d(3)});
    b.node("Cast", {"x"}, {"as_int"}, {int_attr("to", static_cast<int64_t>(DType::Int32))});
    b.node("Dropout", {"x"}, {"dropped", "mask"});
    b.node("ArgMax", {"x"}, {"arg"}, {int_attr("axis", 1), int_attr("keepdims", 0)});
    b.node("Shape", {"x"}, {"shape"});
    b.node("Not", {"mask"}, {"not_mask"});
    b.node("LayerNormalization", {"x", "gamma", "beta"}, {"ln", "mean", "inv_std"}, {int_attr("axis", -1)});
    b.weight("gamma", {3}).weight("beta", {3});
    b.infer();
    BOOST_TEST(b.dtype("as_int") == "int32");
    BOOST_TEST(b.shape("as_int") == "[2,3]");
    BOOST_TEST(b.shape("mask") == "[2,3]");
    BOOST_TEST(b.dtype("mask") == "bool");
    BOOST_TEST(b.shape("arg") == "[2]");
    BOOST_TEST(b.dtype("arg") == "int64");
    BOOST_TEST(b.shape("shape") == "[2]");
    BOOST_TEST(b.dtype("shape") == "int64");
    BOOST_TEST(b.dtype("not_mask") == "bool");
    BOOST_TEST(b.shape("ln") == "[2,3]");
    BOOST_TEST(b.shape("mean") == "[2,1]");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(matrix_products)

BOOST_AUTO_TEST_CASE(symbolic_batch_through_a_classifier) {
    Builder b;
    b.input("x", {sym("batch"), d(3), d(32), d(32)}).weight("w", {16, 3, 3, 3}).weight("fc", {10, 16}).weight("fc_b", {10});
    // k3 p1 s1 keeps 32; batch passes through every op untouched.
    b.node("Conv", {"x", "w"}, {"conv"}, {ints_attr("pads", {1, 1, 1, 1})});
    b.node("Relu", {"conv"}, {"relu"});
    b.node("GlobalAveragePool", {"relu"}, {"gap"});
    // Flatten axis 1: [batch] x [16 * 1 * 1].
    b.node("Flatten", {"gap"}, {"flat"});
    // Gemm with transB: [batch,16] x [10,16]^T = [batch,10].
    b.node("Gemm", {"flat", "fc", "fc_b"}, {"logits"}, {int_attr("transB", 1)});
    b.node("Softmax", {"logits"}, {"probs"}, {int_attr("axis", -1)});
    b.infer();
    BOOST_TEST(b.shape("conv") == "[batch,16,32,32]");
    BOOST_TEST(b.shape("relu") == "[batch,16,32,32]");
    BOOST_TEST(b.shape("flat") == "[batch,16]");
    BOOST_TEST(b.shape("logits") == "[batch,10]");
    BOOST_TEST(b.shape("probs") == "[batch,10]");
}

BOOST_AUTO_TEST_CASE(symbolic_spatial_dims) {
    Builder b;
    b.input("x", {d(1), d(3), sym("H"), sym("W")}).weight("w", {8, 3, 3, 3});
    b.node("Conv", {"x", "w"}, {"same"}, {ints_attr("pads", {1, 1, 1, 1})});   // keeps H and W
    b.node("Conv", {"x", "w"}, {"strided"}, {ints_attr("strides", {2, 2})});   // unknown arithmetic
    b.infer();
    BOOST_TEST(b.shape("same") == "[1,8,H,W]");
    BOOST_TEST(b.shape("strided") == "[1,8,?,?]");
}

BOOST_AUTO_TEST_CASE(matmul_numpy_rules) {
    Builder b;
    b.input("a4", {d(2), d(1), d(3), d(4)}).input("b3", {d(5), d(4), d(6)});
    b.input("v", {d(4)}).input("m", {d(4), d(6)}).input("t", {sym("batch"), d(3), d(4)});
    // Batch dims [2,1] and [5] broadcast to [2,5]; [3,4] x [4,6] -> [3,6].
    b.node("MatMul", {"a4", "b3"}, {"batched"});
    // A 1-D left operand is a row vector whose 1 is dropped: [4] x [4,6] -> [6].
    b.node("MatMul", {"v", "m"}, {"row"});
    // A 1-D right operand is a column vector: [batch,3,4] x [4] -> [batch,3].
    b.node("MatMul", {"t", "v"}, {"column"});
    b.node("MatMul", {"v", "v"}, {"dot"});
    b.infer();
    BOOST_TEST(b.shape("batched") == "[2,5,3,6]");
    BOOST_TEST(b.shape("row") == "[6]");
    BOOST_TEST(b.shape("column") == "[batch,3]");
    BOOST_TEST(b.shape("dot") == "[]");
}

BOOST_AUTO_TEST_CASE(inconsistent_matmul_names_the_node) {
    Builder b;
    b.input("a", {d(2), d(3)}).input("b", {d(4), d(5)});
    b.node("MatMul", {"a", "b"}, {"c"}, {}, "/encoder/layer.3/attn/MatMul");
    const std::string message = inference_error(b);
    BOOST_TEST(message.find("/encoder/layer.3/attn/MatMul") != std::string::npos);
    BOOST_TEST(message.find("3 vs 4") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(einsum) {
    Builder b;
    b.input("q", {sym("batch"), d(8), d(16), d(64)}).input("k", {sym("batch"), d(8), d(20), d(64)});
    b.input("a", {d(3), d(4)}).input("c", {d(4), d(5)});
    b.node("Einsum", {"q", "k"}, {"scores"}, {string_attr("equation", "bhid,bhjd->bhij")});
    // Implicit output: labels used once, alphabetically: i, k.
    b.node("Einsum", {"a", "c"}, {"implicit"}, {string_attr("equation", "ij,jk")});
    b.node("Einsum", {"q"}, {"ellipsis"}, {string_attr("equation", "...id -> ...di")});
    b.infer();
    BOOST_TEST(b.shape("scores") == "[batch,8,16,20]");
    BOOST_TEST(b.shape("implicit") == "[3,5]");
    BOOST_TEST(b.shape("ellipsis") == "[batch,8,64,16]");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rearranging)

BOOST_AUTO_TEST_CASE(reshape_zero_and_minus_one) {
    Builder b;
    b.input("x", {d(2), d(3), d(4)}).input("h", {sym("batch"), d(12), d(64)}).input("flat", {sym("batch"), d(768)});
    b.ints("keep_first", {0, -1}).ints("heads", {-1, 12, 64}).ints("copy_dim", {0, 12});
    // 0 copies dim 0 (2); -1 takes the rest: 24 / 2 = 12.
    b.node("Reshape", {"x", "keep_first"}, {"r1"});
    // batch cancels on both sides: 12 * 64 = 768.
    b.node("Reshape", {"h", "keep_first"}, {"r2"});
    // batch * 768 elements over 12 * 64 = 768: -1 is batch.
    b.node("Reshape", {"flat", "heads"}, {"r3"});
    // Without allowzero, 0 copies: [2, 12].
    b.node("Reshape", {"x", "copy_dim"}, {"r4"}, {int_attr("allowzero", 0)});
    b.infer();
    BOOST_TEST(b.shape("r1") == "[2,12]");
    BOOST_TEST(b.shape("r2") == "[batch,768]");
    BOOST_TEST(b.shape("r3") == "[batch,12,64]");
    BOOST_TEST(b.shape("r4") == "[2,12]");

    // With allowzero, 0 is a real size: [0, 12] holds 0 elements, not 24.
    Builder bad;
    bad.input("x", {d(2), d(3), d(4)}).ints("zero_dim", {0, 12});
    bad.node("Reshape", {"x", "zero_dim"}, {"y"}, {int_attr("allowzero", 1)}, "bad_reshape");
    BOOST_TEST(inference_error(bad).find("bad_reshape") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(reshape_target_computed_from_shape) {
    // Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), Unsqueeze(Gather(Shape(x), 1)), [12, 64])),
    // as exporters write multi-head attention with dynamic axes.
    Builder b;
    b.input("x", {sym("batch"), sym("seq"), d(768)});
    b.ints("zero", {0}).ints("one", {1}).ints("axes0", {0}).ints("head_dims", {12, 64});
    b.g.weights.back().dims = {2};
    b.node("Shape", {"x"}, {"shape"});
    b.node("Gather", {"shape", "zero_scalar"}, {"b"});
    b.node("Gather", {"shape", "one_scalar"}, {"s"});
    b.constant<int64_t>("zero_scalar", {0}, DType::Int64, {});
    b.constant<int64_t>("one_scalar", {1}, DType::Int64, {});
    b.node("Unsqueeze", {"b", "axes0"}, {"b1"});
    b.node("Unsqueeze", {"s", "axes0"}, {"s1"});
    b.node("Concat", {"b1", "s1", "head_dims"}, {"target"}, {int_attr("axis", 0)});
    b.node("Reshape", {"x", "target"}, {"heads"});
    b.infer();
    BOOST_TEST(b.shape("b") == "[]");
    BOOST_TEST(b.shape("target") == "[4]");
    BOOST_TEST(b.shape("heads") == "[batch,seq,12,64]");
}

BOOST_AUTO_TEST_CASE(transpose_flatten_expand_tile) {
    Builder b;
    b.input("x", {d(2), d(3), d(4)}).input("col", {d(3), d(1)});
    b.ints("to", {2, 1, 6}).ints("repeats", {1, 2, 3});
    b.node("Transpose", {"x"}, {"reversed"});
    b.node("Transpose", {"x"}, {"permuted"}, {ints_attr("perm", {1, 0, 2})});
    b.node("Flatten", {"x"}, {"flat0"}, {int_attr("axis", 0)});
    b.node("Flatten", {"x"}, {"flat2"}, {int_attr("axis", -1)});
    b.node("Expand", {"col", "to"}, {"expanded"});   // [3,1] with [2,1,6] -> [2,3,6]
    b.node("Tile", {"x", "repeats"}, {"tiled"});
    b.infer();
    BOOST_TEST(b.shape("reversed") == "[4,3,2]");
    BOOST_TEST(b.shape("permuted") == "[3,2,4]");
    BOOST_TEST(b.shape("flat0") == "[1,24]");
    BOOST_TEST(b.shape("flat2") == "[6,4]");
    BOOST_TEST(b.shape("expanded") == "[2,3,6]");
    BOOST_TEST(b.shape("tiled") == "[2,6,12]");
}

BOOST_AUTO_TEST_CASE(squeeze_attribute_before_opset_13_and_input_after) {
    Builder b;
    b.input("x", {d(1), d(3), d(1), d(5)});
    b.ints("axes", {-2});
    b.node("Squeeze", {"x"}, {"by_attribute"}, {ints_attr("axes", {0, 2})});   // opset 11
    b.node("Squeeze", {"x", "axes"}, {"by_input"});                            // opset 13
    b.node("Squeeze", {"x"}, {"all_ones"});
    b.node("Unsqueeze", {"by_attribute"}, {"unsqueezed11"}, {ints_attr("axes", {0, -1})});
    b.node("Unsqueeze", {"by_attribute", "axes"}, {"unsqueezed13"});
    b.infer();
    BOOST_TEST(b.shape("by_attribute") == "[3,5]");
    BOOST_TEST(b.shape("by_input") == "[1,3,5]");
    BOOST_TEST(b.shape("all_ones") == "[3,5]");
    BOOST_TEST(b.shape("unsqueezed11") == "[1,3,5,1]");   // axes index the rank-4 output
    BOOST_TEST(b.shape("unsqueezed13") == "[3,1,5]");

    Builder bad;
    bad.input("x", {d(2), d(3)});
    bad.node("Squeeze", {"x"}, {"y"}, {ints_attr("axes", {1})}, "squeeze_3");
    BOOST_TEST(inference_error(bad).find("squeeze_3") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(indexing)

BOOST_AUTO_TEST_CASE(slice_with_negative_steps_and_clamping) {
    Builder b;
    b.input("x", {d(10), d(20)});
    b.ints("starts", {-1}).ints("ends", {kInt64Min}).ints("axes", {1}).ints("steps", {-2});
    b.ints("starts2", {8, 2}).ints("ends2", {2, 1000}).ints("steps2", {-3, 5});
    // Axis 1: start -1 -> 19, end INT64_MIN clamps to -1: ceil((19 - (-1)) / 2) = 10.
    b.node("Slice", {"x", "starts", "ends", "axes", "steps"}, {"reversed"});
    // Axis 0: 8 down to 2 by 3 takes 8, 5: 2. Axis 1: end 1000 clamps to 20: ceil(18 / 5) = 4.
    b.node("Slice", {"x", "starts2", "ends2", "", "steps2"}, {"mixed"});
    // Opset 1-9 form: attributes; starts beyond the end give an empty axis.
    b.node("Slice", {"x"}, {"old"}, {ints_attr("starts", {30}), ints_attr("ends", {40}), ints_attr("axes", {0})});
    b.infer();
    BOOST_TEST(b.shape("reversed") == "[10,10]");
    BOOST_TEST(b.shape("mixed") == "[2,4]");
    BOOST_TEST(b.shape("old") == "[0,20]");
}

BOOST_AUTO_TEST_CASE(slice_of_unknown_dims) {
    Builder b;
    b.input("x", {sym("batch"), sym("seq"), d(8)});
    b.ints("starts", {0, 1}).ints("ends", {kInt64Max, kInt64Max}).ints("axes", {0, 1});
    // The whole of batch survives; seq minus its first element is unknown.
    b.node("Slice", {"x", "starts", "ends", "axes"}, {"y"});
    b.infer();
    BOOST_TEST(b.shape("y") == "[batch,?,8]");
}

BOOST_AUTO_TEST_CASE(concat_split_gather) {
    Builder b;
    b.input("a", {sym("batch"), d(3), d(8)}).input("c", {sym("batch"), d(5), d(8)});
    b.input("idx", {d(2), d(7)}, DType::Int64);
    b.ints("sizes", {2, 6});
    b.node("Concat", {"a", "c"}, {"joined"}, {int_attr("axis", 1)});
    b.node("Split", {"joined"}, {"h0", "h1"}, {int_attr("axis", 1)});                        // equal halves
    b.node("Split", {"joined", "sizes"}, {"p0", "p1"}, {int_attr("axis", -2)});              // opset 13 input
    b.node("Split", {"joined"}, {"q0", "q1"}, {int_attr("axis", 1), ints_attr("split", {5, 3})});  // opset 11 attr
    b.node("Split", {"a"}, {"r0", "r1"}, {int_attr("axis", 2), int_attr("num_outputs", 2)});
    // Gather axis 1: [batch] + [2,7] + [8].
    b.node("Gather", {"joined", "idx"}, {"gathered"}, {int_attr("axis", 1)});
    b.infer();
    BOOST_TEST(b.shape("joined") == "[batch,8,8]");
    BOOST_TEST(b.shape("h0") == "[batch,4,8]");
    BOOST_TEST(b.shape("h1") == "[batch,4,8]");
    BOOST_TEST(b.shape("p0") == "[batch,2,8]");
    BOOST_TEST(b.shape("p1") == "[batch,6,8]");
    BOOST_TEST(b.shape("q0") == "[batch,5,8]");
    BOOST_TEST(b.shape("q1") == "[batch,3,8]");
    BOOST_TEST(b.shape("r1") == "[batch,3,4]");
    BOOST_TEST(b.shape("gathered") == "[batch,2,7,8]");
}

BOOST_AUTO_TEST_CASE(pad_and_generators) {
    Builder b;
    b.input("x", {d(1), d(3), d(10), d(10)});
    b.ints("pads", {0, 0, 1, 2, 0, 0, 3, 4}).ints("out_shape", {2, 5});
    b.constant<int64_t>("start", {0}, DType::Int64, {}).constant<int64_t>("limit", {10}, DType::Int64, {});
    b.constant<int64_t>("delta", {3}, DType::Int64, {});
    b.node("Pad", {"x", "pads"}, {"padded"});                                          // 10+1+3, 10+2+4
    b.node("Pad", {"x"}, {"padded_old"}, {ints_attr("pads", {0, 0, 1, 1, 0, 0, 1, 1})});  // opset < 11
    b.node("ConstantOfShape", {"out_shape"}, {"filled"});
    b.node("Range", {"start", "limit", "delta"}, {"range"});                           // 0,3,6,9
    b.node("Shape", {"x"}, {"tail"}, {int_attr("start", -2)});
    b.node("Size", {"x"}, {"size"});
    b.infer();
    BOOST_TEST(b.shape("padded") == "[1,3,14,16]");
    BOOST_TEST(b.shape("padded_old") == "[1,3,12,12]");
    BOOST_TEST(b.shape("filled") == "[2,5]");
    BOOST_TEST(b.dtype("filled") == "float32");
    BOOST_TEST(b.shape("range") == "[4]");
    BOOST_TEST(b.shape("tail") == "[2]");
    BOOST_TEST(b.shape("size") == "[]");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(reductions)

BOOST_AUTO_TEST_CASE(reduce_axes_keepdims_and_noop) {
    Builder b;
    b.input("x", {sym("batch"), d(4), d(6)});
    b.ints("axes", {-1}).ints("no_axes", {});
    b.node("ReduceMean", {"x"}, {"kept"}, {ints_attr("axes", {1})});                     // attr, keepdims 1
    b.node("ReduceSum", {"x", "axes"}, {"dropped"}, {int_attr("keepdims", 0)});          // input (opset 13)
    b.node("ReduceMax", {"x"}, {"all"}, {int_attr("keepdims", 0)});                      // no axes: all
    b.node("ReduceSum", {"x", "no_axes"}, {"noop"}, {int_attr("noop_with_empty_axes", 1)});
    b.infer();
    BOOST_TEST(b.shape("kept") == "[batch,1,6]");
    BOOST_TEST(b.shape("dropped") == "[batch,4]");
    BOOST_TEST(b.shape("all") == "[]");
    BOOST_TEST(b.shape("noop") == "[batch,4,6]");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(graph_walk)

BOOST_AUTO_TEST_CASE(op_without_rule_leaves_downstream_unknown) {
    Builder b;
    b.input("x", {d(1), d(8)});
    b.node("Relu", {"x"}, {"a"});
    b.node("MysteryOp", {"a"}, {"b"});
    b.node("Relu", {"b"}, {"c"});
    b.node("Sigmoid", {"c"}, {"e"});
    b.output("e");
    const auto stats = b.infer();
    BOOST_TEST(b.shape("a") == "[1,8]");
    BOOST_TEST(b.shape("b") == "?");
    BOOST_TEST(b.shape("c") == "?");
    BOOST_TEST(b.shape("e") == "?");
    BOOST_TEST(stats.inferred == 1u);
    BOOST_TEST(stats.still_unknown == 3u);
    BOOST_TEST(stats.ops_without_rule == std::vector<std::string>{"MysteryOp"});
}

BOOST_AUTO_TEST_CASE(custom_domains_have_no_rules) {
    Builder b;
    b.input("x", {d(1), d(8)});
    b.node("Relu", {"x"}, {"y"});
    b.g.nodes.back().domain = "com.microsoft";
    const auto stats = b.infer();
    BOOST_TEST(b.shape("y") == "?");
    BOOST_TEST(stats.ops_without_rule == std::vector<std::string>{"com.microsoft:Relu"});
}

BOOST_AUTO_TEST_CASE(symbolic_dims_are_refined_known_ones_never_overwritten_and_order_does_not_matter) {
    Builder b;
    b.input("x", {d(2), d(3)});
    // Listed consumer first: the walk is topological, not file order.
    b.node("Relu", {"mid"}, {"out"});
    b.node("Abs", {"x"}, {"mid"});
    b.node("Sigmoid", {"x"}, {"declared"});
    // What an importer may leave: a symbol where the size is computable, a contradicting known dim.
    b.g.values[b.g.intern_value("out")].shape = Shape{sym("from_onnx"), d(3)};
    b.g.values[b.g.intern_value("declared")].shape = Shape{d(2), d(5)};
    const auto stats = b.infer();
    BOOST_TEST(b.shape("mid") == "[2,3]");
    BOOST_TEST(b.shape("out") == "[2,3]");   // Relu of a [2,3] is [2,3], whatever the symbol said
    BOOST_TEST(b.dtype("out") == "float32");   // a missing dtype is still filled
    BOOST_TEST(b.shape("declared") == "[2,5]");   // kept, and reported
    BOOST_TEST_REQUIRE(stats.notes.size() == 1u);
    BOOST_TEST(stats.notes[0].find("'declared' is [2,5] in the model; the engine computes [2,3]") != std::string::npos);
    BOOST_TEST(stats.inferred == 2u);   // mid filled in, out refined
}

BOOST_AUTO_TEST_CASE(subgraphs) {
    // If(cond) then: Relu(x) else: Abs(x), both reading x from the enclosing graph.
    Builder outer;
    outer.input("x", {sym("batch"), d(4)}).input("cond", {}, DType::Bool);
    auto then_branch = std::make_shared<Graph>();
    auto else_branch = std::make_shared<Graph>();
    for (auto [branch, op] : {std::pair{then_branch.get(), "Relu"}, std::pair{else_branch.get(), "Abs"}}) {
        branch->name = op;
        branch->parent = &outer.g;
        Node n;
        n.op_type = op;
        n.inputs = {branch->intern_value("x")};
        n.outputs = {branch->intern_value(std::string(op) + "_out")};
        branch->nodes.push_back(n);
        branch->outputs = n.outputs;
        branch->link();
    }
    outer.node("If", {"cond"}, {"picked"}, {graph_attr("then_branch", then_branch), graph_attr("else_branch", else_branch)});
    const auto stats = outer.infer();
    BOOST_TEST(outer.shape("picked") == "[batch,4]");
    BOOST_TEST(shape_to_string(then_branch->values[then_branch->outputs[0]].shape) == "[batch,4]");
    BOOST_TEST(stats.inferred == 3u);
}

BOOST_AUTO_TEST_CASE(loop_scan_outputs_gain_the_trip_count) {
    Builder outer;
    outer.input("state", {d(4)});
    outer.constant<int64_t>("trips", {5}, DType::Int64, {});
    Builder body;
    body.input("i", {}, DType::Int64).input("cond_in", {}, DType::Bool);
    body.g.inputs.push_back(body.g.intern_value("carried"));   // untyped: seeded from the Loop
    body.g.values.back().is_graph_input = true;
    body.node("Identity", {"cond_in"}, {"cond_out"});
    body.node("Add", {"carried", "carried"}, {"next"});
    body.node("Mul", {"carried", "carried"}, {"scanned"});
    body.output("cond_out").output("next").output("scanned");
    auto body_graph = std::make_shared<Graph>(std::move(body.g));
    body_graph->parent = &outer.g;
    body_graph->link();
    outer.node("Loop", {"trips", "", "state"}, {"final", "stacked"}, {graph_attr("body", body_graph)});
    outer.infer();
    BOOST_TEST(outer.shape("final") == "[4]");
    BOOST_TEST(outer.shape("stacked") == "[5,4]");
}

BOOST_AUTO_TEST_CASE(dim_overrides) {
    Builder b;
    b.input("x", {sym("batch"), d(3)});
    b.node("Relu", {"x"}, {"y"});
    b.infer();
    auto sub = std::make_shared<Graph>();
    sub->values.push_back(Value{});
    sub->values[0].shape = Shape{sym("batch"), sym("seq")};
    b.g.nodes[0].attributes.push_back(graph_attr("body", sub));

    const auto unmatched = apply_dim_overrides(b.g, {{"batch", 4}, {"nonexistent", 7}});
    BOOST_TEST(unmatched == std::vector<std::string>{"nonexistent"});
    BOOST_TEST(b.shape("x") == "[4,3]");
    BOOST_TEST(b.shape("y") == "[4,3]");
    BOOST_TEST(shape_to_string(sub->values[0].shape) == "[4,seq]");
    BOOST_CHECK_THROW(apply_dim_overrides(b.g, {{"seq", -1}}), UsageError);
}

BOOST_AUTO_TEST_CASE(overflowing_dims_are_an_input_error) {
    Builder b;
    b.input("x", {d(int64_t{1} << 62), d(8)});
    b.node("Flatten", {"x"}, {"y"}, {int_attr("axis", 2)}, "flatten_huge");
    BOOST_TEST(inference_error(b).find("overflows") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
