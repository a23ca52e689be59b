// The analyzer: params attribution, totals, flags, histogram, execution order and subgraphs,
// against hand calculations.
#define BOOST_TEST_MODULE analyzer
#include <boost/test/unit_test.hpp>

#include "analysis_test_graphs.hpp"
#include "core/errors.hpp"

#include <string>

using namespace winglet;
using namespace winglet::test;

namespace {

bool has_warning(const Report& r, const std::string& text) {
    for (const std::string& w : r.warnings)
        if (w.find(text) != std::string::npos) return true;
    return false;
}

// Sum over ops of value * multiplier, as the totals must be.
uint64_t weighted(const Report& r, uint64_t OpReport::*field) {
    uint64_t sum = 0;
    for (const OpReport& op : r.ops) sum += op.*field * static_cast<uint64_t>(op.multiplier);
    return sum;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(weights)

// W [16,4] read by two MatMuls: 64 params and 256 bytes, all on the first reader.
BOOST_AUTO_TEST_CASE(shared_weight_counted_once) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("x1", shape({1, 16})).input("x2", shape({1, 16})).weight("w", {16, 4});
        g.node("MatMul", "mm1", {"x1", "w"}, {"y1"});
        g.node("MatMul", "mm2", {"x2", "w"}, {"y2"});
    });
    BOOST_TEST(op_named(r, "mm1").params == 64u);
    BOOST_TEST(op_named(r, "mm1").weight_bytes == 256u);
    BOOST_TEST(op_named(r, "mm2").params == 0u);
    BOOST_TEST(op_named(r, "mm2").weight_bytes == 0u);
    BOOST_TEST(r.totals.params == 64u);
    BOOST_TEST(r.totals.weight_bytes == 256u);
    // Weights are not activations: each MatMul reads 64 B of x.
    BOOST_TEST(op_named(r, "mm2").input_bytes == 64u);
}

// A Constant node's [4,4] float tensor is a weight: 16 params on its reader, no activation bytes.
BOOST_AUTO_TEST_CASE(constant_node_tensor_is_a_parameter) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("x", shape({4, 4}));
        g.constant("k", "k_out", {4, 4});
        g.node("Add", "add", {"x", "k_out"}, {"y"});
        g.value("y", shape({4, 4}));
    });
    BOOST_TEST(op_named(r, "k").params == 0u);
    BOOST_TEST(op_named(r, "k").output_bytes == 0u);
    BOOST_TEST(op_named(r, "add").params == 16u);
    BOOST_TEST(op_named(r, "add").input_bytes == 64u);
    BOOST_TEST(r.totals.params == 16u);
}

// Reshape's int64 shape tensor [2] is index data: 0 params, but its 16 bytes are model storage.
BOOST_AUTO_TEST_CASE(index_tensors_are_not_parameters) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("x", shape({2, 8})).weight("target", {2}, DType::Int64);
        g.node("Reshape", "reshape", {"x", "target"}, {"y"});
        g.value("y", shape({4, 4}));
    });
    BOOST_TEST(r.totals.params == 0u);
    BOOST_TEST(r.totals.weight_bytes == 16u);
    BOOST_TEST(op_named(r, "reshape").cost_rule == "data_movement");
}

// BatchNormalization over 16 channels: scale and B are 32 learned parameters; the running
// mean and variance are statistics (PyTorch buffers): not params, but their bytes are stored:
// 4 tensors * 16 * 4 B = 256 B.
BOOST_AUTO_TEST_CASE(batch_norm_statistics_are_not_parameters) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("x", shape({1, 16, 8, 8}));
        g.weight("scale", {16}).weight("b", {16}).weight("mean", {16}).weight("var", {16});
        g.node("BatchNormalization", "bn", {"x", "scale", "b", "mean", "var"}, {"y"});
        g.value("y", shape({1, 16, 8, 8}));
    });
    BOOST_TEST(r.totals.params == 32u);
    BOOST_TEST(r.totals.weight_bytes == 256u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(flags)

// X [batch, 8] -> Relu: batch taken as 1, so 8 FLOPs; the op and the report say so.
BOOST_AUTO_TEST_CASE(unknown_dim_taken_as_one) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("x", Shape{Dim::named("batch"), Dim::of(8)});
        g.node("Relu", "relu", {"x"}, {"y"});
        g.value("y", Shape{Dim::named("batch"), Dim::of(8)});
    });
    const OpReport& op = op_named(r, "relu");
    BOOST_TEST(op.flops == 8u);
    BOOST_TEST(op.assumed_dims);
    BOOST_TEST(r.assumed_dims == std::vector<std::string>{"batch"},
               boost::test_tools::per_element());
    BOOST_TEST(has_warning(r, "batch"));
}

