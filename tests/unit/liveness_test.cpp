// Liveness and peak activation memory against hand-computed schedules.
#define BOOST_TEST_MODULE liveness
#include <boost/test/unit_test.hpp>

#include "analysis/liveness.hpp"
#include "analysis_test_graphs.hpp"
#include "graph/topology.hpp"

using namespace winglet;
using namespace winglet::test;
using winglet::analysis::LiveInterval;

namespace {

const LiveInterval& interval_of(const Graph& g, const std::vector<LiveInterval>& intervals,
                                const std::string& name) {
    const int v = *g.find_value(name);
    for (const LiveInterval& iv : intervals)
        if (iv.value == v) return iv;
    throw std::runtime_error("no interval for " + name);
}

// A diamond with a big side branch, all float32:
//   a = Relu(x)       x [1000] 4,000 B (input)  -> A [1000]   4,000 B
//   b = Relu(A)                                 -> B [1000]   4,000 B (graph output)
//   c = Tile(x, reps)                           -> C [4,1000] 16,000 B
//   d = ReduceSum(C)                            -> D [1]      4 B (graph output)
void build_diamond(GraphBuilder& g) {
    g.input("x", shape({1000})).weight("reps", {1}, DType::Int64);
    g.node("Relu", "a", {"x"}, {"A"});
    g.node("Relu", "b", {"A"}, {"B"});
    g.node("Tile", "c", {"x", "reps"}, {"C"});
    g.node("ReduceSum", "d", {"C"}, {"D"});
    g.value("A", shape({1000}))
        .value("B", shape({1000}))
        .value("C", shape({4, 1000}))
        .value("D", shape({1}));
    g.output("B").output("D");
}

}  // namespace

