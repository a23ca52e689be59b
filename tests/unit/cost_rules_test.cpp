// Cost rules against hand calculations. Every expected number is worked out in the comment
// above it from the op's definition, not from the rule's code.
#define BOOST_TEST_MODULE cost_rules
#include <boost/test/unit_test.hpp>

#include "analysis/cost_rules.hpp"
#include "analysis_test_graphs.hpp"
#include "core/errors.hpp"

#include <string>

using namespace winglet;
using namespace winglet::test;

namespace {

constexpr int64_t k2pow31 = int64_t{1} << 31;
constexpr int64_t k2pow62 = int64_t{1} << 62;

// Graph inputs in0, in1, ... with the given shapes; returns their names.
std::vector<std::string> add_inputs(GraphBuilder& g, const std::vector<Shape>& shapes) {
    std::vector<std::string> names;
    for (size_t i = 0; i < shapes.size(); ++i) {
        names.push_back("in" + std::to_string(i));
        g.input(names.back(), shapes[i]);
    }
    return names;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(registry)

BOOST_AUTO_TEST_CASE(default_domain_has_two_spellings) {
    BOOST_TEST(analysis::find_cost_rule("", "Conv") != nullptr);
    BOOST_TEST(analysis::find_cost_rule("ai.onnx", "Conv") == analysis::find_cost_rule("", "Conv"));
    BOOST_TEST(analysis::find_cost_rule("com.microsoft", "FusedConv") != nullptr);
    BOOST_TEST(analysis::find_cost_rule("", "NoSuchOp") == nullptr);
    BOOST_TEST(analysis::find_cost_rule("my.domain", "Conv") == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(conv)

// X [1,8,32,32], W [16,2,3,3], group 4, dilation 2, stride 2, pads 2, bias [16].
// Effective kernel (3-1)*2+1 = 5; out = floor((32 + 2 + 2 - 5) / 2) + 1 = 16 -> Y [1,16,16,16].
// MACs = 16*16*16 outputs * (8/4 = 2 channels * 3*3) = 4096 * 18 = 73,728.
// FLOPs = 2 * 73,728 + 4096 bias adds = 151,552.
// Params = 16*2*3*3 + 16 = 304 (1216 bytes); input 8*32*32*4 = 32,768 B; output 4096*4 = 16,384 B.
BOOST_AUTO_TEST_CASE(grouped_dilated_strided_padded) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("x", shape({1, 8, 32, 32})).weight("w", {16, 2, 3, 3}).weight("b", {16});
        g.node("Conv", "conv", {"x", "w", "b"}, {"y"},
               {int_attr("group", 4), ints_attr("dilations", {2, 2}), ints_attr("strides", {2, 2}),
                ints_attr("pads", {2, 2, 2, 2})});
        g.value("y", shape({1, 16, 16, 16})).output("y");
    });
    const OpReport& op = op_named(r, "conv");
    BOOST_TEST(op.cost_rule == "conv");
    BOOST_TEST(op.macs == 73'728u);
    BOOST_TEST(op.flops == 151'552u);
    BOOST_TEST(op.params == 304u);
    BOOST_TEST(op.weight_bytes == 1216u);
    BOOST_TEST(op.input_bytes == 32'768u);
    BOOST_TEST(op.output_bytes == 16'384u);
    BOOST_TEST(!op.assumed_dims);
}

// Output dims come from the IR (shape inference): unknown ones are taken as 1 and flagged, and
// the symbols are reported. Y [1,c,h,w] -> 1 "output" * 18 = 18 MACs.
BOOST_AUTO_TEST_CASE(unknown_output_dims_are_flagged) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("x", shape({1, 8, 32, 32})).weight("w", {16, 2, 3, 3});
        g.node("Conv", "conv", {"x", "w"}, {"y"}, {int_attr("group", 4)});
        g.value("y", Shape{Dim::of(1), Dim::named("c"), Dim::named("h"), Dim::named("w")});
    });
    const OpReport& op = op_named(r, "conv");
    BOOST_TEST(op.macs == 18u);
    BOOST_TEST(op.assumed_dims);
    BOOST_TEST(r.assumed_dims == (std::vector<std::string>{"c", "h", "w"}),
               boost::test_tools::per_element());
}

// Conv1d: X [2,3,20], W [6,3,5], stride 3, bias [6]: out = floor((20-5)/3)+1 = 6 -> [2,6,6].
// MACs = 2*6*6 = 72 outputs * 3*5 = 1,080; FLOPs = 2,160 + 72 = 2,232.
BOOST_AUTO_TEST_CASE(conv1d) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("x", shape({2, 3, 20})).weight("w", {6, 3, 5}).weight("b", {6});
        g.node("Conv", "conv", {"x", "w", "b"}, {"y"}, {ints_attr("strides", {3})});
        g.value("y", shape({2, 6, 6}));
    });
    BOOST_TEST(op_named(r, "conv").macs == 1'080u);
    BOOST_TEST(op_named(r, "conv").flops == 2'232u);
}

// Conv3d: X [1,2,8,8,8], W [4,2,3,3,3], pads 1 -> [1,4,8,8,8] = 2,048 outputs.
// MACs = 2,048 * 2*27 = 110,592.
BOOST_AUTO_TEST_CASE(conv3d) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("x", shape({1, 2, 8, 8, 8})).weight("w", {4, 2, 3, 3, 3});
        g.node("Conv", "conv", {"x", "w"}, {"y"}, {ints_attr("pads", {1, 1, 1, 1, 1, 1})});
        g.value("y", shape({1, 4, 8, 8, 8}));
    });
    BOOST_TEST(op_named(r, "conv").macs == 110'592u);
    BOOST_TEST(op_named(r, "conv").flops == 221'184u);
}

// auto_pad SAME_UPPER, stride 2: X [1,3,15,15] -> ceil(15/2) = 8 -> [1,8,8,8] = 512 outputs.
// MACs = 512 * 3*3*3 = 13,824.
BOOST_AUTO_TEST_CASE(auto_pad_same) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("x", shape({1, 3, 15, 15})).weight("w", {8, 3, 3, 3});
        g.node("Conv", "conv", {"x", "w"}, {"y"},
               {string_attr("auto_pad", "SAME_UPPER"), ints_attr("strides", {2, 2})});
        g.value("y", shape({1, 8, 8, 8}));
    });
    BOOST_TEST(op_named(r, "conv").macs == 13'824u);
}

