// Shapes that exist only at run time: the shape pass evaluates the small tensors they are computed
// from (as ONNX Runtime would for the given inputs). Every expected shape is worked out by hand
// from the ONNX operator definitions in the comments.
#define BOOST_TEST_MODULE shape_evaluation
#include <boost/test/unit_test.hpp>

#include "unit/shape_test_builder.hpp"


using namespace winglet;
using namespace winglet::test;

namespace {

Builder& scalar(Builder& b, const std::string& name, int64_t v) {
    return b.constant<int64_t>(name, {v}, DType::Int64, {});
}

const Node& node_named(const Builder& b, const std::string& name) {
    for (const Node& n : b.g.nodes)
        if (n.name == name) return n;
    BOOST_FAIL("no node " << name);
    return b.g.nodes.front();
}

ShapeInferenceOptions values(std::map<std::string, std::vector<std::string>> given) {
    ShapeInferenceOptions o;
    o.input_values = std::move(given);
    return o;
}

}  // namespace

BOOST_AUTO_TEST_CASE(reshape_target_from_shape_gather_mul_div_concat) {
    // x [2,10,64]: target = [s[0], s[1] * 8, s[2] / 8] = [2, 80, 8].
    Builder b;
    b.input("x", {d(2), d(10), d(64)}).ints("i0", {0}).ints("i1", {1}).ints("i2", {2}).ints("eight", {8});
    b.node("Shape", {"x"}, {"s"});
    b.node("Gather", {"s", "i0"}, {"n"}).node("Gather", {"s", "i1"}, {"t"}).node("Gather", {"s", "i2"}, {"c"});
    b.node("Mul", {"t", "eight"}, {"t8"}).node("Div", {"c", "eight"}, {"c8"});
    b.node("Concat", {"n", "t8", "c8"}, {"target"}, {int_attr("axis", 0)});
    b.node("Reshape", {"x", "target"}, {"y"});
    b.infer();
    BOOST_TEST(b.shape("y") == "[2,80,8]");
}

BOOST_AUTO_TEST_CASE(symbolic_batch_survives_the_arithmetic) {
    // x [batch,10,64]: the same target keeps the symbol where the arithmetic is an identity.
    Builder b;
    b.input("x", {sym("batch"), d(10), d(64)}).ints("i0", {0}).ints("rest", {-1, 8});
    b.node("Shape", {"x"}, {"s"}).node("Gather", {"s", "i0"}, {"n"});
    b.node("Concat", {"n", "rest"}, {"target"}, {int_attr("axis", 0)});
    b.node("Reshape", {"x", "target"}, {"y"});
    b.infer();
    BOOST_TEST(b.shape("y") == "[batch,80,8]");   // -1 = 10*64/8 once batch cancels
}

BOOST_AUTO_TEST_CASE(float_scale_floor_cast_back_to_sizes) {
    // Resize-style sizes: floor(float([10,7]) * 1.5) = [15,10]; ConstantOfShape shows them.
    Builder b;
    b.input("x", {d(1), d(3), d(10), d(7)}).ints("lo", {2}).ints("hi", {4}).ints("nc", {1, 3});
    b.constant<float>("scale", {1.5f}, DType::Float32, {});
    b.node("Shape", {"x"}, {"s"}).node("Slice", {"s", "lo", "hi"}, {"hw"});
    b.node("Cast", {"hw"}, {"hw_f"}, {int_attr("to", 1)});
    b.node("Mul", {"hw_f", "scale"}, {"scaled"}).node("Floor", {"scaled"}, {"floored"});
    b.node("Cast", {"floored"}, {"sizes_hw"}, {int_attr("to", 7)});
    b.node("Concat", {"nc", "sizes_hw"}, {"sizes"}, {int_attr("axis", 0)});
    b.node("ConstantOfShape", {"sizes"}, {"y"});
    b.infer();
    BOOST_TEST(b.shape("y") == "[1,3,15,10]");
}