// File order a, b, c, d. Intervals: x [0,2] (last read by c), A [0,1], B [1,3] (output),
// C [2,3], D [3,3]; the Int64 reps is a weight, not an activation.
// Live bytes: step 0 x+A = 8,000; step 1 x+A+B = 12,000; step 2 x+B+C = 24,000;
// step 3 B+C+D = 20,004. Peak 24,000 at step 2.
BOOST_AUTO_TEST_CASE(diamond_in_file_order) {
    Model m;
    GraphBuilder g(m.graph);
    build_diamond(g);
    g.link();
    const std::vector<int> order = topological_order(m.graph);
    BOOST_TEST(order == (std::vector<int>{0, 1, 2, 3}), boost::test_tools::per_element());

    const auto intervals = analysis::live_intervals(m.graph, order);
    BOOST_TEST(intervals.size() == 5u);
    const LiveInterval& x = interval_of(m.graph, intervals, "x");
    BOOST_TEST(x.first_step == 0u);
    BOOST_TEST(x.last_step == 2u);
    BOOST_TEST(interval_of(m.graph, intervals, "B").last_step == 3u);
    BOOST_TEST(interval_of(m.graph, intervals, "C").bytes == 16'000u);

    const auto peak = analysis::peak_bytes(intervals, order.size());
    BOOST_TEST(peak.bytes == 24'000u);
    BOOST_TEST(peak.step == 2u);
    BOOST_TEST(!peak.assumed_size);
    BOOST_TEST(analyze(m).totals.peak_activation_bytes == 24'000u);
}

// The same graph run c, d, a, b: x [0,2], C [0,1], D [1,3], A [2,3], B [3,3].
// Step 0 x+C = 20,000; step 1 x+C+D = 20,004; step 2 x+D+A = 8,004; step 3 D+A+B = 8,004.
// Peak 20,004 at step 1: the schedule matters.
BOOST_AUTO_TEST_CASE(diamond_in_another_order) {
    Model m;
    GraphBuilder g(m.graph);
    build_diamond(g);
    g.link();
    const std::vector<int> order{2, 3, 0, 1};
    const auto peak = analysis::peak_bytes(analysis::live_intervals(m.graph, order), order.size());
    BOOST_TEST(peak.bytes == 20'004u);
    BOOST_TEST(peak.step == 1u);
}

// Hand-made intervals plus per-step extra memory: steps hold 10, 10+20, 20+100 -> 120 at step 2.
BOOST_AUTO_TEST_CASE(peak_with_extra_memory) {
    const std::vector<LiveInterval> intervals{{0, 0, 1, 10, false}, {1, 1, 2, 20, false}};
    const auto peak = analysis::peak_bytes(intervals, 3, {0, 0, 100});
    BOOST_TEST(peak.bytes == 120u);
    BOOST_TEST(peak.step == 2u);
}

// No nodes: a graph input that is also an output is live for the one (empty) step.
BOOST_AUTO_TEST_CASE(passthrough_graph) {
    Model m;
    GraphBuilder g(m.graph);
    g.input("x", shape({2, 3})).output("x");
    g.link();
    BOOST_TEST(analyze(m).totals.peak_activation_bytes == 24u);
}

// Unknown dims are taken as 1 and flagged: x [n, 4] = 16 B, y = Relu(x) 16 B -> peak 32.
BOOST_AUTO_TEST_CASE(unknown_dims_flagged) {
    Model m;
    GraphBuilder g(m.graph);
    g.input("x", Shape{Dim::named("n"), Dim::of(4)});
    g.node("Relu", "r", {"x"}, {"y"});
    g.value("y", Shape{Dim::named("n"), Dim::of(4)}).output("y");
    g.link();
    const auto peak = analysis::peak_activation_memory(m.graph, topological_order(m.graph));
    BOOST_TEST(peak.bytes == 32u);
    BOOST_TEST(peak.assumed_size);
}

// A subgraph reading an outer value keeps it alive until its If runs; the If's step also holds
// the branch's own peak.
//   a = Relu(x)            x [100] 400 B -> A [100] 400 B
//   r = Relu(x)                          -> R [100] 400 B (output)
//   if(cond): branch t = Tile(A) -> T [10,100] 4,000 B (branch output Y), Y -> y 4,000 B
// A is read only inside the branch, so its interval ends at the If (step 2); x's at r (step 1).
// cond is bool [1] = 1 B, read by the If.
//   step 0: x 400 + cond 1 + A 400 = 801;  step 1: + R 400 = 1,201;
//   step 2: cond 1 + A 400 + R 400 + y 4,000 = 4,801, plus the branch's peak T = 4,000 (A lives
//   in the outer graph, not counted again) -> 8,801.
BOOST_AUTO_TEST_CASE(subgraph_reads_extend_lifetimes) {
    Model m;
    GraphBuilder g(m.graph);
    g.input("cond", shape({1}), DType::Bool).input("x", shape({100}));
    g.node("Relu", "a", {"x"}, {"A"});
    g.node("Relu", "r", {"x"}, {"R"});
    auto sub = std::make_shared<Graph>();
    sub->parent = &m.graph;
    GraphBuilder b(*sub);
    b.weight("reps", {2}, DType::Int64);
    b.node("Tile", "t", {"A", "reps"}, {"T"});
    b.value("T", shape({10, 100})).output("T");
    b.link();
    g.node("If", "if", {"cond"}, {"y"},
           {graph_attr("then_branch", sub), graph_attr("else_branch", sub)});
    g.value("A", shape({100})).value("R", shape({100})).value("y", shape({10, 100}));
    g.output("R").output("y");
    g.link();

    const std::vector<int> order = topological_order(m.graph);
    const auto intervals = analysis::live_intervals(m.graph, order);
    BOOST_TEST(interval_of(m.graph, intervals, "A").last_step == 2u);
    BOOST_TEST(interval_of(m.graph, intervals, "x").last_step == 1u);
    const auto peak = analysis::peak_activation_memory(m.graph, order);
    BOOST_TEST(peak.bytes == 8'801u);
    BOOST_TEST(peak.step == 2u);
}