// ConvTranspose X [1,4,8,8], W [4,2,3,3] (C=4 -> M=2), stride 2, pads 1, output_padding 1:
// out = 2*(8-1) + 1 + 3 - 2 = 16 -> [1,2,16,16] = 512 outputs.
// MACs = 256 inputs * (2*3*3) = 4,608; FLOPs = 9,216 + 512 bias = 9,728.
// Grouped (group 2, W [4,1,3,3], M = 2): MACs = 256 * 9 = 2,304; FLOPs = 4,608 + 512 = 5,120.
BOOST_AUTO_TEST_CASE(conv_transpose) {
    for (int64_t group : {1, 2}) {
        const Report r = analyze_graph([&](GraphBuilder& g) {
            g.input("x", shape({1, 4, 8, 8})).weight("w", {4, 2 / group, 3, 3}).weight("b", {2});
            g.node("ConvTranspose", "deconv", {"x", "w", "b"}, {"y"},
                   {int_attr("group", group), ints_attr("strides", {2, 2}),
                    ints_attr("pads", {1, 1, 1, 1}), ints_attr("output_padding", {1, 1})});
            g.value("y", shape({1, 2, 16, 16}));
        });
        const OpReport& op = op_named(r, "deconv");
        BOOST_TEST(op.cost_rule == "conv_transpose");
        BOOST_TEST(op.macs == (group == 1 ? 4'608u : 2'304u));
        BOOST_TEST(op.flops == (group == 1 ? 9'728u : 5'120u));
    }
}