// An op of an unknown domain has no rule: reported as such, never a silent zero; its bytes
// are still counted.
BOOST_AUTO_TEST_CASE(op_without_rule_is_flagged) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("x", shape({2, 4}));
        g.node("Mystery", "m", {"x"}, {"y"}, {}, "my.domain");
        g.value("y", shape({2, 4}));
    });
    const OpReport& op = op_named(r, "m");
    BOOST_TEST(!op.has_cost_rule);
    BOOST_TEST(op.cost_rule == "none");
    BOOST_TEST(op.input_bytes == 32u);
    BOOST_TEST(r.totals.ops_without_cost_rule == 1u);
    BOOST_TEST(has_warning(r, "my.domain.Mystery x1"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(schedule)

// Nodes stored out of order are reported in execution order; the histogram is most frequent
// first, ties by name; scopes come from node names.
BOOST_AUTO_TEST_CASE(order_histogram_scopes) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("x", shape({1, 4}));
        g.node("Add", "/head/Add", {"r2", "x"}, {"y"});
        g.node("Relu", "/body/layer.0/Relu", {"x"}, {"r1"});
        g.node("Relu", "/body/layer.1/Relu", {"r1"}, {"r2"});
        g.node("Sigmoid", "/tail/Sigmoid", {"y"}, {"z"});
        for (const char* v : {"r1", "r2", "y", "z"}) g.value(v, shape({1, 4}));
    });
    BOOST_TEST_REQUIRE(r.ops.size() == 4u);
    BOOST_TEST(r.ops[0].name == "/body/layer.0/Relu");
    BOOST_TEST(r.ops[1].name == "/body/layer.1/Relu");
    BOOST_TEST(r.ops[2].name == "/head/Add");
    BOOST_TEST(r.ops[3].name == "/tail/Sigmoid");
    BOOST_TEST(r.ops[1].scope == "/body/layer.1");
    BOOST_TEST_REQUIRE(r.op_types.size() == 3u);
    BOOST_TEST(r.op_types[0].first == "Relu");
    BOOST_TEST(r.op_types[0].second == 2u);
    BOOST_TEST(r.op_types[1].first == "Add");
    BOOST_TEST(r.op_types[2].first == "Sigmoid");
    // 4 (relu) + 4 (relu) + 4 (add) + 16 (sigmoid: 4 per element).
    BOOST_TEST(r.totals.flops == 28u);
    BOOST_TEST(r.totals.op_count == 4u);
}