BOOST_AUTO_TEST_CASE(where_not_equal_select_sizes) {
    // a = [3,0,5]: Where(Not(a == 0), a, 1) = [3,1,5].
    Builder b;
    b.ints("a", {3, 0, 5});
    scalar(b, "zero", 0);
    scalar(b, "one", 1);
    b.node("Equal", {"a", "zero"}, {"is_zero"}).node("Not", {"is_zero"}, {"keep"});
    b.node("Where", {"keep", "a", "one"}, {"sizes"});
    b.node("ConstantOfShape", {"sizes"}, {"y"});
    b.infer();
    BOOST_TEST(b.shape("y") == "[3,1,5]");
}

BOOST_AUTO_TEST_CASE(reduce_prod_of_trailing_dims_flattens) {
    // x [2,3,4]: [s[0], prod(s[1:])] = [2,12].
    Builder b;
    b.input("x", {d(2), d(3), d(4)}).ints("i0", {0}).ints("one", {1}).ints("end", {3});
    b.node("Shape", {"x"}, {"s"}).node("Gather", {"s", "i0"}, {"n"});
    b.node("Slice", {"s", "one", "end"}, {"tail"});
    b.node("ReduceProd", {"tail"}, {"p"}, {int_attr("keepdims", 1)});
    b.node("Concat", {"n", "p"}, {"target"}, {int_attr("axis", 0)});
    b.node("Reshape", {"x", "target"}, {"y"});
    b.infer();
    BOOST_TEST(b.shape("y") == "[2,12]");
}

BOOST_AUTO_TEST_CASE(non_zero_of_known_contents_fixes_its_size) {
    // NonZero([0,1,1,0,1]) has shape [1,3] (rank 1, three non-zeros).
    Builder b;
    b.ints("mask", {0, 1, 1, 0, 1});
    b.node("NonZero", {"mask"}, {"where"});
    b.infer();
    BOOST_TEST(b.shape("where") == "[1,3]");
}

BOOST_AUTO_TEST_CASE(gather_along_axis_1_of_a_matrix) {
    // m = [[1,2,3],[4,5,6]], Gather(m, [2,0], axis=1) = [[3,1],[6,4]] -> sizes [3,1,6,4] flattened.
    Builder b;
    b.constant<int64_t>("m", {1, 2, 3, 4, 5, 6}, DType::Int64, {2, 3}).ints("idx", {2, 0}).ints("flat", {-1});
    b.node("Gather", {"m", "idx"}, {"g"}, {int_attr("axis", 1)});
    b.node("Reshape", {"g", "flat"}, {"sizes"});
    b.node("ConstantOfShape", {"sizes"}, {"y"});
    b.infer();
    BOOST_TEST(b.shape("y") == "[3,1,6,4]");
}

BOOST_AUTO_TEST_CASE(if_follows_the_branch_its_evaluated_condition_picks) {
    // sr = 16000 (given): Equal(sr / 1000, 16) is true, so the then branch (Relu: [4,8]) runs,
    // not the else branch (Concat of x with itself: [8,8]).
    auto build = [](Builder& outer) {
        outer.input("x", {d(4), d(8)}).input("sr", {}, DType::Int64);
        scalar(outer, "thousand", 1000);
        scalar(outer, "sixteen", 16);
        outer.node("Div", {"sr", "thousand"}, {"khz"}).node("Equal", {"khz", "sixteen"}, {"cond"});
        auto then_branch = std::make_shared<Graph>();
        auto else_branch = std::make_shared<Graph>();
        then_branch->name = "then";
        else_branch->name = "else";
        for (Graph* branch : {then_branch.get(), else_branch.get()}) {
            branch->parent = &outer.g;
            Node n;
            const bool is_then = branch == then_branch.get();
            n.op_type = is_then ? "Relu" : "Concat";
            n.name = n.op_type;
            n.inputs = {branch->intern_value("x")};
            if (!is_then) {
                n.inputs.push_back(branch->intern_value("x"));
                n.attributes.push_back(int_attr("axis", 0));
            }
            n.outputs = {branch->intern_value(n.op_type + "_out")};
            branch->nodes.push_back(n);
            branch->outputs = n.outputs;
            branch->link();
        }
        outer.node("If", {"cond"}, {"y"}, {graph_attr("then_branch", then_branch), graph_attr("else_branch", else_branch)},
                   "if_16k");
    };
    Builder taken;
    build(taken);
    taken.infer(values({{"sr", {"16000"}}}));
    BOOST_TEST(taken.shape("y") == "[4,8]");
    BOOST_TEST((node_named(taken, "if_16k").evaluated.condition == std::optional<bool>(true)));

    Builder other;
    build(other);
    other.infer(values({{"sr", {"8000"}}}));
    BOOST_TEST(other.shape("y") == "[8,8]");
    BOOST_TEST((node_named(other, "if_16k").evaluated.condition == std::optional<bool>(false)));

    // Without the value the condition is unknown and only the dims both branches agree on stay.
    Builder unknown;
    build(unknown);
    unknown.infer();
    BOOST_TEST(unknown.shape("y") == "[?,8]");
    BOOST_TEST(!node_named(unknown, "if_16k").evaluated.condition.has_value());
}