// QLinearConv X [1,4,6,6] uint8, W [8,4,1,1] int8, bias [8] int32 -> [1,8,6,6] = 288 outputs.
// MACs = 288 * 4 = 1,152; FLOPs = 2,304 + 288 bias + 3*288 requantization = 3,456.
// Params: W 32 (the int32 bias is index-like data by convention: not counted).
BOOST_AUTO_TEST_CASE(qlinear_conv) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("x", shape({1, 4, 6, 6}), DType::UInt8);
        g.weight("xs", {}).weight("xz", {}, DType::UInt8).weight("w", {8, 4, 1, 1}, DType::Int8);
        g.weight("ws", {})
            .weight("wz", {}, DType::Int8)
            .weight("ys", {})
            .weight("yz", {}, DType::UInt8);
        g.weight("b", {8}, DType::Int32);
        g.node("QLinearConv", "qconv", {"x", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"}, {"y"});
        g.value("y", shape({1, 8, 6, 6}), DType::UInt8);
    });
    const OpReport& op = op_named(r, "qconv");
    BOOST_TEST(op.macs == 1'152u);
    BOOST_TEST(op.flops == 3'456u);
}

// FusedConv (com.microsoft) X [1,3,4,4], W [2,3,1,1], bias, activation Relu -> [1,2,4,4] = 32.
// MACs = 32 * 3 = 96; FLOPs = 192 + 32 bias + 32 Relu = 256.
BOOST_AUTO_TEST_CASE(fused_conv_with_activation) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("x", shape({1, 3, 4, 4})).weight("w", {2, 3, 1, 1}).weight("b", {2});
        g.node("FusedConv", "fconv", {"x", "w", "b"}, {"y"}, {string_attr("activation", "Relu")},
               "com.microsoft");
        g.value("y", shape({1, 2, 4, 4}));
    });
    BOOST_TEST(op_named(r, "fconv").macs == 96u);
    BOOST_TEST(op_named(r, "fconv").flops == 256u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(matmul)

// Gemm A [4,64], B [32,64] with transB, C [32]: M=4, N=32, K=64.
// MACs = 4*32*64 = 8,192; FLOPs = 16,384 + 128 (add C) = 16,512;
// with alpha 0.5 and beta 2: + 128 (alpha) + 128 (beta) = 16,768.
BOOST_AUTO_TEST_CASE(gemm_trans_b) {
    for (bool scaled : {false, true}) {
        const Report r = analyze_graph([&](GraphBuilder& g) {
            g.input("a", shape({4, 64})).weight("b", {32, 64}).weight("c", {32});
            std::vector<Attribute> attrs{int_attr("transB", 1)};
            if (scaled) {
                attrs.push_back(float_attr("alpha", 0.5));
                attrs.push_back(float_attr("beta", 2.0));
            }
            g.node("Gemm", "fc", {"a", "b", "c"}, {"y"}, attrs);
        });
        BOOST_TEST(op_named(r, "fc").macs == 8'192u);
        BOOST_TEST(op_named(r, "fc").flops == (scaled ? 16'768u : 16'512u));
        BOOST_TEST(op_named(r, "fc").params == 32u * 64u + 32u);
    }
}

// [2,1,8,16] x [3,16,4]: batch dims [2,1] and [3] broadcast to [2,3] -> [2,3,8,4].
// MACs = 2*3 * 8*4 * 16 = 3,072.
BOOST_AUTO_TEST_CASE(broadcast_batched) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("a", shape({2, 1, 8, 16})).input("b", shape({3, 16, 4}));
        g.node("MatMul", "mm", {"a", "b"}, {"y"});
    });
    BOOST_TEST(op_named(r, "mm").macs == 3'072u);
    BOOST_TEST(op_named(r, "mm").flops == 6'144u);
}

// numpy 1-D rules: [16] x [16,4] -> [4]: 64 MACs; [2,8,16] x [16] -> [2,8]: 256 MACs;
// [16] x [16] -> scalar: 16 MACs.
BOOST_AUTO_TEST_CASE(one_dimensional_operands) {
    struct Case {
        Shape a, b;
        uint64_t macs;
    };
    for (const Case& c :
         {Case{shape({16}), shape({16, 4}), 64}, Case{shape({2, 8, 16}), shape({16}), 256},
          Case{shape({16}), shape({16}), 16}}) {
        const Report r = analyze_graph([&](GraphBuilder& g) {
            g.input("a", c.a).input("b", c.b);
            g.node("MatMul", "mm", {"a", "b"}, {"y"});
        });
        BOOST_TEST(op_named(r, "mm").macs == c.macs);
    }
}

// MatMul of int8 [2^31, 2^31] by [2^31, 2^31]: each operand is 2^62 bytes (fits), but the
// MACs 2^93 do not: InputError naming the op.
BOOST_AUTO_TEST_CASE(mac_overflow_is_input_error) {
    auto build = [](GraphBuilder& g) {
        g.input("a", shape({k2pow31, k2pow31}), DType::Int8)
            .input("b", shape({k2pow31, k2pow31}), DType::Int8);
        g.node("MatMul", "huge", {"a", "b"}, {"y"});
        g.value("y", shape({k2pow31, k2pow31}), DType::Int8);
    };
    BOOST_CHECK_EXCEPTION(analyze_graph(build), InputError, [](const InputError& e) {
        const std::string what = e.what();
        return what.find("op 'huge' (MatMul)") != std::string::npos &&
               what.find("overflows 64 bits") != std::string::npos &&
               what.find("2147483648") != std::string::npos;
    });
}

// A float32 tensor with a dim of 2^62 has 2^64 bytes: InputError naming op and value.
BOOST_AUTO_TEST_CASE(byte_overflow_is_input_error) {
    auto build = [](GraphBuilder& g) {
        g.input("x", shape({1, k2pow62}));
        g.node("Relu", "relu", {"x"}, {"y"});
        g.value("y", shape({1, k2pow62}));
    };
    BOOST_CHECK_EXCEPTION(analyze_graph(build), InputError, [](const InputError& e) {
        const std::string what = e.what();
        return what.find("op 'relu' (Relu)") != std::string::npos &&
               what.find("'x'") != std::string::npos;
    });
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(einsum)

struct EinsumCase {
    std::string equation;
    std::vector<Shape> operands;
    uint64_t macs;
    uint64_t flops;
};

// "bij,bjk->bik" [2,3,4]x[2,4,5]: b*i*j*k = 2*3*4*5 = 120 MACs.
// "bhid,bhjd->bhij" [2,4,8,16]x[2,4,8,16]: b*h*i*j*d = 2*4*8*8*16 = 8,192 MACs.
// implicit "ij,jk" (-> "ik") [3,4]x[4,5]: 60 MACs.
// "...ij,...jk->...ik" [2,3,4]x[4,5]: broadcast 2 * 3*4*5 = 120 MACs.
// "ij,jk,kl->il" [2,3]x[3,4]x[4,5]: (ij,jk) over {i,j,k} = 24, keeps {i,k};
//   (ik,kl) over {i,k,l} = 40 -> 64 MACs.
// "ij->i" [3,4]: no MACs, 12 - 3 = 9 adds. "ii->i" [3,3] (diagonal): nothing summed, 0.
BOOST_AUTO_TEST_CASE(equations) {
    const EinsumCase cases[] = {
        {"bij,bjk->bik", {shape({2, 3, 4}), shape({2, 4, 5})}, 120, 240},
        {"bhid,bhjd->bhij", {shape({2, 4, 8, 16}), shape({2, 4, 8, 16})}, 8'192, 16'384},
        {"ij,jk", {shape({3, 4}), shape({4, 5})}, 60, 120},
        {"...ij,...jk->...ik", {shape({2, 3, 4}), shape({4, 5})}, 120, 240},
        {"ij,jk,kl->il", {shape({2, 3}), shape({3, 4}), shape({4, 5})}, 64, 128},
        {"ij->i", {shape({3, 4})}, 0, 9},
        {"ii->i", {shape({3, 3})}, 0, 0},
    };
    for (const EinsumCase& c : cases) {
        BOOST_TEST_CONTEXT(c.equation) {
            const Report r = analyze_graph([&](GraphBuilder& g) {
                g.node("Einsum", "e", add_inputs(g, c.operands), {"y"},
                       {string_attr("equation", c.equation)});
            });
            BOOST_TEST(op_named(r, "e").macs == c.macs);
            BOOST_TEST(op_named(r, "e").flops == c.flops);
        }
    }
}

// An equation that does not match its operands is costed 0 and said so.
BOOST_AUTO_TEST_CASE(bad_equation_warns) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("a", shape({2, 3})).input("b", shape({3, 4}));
        g.node("Einsum", "e", {"a", "b"}, {"y"}, {string_attr("equation", "ijk,jk->ik")});
    });
    BOOST_TEST(op_named(r, "e").macs == 0u);
    BOOST_TEST(op_named(r, "e").has_cost_rule);
    bool warned = false;
    for (const std::string& w : r.warnings) warned = warned || w.find("'e'") != std::string::npos;
    BOOST_TEST(warned);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(recurrent)