BOOST_AUTO_TEST_CASE(cycle_is_input_error) {
    auto build = [](GraphBuilder& g) {
        g.input("x", shape({1}));
        g.node("Add", "a", {"x", "b_out"}, {"a_out"});
        g.node("Relu", "b", {"a_out"}, {"b_out"});
    };
    BOOST_CHECK_THROW(analyze_graph(build), InputError);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(subgraphs)

// A subgraph whose nodes read "x" and "w" of the enclosing graph.
std::shared_ptr<Graph> branch(Graph& parent, const std::string& op_type, const std::string& out) {
    auto sub = std::make_shared<Graph>();
    sub->parent = &parent;
    GraphBuilder b(*sub);
    if (op_type == "MatMul")
        b.node("MatMul", "mm", {"x", "w"}, {out});
    else
        b.node(op_type, "act", {"x"}, {out});
    b.value(out, shape({1, 16})).output(out);
    b.link();
    return sub;
}

// If: then = MatMul x [1,16] by w [16,16] (256 MACs, 512 FLOPs), else = Relu (16 FLOPs).
// Both listed under "/blk/If/<branch>"; totals count then_branch only; w's 256 params once.
BOOST_AUTO_TEST_CASE(if_counts_the_costlier_branch) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("cond", shape({}), DType::Bool).input("x", shape({1, 16})).weight("w", {16, 16});
        g.node("If", "/blk/If", {"cond"}, {"y"},
               {graph_attr("then_branch", branch(g.graph(), "MatMul", "y_then")),
                graph_attr("else_branch", branch(g.graph(), "Relu", "y_else"))});
        g.value("y", shape({1, 16})).output("y");
    });
    BOOST_TEST_REQUIRE(r.ops.size() == 3u);
    const OpReport& mm = op_named(r, "mm");
    const OpReport& act = op_named(r, "act");
    BOOST_TEST(r.ops[0].name == "/blk/If");
    BOOST_TEST(mm.scope == "/blk/If/then_branch");
    BOOST_TEST(act.scope == "/blk/If/else_branch");
    BOOST_TEST(mm.in_subgraph);
    BOOST_TEST(mm.multiplier == 1.0);
    BOOST_TEST(act.multiplier == 0.0);
    BOOST_TEST(mm.params == 256u);
    BOOST_TEST(r.totals.macs == 256u);
    BOOST_TEST(r.totals.flops == 512u);
    BOOST_TEST(r.totals.params == 256u);
    BOOST_TEST(has_warning(r, "costlier branch 'then_branch'"));
}

// A Loop body: MatMul of the carried x [1,16] by the outer w [16,16] = 256 MACs per iteration.
std::shared_ptr<Graph> loop_body(Graph& parent) {
    auto body = std::make_shared<Graph>();
    body->parent = &parent;
    GraphBuilder b(*body);
    b.input("i", shape({}), DType::Int64)
        .input("cond_in", shape({}), DType::Bool)
        .input("x_in", shape({1, 16}));
    b.node("MatMul", "step", {"x_in", "w"}, {"x_out"});
    b.node("Identity", "keep_going", {"cond_in"}, {"cond_out"});
    b.value("x_out", shape({1, 16})).value("cond_out", shape({}), DType::Bool);
    b.output("cond_out").output("x_out");
    b.link();
    return body;
}

// Trip count M = 5 (a constant): the body runs 5 times: 5 * 256 = 1,280 MACs; w counted once.
BOOST_AUTO_TEST_CASE(loop_with_constant_trip_count) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("x", shape({1, 16})).weight("w", {16, 16}).scalar_i64("m", 5);
        g.node("Loop", "loop", {"m", "", "x"}, {"x_final"},
               {graph_attr("body", loop_body(g.graph()))});
        g.value("x_final", shape({1, 16})).output("x_final");
    });
    const OpReport& step = op_named(r, "step");
    BOOST_TEST(step.multiplier == 5.0);
    BOOST_TEST(step.macs == 256u);
    BOOST_TEST(step.scope == "loop/body");
    BOOST_TEST(r.totals.macs == 1'280u);
    BOOST_TEST(r.totals.macs == weighted(r, &OpReport::macs));
    BOOST_TEST(r.totals.flops == weighted(r, &OpReport::flops));
    BOOST_TEST(r.totals.params == 256u);
}

// A trip count that is a graph input is unknown: the body counts once, with a warning.
BOOST_AUTO_TEST_CASE(loop_with_dynamic_trip_count) {
    const Report r = analyze_graph([](GraphBuilder& g) {
        g.input("m", shape({}), DType::Int64).input("x", shape({1, 16})).weight("w", {16, 16});
        g.node("Loop", "loop", {"m", "", "x"}, {"x_final"},
               {graph_attr("body", loop_body(g.graph()))});
        g.value("x_final", shape({1, 16})).output("x_final");
    });
    BOOST_TEST(op_named(r, "step").multiplier == 1.0);
    BOOST_TEST(r.totals.macs == 256u);
    BOOST_TEST(has_warning(r, "trip count is not known from constants or the inputs"));
}

BOOST_AUTO_TEST_SUITE_END()