BOOST_AUTO_TEST_CASE(loop_trip_count_computed_from_constants) {
    // M = 2 + 3: five iterations; the scan output stacks them.
    Builder outer;
    outer.input("state", {d(4)});
    scalar(outer, "two", 2);
    scalar(outer, "three", 3);
    outer.node("Add", {"two", "three"}, {"trips"});
    Builder body;
    body.input("i", {}, DType::Int64).input("cond_in", {}, DType::Bool).input("carried", {d(4)});
    body.node("Identity", {"cond_in"}, {"cond_out"});
    body.node("Relu", {"carried"}, {"next"});
    body.node("Sigmoid", {"carried"}, {"scanned"});
    body.output("cond_out").output("next").output("scanned");
    auto body_graph = std::make_shared<Graph>(std::move(body.g));
    body_graph->parent = &outer.g;
    body_graph->link();
    outer.node("Loop", {"trips", "", "state"}, {"final", "stacked"}, {graph_attr("body", body_graph)}, "loop");
    outer.infer();
    BOOST_TEST(outer.shape("stacked") == "[5,4]");
    BOOST_TEST((node_named(outer, "loop").evaluated.trip_count == std::optional<int64_t>(5)));
}

BOOST_AUTO_TEST_CASE(given_values_fill_a_vector_input_and_parse_by_dtype) {
    // pads given as an int64 [?] input: its length becomes 4; Pad adds 1+2 rows and 3+4 columns.
    Builder b;
    b.input("x", {d(5), d(6)}).input("pads", {Dim{}}, DType::Int64);
    b.node("Pad", {"x", "pads"}, {"y"});
    b.infer(values({{"pads", {"1", "3", "2", "4"}}}));
    BOOST_TEST(b.shape("pads") == "[4]");
    BOOST_TEST(b.shape("y") == "[8,13]");
}