// LSTM seq 5, batch 2, input 10, hidden 20, forward, no bias:
// MACs = 5*2 * 4 gates * 20 * (10 + 20) = 24,000.
// Cell per hidden unit and step: 3 sigmoid (4 each) + tanh (1) + 3 (c) + tanh (1) + 1 (o*h) = 18.
// FLOPs = 48,000 + 5*2*20*18 = 48,000 + 3,600 = 51,600; with B: + 5*2*20*8 = 1,600 -> 53,200.
BOOST_AUTO_TEST_CASE(lstm) {
    for (bool bias : {false, true}) {
        const Report r = analyze_graph([&](GraphBuilder& g) {
            g.input("x", shape({5, 2, 10})).weight("w", {1, 80, 10}).weight("r", {1, 80, 20});
            g.weight("b", {1, 160});
            if (bias)
                g.node("LSTM", "lstm", {"x", "w", "r", "b"}, {"y"}, {int_attr("hidden_size", 20)});
            else
                g.node("LSTM", "lstm", {"x", "w", "r"}, {"y"}, {int_attr("hidden_size", 20)});
        });
        BOOST_TEST(op_named(r, "lstm").macs == 24'000u);
        BOOST_TEST(op_named(r, "lstm").flops == (bias ? 53'200u : 51'600u));
    }
}

// GRU bidirectional, seq 4, batch 3, input 8, hidden 16, with B:
// MACs = 4*3 * 2 dirs * 3 gates * 16 * (8 + 16) = 27,648.
// Cell: 2 sigmoid (8) + 2 + tanh (1) + 4 = 15, + 6 bias = 21 per direction, 42 for both.
// FLOPs = 55,296 + 4*3*16*42 = 55,296 + 8,064 = 63,360.
BOOST_AUTO_TEST_CASE(gru_bidirectional) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("x", shape({4, 3, 8}))
            .weight("w", {2, 48, 8})
            .weight("r", {2, 48, 16})
            .weight("b", {2, 96});
        g.node("GRU", "gru", {"x", "w", "r", "b"}, {"y"},
               {int_attr("hidden_size", 16), string_attr("direction", "bidirectional")});
    });
    BOOST_TEST(op_named(r, "gru").macs == 27'648u);
    BOOST_TEST(op_named(r, "gru").flops == 63'360u);
}

// RNN with layout 1 (X [batch 2, seq 5, input 10]), hidden 20 (from R), Relu activation:
// MACs = 5*2 * 20 * (10 + 20) = 6,000; FLOPs = 12,000 + 5*2*20*1 = 12,200.
BOOST_AUTO_TEST_CASE(rnn_batch_first) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("x", shape({2, 5, 10})).weight("w", {1, 20, 10}).weight("r", {1, 20, 20});
        g.node("RNN", "rnn", {"x", "w", "r"}, {"y"},
               {int_attr("layout", 1), strings_attr("activations", {"Relu"})});
    });
    BOOST_TEST(op_named(r, "rnn").macs == 6'000u);
    BOOST_TEST(op_named(r, "rnn").flops == 12'200u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(no_mac_ops)

struct FlopCase {
    std::string op_type;
    std::vector<Attribute> attributes;
    std::vector<Shape> inputs;
    Shape output;
    uint64_t flops;
};

BOOST_AUTO_TEST_CASE(per_op_flops) {
    const FlopCase cases[] = {
        // BatchNorm [1,16,8,8]: folded affine, 2 * 1,024.
        {"BatchNormalization",
         {},
         {shape({1, 16, 8, 8}), shape({16}), shape({16}), shape({16}), shape({16})},
         shape({1, 16, 8, 8}),
         2'048},
        // LayerNorm [2,10,64] over the last axis, scale and bias: 1,280 * (5+1+1) + 20 groups * 4.
        {"LayerNormalization",
         {},
         {shape({2, 10, 64}), shape({64}), shape({64})},
         shape({2, 10, 64}),
         9'040},
        // GroupNorm [2,8,4,4], 4 groups: 256 * 7 + 8 groups * 4.
        {"GroupNormalization",
         {int_attr("num_groups", 4)},
         {shape({2, 8, 4, 4}), shape({8}), shape({8})},
         shape({2, 8, 4, 4}),
         1'824},
        // InstanceNorm [2,8,4,4]: 256 * 7 + 16 (N*C) * 4.
        {"InstanceNormalization",
         {},
         {shape({2, 8, 4, 4}), shape({8}), shape({8})},
         shape({2, 8, 4, 4}),
         1'856},
        // LRN over 5 channels on [1,8,4,4]: 128 elements * (5 squares + 4 adds + 4) = 1,664.
        {"LRN", {int_attr("size", 5)}, {shape({1, 8, 4, 4})}, shape({1, 8, 4, 4}), 1'664},
        // MaxPool 2x2 stride 2 on [1,4,8,8] -> 64 outputs * 3 compares.
        {"MaxPool",
         {ints_attr("kernel_shape", {2, 2}), ints_attr("strides", {2, 2})},
         {shape({1, 4, 8, 8})},
         shape({1, 4, 4, 4}),
         192},
        // AveragePool 3x3 stride 1 pad 1 -> 256 outputs * 9 (8 adds + 1 divide).
        {"AveragePool",
         {ints_attr("kernel_shape", {3, 3}), ints_attr("pads", {1, 1, 1, 1})},
         {shape({1, 4, 8, 8})},
         shape({1, 4, 8, 8}),
         2'304},
        // GlobalAveragePool [1,4,8,8] -> 4 outputs * 64 (63 adds + 1 divide).
        {"GlobalAveragePool", {}, {shape({1, 4, 8, 8})}, shape({1, 4, 1, 1}), 256},
        // GlobalMaxPool: 4 * 63 compares.
        {"GlobalMaxPool", {}, {shape({1, 4, 8, 8})}, shape({1, 4, 1, 1}), 252},
        // Softmax [2,10]: exp, add, divide per element.
        {"Softmax", {}, {shape({2, 10})}, shape({2, 10}), 60},
        // ReduceSum [2,10] -> [2,1]: 2 rows * 9 adds. ReduceMean: + 2 divides. ReduceL2: 20 squares
        // + 18 adds + 2 sqrt.
        {"ReduceSum", {}, {shape({2, 10})}, shape({2, 1}), 18},
        {"ReduceMean", {}, {shape({2, 10})}, shape({2, 1}), 20},
        {"ReduceL2", {}, {shape({2, 10})}, shape({2, 1}), 40},
        // Resize [1,3,8,8] -> [1,3,16,16] = 768 outputs; linear over 2 axes: 4 taps, 4 mul + 3 add.
        {"Resize",
         {string_attr("mode", "linear")},
         {shape({1, 3, 8, 8})},
         shape({1, 3, 16, 16}),
         5'376},
        // cubic: 16 taps, 16 mul + 15 add = 31 per output.
        {"Resize",
         {string_attr("mode", "cubic")},
         {shape({1, 3, 8, 8})},
         shape({1, 3, 16, 16}),
         23'808},
        {"Resize",
         {string_attr("mode", "nearest")},
         {shape({1, 3, 8, 8})},
         shape({1, 3, 16, 16}),
         0},
        // Sigmoid [10]: neg, exp, add, div = 4 each.
        {"Sigmoid", {}, {shape({10})}, shape({10}), 40},
        // Gelu tanh form: 9 each; erf form 5 each.
        {"Gelu", {string_attr("approximate", "tanh")}, {shape({10})}, shape({10}), 90},
        {"Gelu", {}, {shape({10})}, shape({10}), 50},
        // Sum of 3 inputs [5]: 2 adds each; Mean: 2 adds + 1 divide.
        {"Sum", {}, {shape({5}), shape({5}), shape({5})}, shape({5}), 10},
        {"Mean", {}, {shape({5}), shape({5}), shape({5})}, shape({5}), 15},
        // Data movement: no arithmetic.
        {"Transpose", {ints_attr("perm", {1, 0})}, {shape({3, 4})}, shape({4, 3}), 0},
        {"Concat", {int_attr("axis", 0)}, {shape({3, 4}), shape({2, 4})}, shape({5, 4}), 0},
    };
    for (const FlopCase& c : cases) {
        BOOST_TEST_CONTEXT(c.op_type) {
            const Report r = analyze_graph([&](GraphBuilder& g) {
                g.node(c.op_type, "op", add_inputs(g, c.inputs), {"out"}, c.attributes);
                g.value("out", c.output);
            });
            const OpReport& op = op_named(r, "op");
            BOOST_TEST(op.has_cost_rule);
            BOOST_TEST(op.macs == 0u);
            BOOST_TEST(op.flops == c.flops);
        }
    }
}

// Elementwise Add with broadcasting, output shape unknown to the IR: [2,3,4] + [4] -> 24 adds.
BOOST_AUTO_TEST_CASE(broadcast_output_derived) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("a", shape({2, 3, 4})).input("b", shape({4}));
        g.node("Add", "add", {"a", "b"}, {"y"});
    });
    BOOST_TEST(op_named(r, "add").flops == 24u);
    BOOST_TEST(op_named(r, "add").cost_rule == "elementwise");
}

// Data movement still moves bytes: Transpose [3,4] float reads 48 B and writes 48 B.
BOOST_AUTO_TEST_CASE(data_movement_has_bytes) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("x", shape({3, 4}));
        g.node("Transpose", "t", {"x"}, {"y"});
        g.value("y", shape({4, 3}));
    });
    const OpReport& op = op_named(r, "t");
    BOOST_TEST(op.cost_rule == "data_movement");
    BOOST_TEST(op.input_bytes == 48u);
    BOOST_TEST(op.output_bytes == 48u);
}

BOOST_AUTO_TEST_SUITE_END()