BOOST_AUTO_TEST_CASE(given_values_are_checked) {
    auto attempt = [](const std::map<std::string, std::vector<std::string>>& given) {
        Builder b;
        b.input("sr", {}, DType::Int64).input("flag", {}, DType::Bool).input("gain", {}, DType::Float32);
        b.node("Identity", {"sr"}, {"y"});
        try {
            b.infer(values(given));
        } catch (const UsageError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    BOOST_TEST(attempt({{"sr", {"16000"}}, {"flag", {"true"}}, {"gain", {"0.5"}}}) == "accepted");
    BOOST_TEST(attempt({{"rate", {"16000"}}}) == "--input-value rate: the model has no input named 'rate' (inputs: sr, flag, gain)");
    BOOST_TEST(attempt({{"sr", {"16k"}}}) == "--input-value sr: '16k' is not an integer (the input is int64)");
    BOOST_TEST(attempt({{"flag", {"yes"}}}) == "--input-value flag: 'yes' is not true, false, 1 or 0 (the input is bool)");
    BOOST_TEST(attempt({{"sr", {"1", "2"}}}) == "--input-value sr: 2 value(s) for an input of shape []");
}

BOOST_AUTO_TEST_CASE(huge_ranges_and_fills_are_shaped_but_never_materialised) {
    // Range(0, 2^40, 1) has 2^40 elements and ConstantOfShape([2^31, 2^31]) 2^62: their shapes are
    // known, their contents are not evaluated (nothing of that size is ever allocated: were it
    // tried, the test would run out of memory rather than pass).
    Builder b;
    scalar(b, "start", 0);
    scalar(b, "limit", int64_t{1} << 40);
    scalar(b, "delta", 1);
    b.ints("huge", {int64_t{1} << 31, int64_t{1} << 31});
    b.node("Range", {"start", "limit", "delta"}, {"r"}, {}, "range");
    b.node("ConstantOfShape", {"huge"}, {"fill"}, {}, "fill");
    b.node("Reshape", {"r", "r"}, {"bad"});   // a shape input of 2^40 entries: rank unknown, not read
    const auto stats = b.infer();
    BOOST_TEST(b.shape("r") == "[1099511627776]");
    BOOST_TEST(b.shape("fill") == "[2147483648,2147483648]");
    BOOST_TEST(b.shape("bad") == "?");
    BOOST_TEST_REQUIRE(stats.notes.size() == 1u);
    BOOST_TEST(stats.notes[0].find("'r' from 'range' (Range) (1099511627776 elements) were not evaluated") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(unknown_shapes_name_their_op_and_reason_and_suggest_options) {
    // n (int64 scalar) sets a Range's length; x has a named batch dim; MysteryOp has no rule.
    Builder b;
    b.input("n", {}, DType::Int64).input("x", {sym("batch"), d(4)});
    scalar(b, "zero", 0);
    scalar(b, "one", 1);
    b.node("Range", {"zero", "n", "one"}, {"r"}, {}, "range");
    b.node("Cast", {"r"}, {"rf"}, {int_attr("to", 1)}, "cast");
    b.node("Relu", {"x"}, {"rx"}, {}, "relu");
    b.node("MysteryOp", {"rx"}, {"m"}, {}, "mystery");
    const auto stats = b.infer();
    // rx is [batch,4]: a named dim, sized with --dim, is not an unknown shape.
    BOOST_TEST(b.shape("rx") == "[batch,4]");
    BOOST_TEST_REQUIRE(stats.unknown.size() == 3u);
    BOOST_TEST(stats.unknown[0].value == "r");
    BOOST_TEST(stats.unknown[0].op == "'range' (Range)");
    BOOST_TEST(stats.unknown[0].reason == "depends on the contents of 'n', not known from the inputs");
    BOOST_TEST(stats.unknown[1].value == "rf");
    BOOST_TEST(stats.unknown[1].reason == "input 'r' has an unknown shape");
    BOOST_TEST(stats.unknown[2].value == "m");
    BOOST_TEST(stats.unknown[2].reason == "no shape rule for MysteryOp");
    BOOST_TEST(stats.suggestions ==
                   (std::vector<std::string>{"--input-value n=V[,V...]: 2 value(s) have shapes computed from its contents"}),
               boost::test_tools::per_element());

    // An input dim without a name is suggested for --input even when nothing downstream is listed.
    Builder anonymous;
    anonymous.input("x", {Dim{}, d(4)});
    anonymous.node("Relu", {"x"}, {"y"});
    anonymous.g.values[anonymous.g.intern_value("y")].shape = Shape{sym("declared"), d(4)};
    const auto suggested = anonymous.infer();
    BOOST_TEST(suggested.unknown.empty());
    BOOST_TEST(suggested.suggestions == (std::vector<std::string>{"--input x=DIMS: its shape [?,4] is not fully known"}),
               boost::test_tools::per_element());

    // Given both, nothing is left but the op without a rule.
    Builder fixed;
    fixed.input("n", {}, DType::Int64).input("x", {d(2), d(4)});
    scalar(fixed, "zero", 0);
    scalar(fixed, "one", 1);
    fixed.node("Range", {"zero", "n", "one"}, {"r"}, {}, "range");
    fixed.node("MysteryOp", {"x"}, {"m"}, {}, "mystery");
    const auto after = fixed.infer(values({{"n", {"7"}}}));
    BOOST_TEST(fixed.shape("r") == "[7]");
    BOOST_TEST_REQUIRE(after.unknown.size() == 1u);
    BOOST_TEST(after.unknown[0].reason == "no shape rule for MysteryOp");
    BOOST_TEST(after.suggestions.empty());
}
