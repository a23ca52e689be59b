#define BOOST_TEST_MODULE spec_placement
#include <boost/test/unit_test.hpp>

#include "fusion.hpp"
#include "placement.hpp"
#include "test_soc.hpp"

using namespace winglet::spec_target;
using winglet::device_spec::DType;

namespace {

const DeviceSpec& soc() {
    static const DeviceSpec spec = test_soc();
    return spec;
}

// "unit | reason", one printable string per placement.
std::string placed(const OpDesc& o) {
    const Placement p = place(soc(), o);
    return soc().units[p.unit].name + " | " + p.reason;
}

OpDesc conv(DType dtype, int64_t kernel) {
    OpDesc d = op("Conv", dtype);
    d.kernel = kernel;
    return d;
}

}  // namespace

BOOST_AUTO_TEST_CASE(supported_op_stays_on_the_preferred_unit_without_reason) {
    BOOST_TEST(placed(conv(DType::int8, 3)) == "npu | ");
}

BOOST_AUTO_TEST_CASE(unsupported_op_type_falls_back_with_reason) {
    BOOST_TEST(placed(op("Gather", DType::int8)) ==
               "cpu | npu: Gather not supported");
}

BOOST_AUTO_TEST_CASE(dtype_the_unit_lacks_falls_back_with_reason) {
    BOOST_TEST(placed(conv(DType::fp32, 3)) ==
               "cpu | npu: fp32 not supported (peak_ops has no fp32)");
}

BOOST_AUTO_TEST_CASE(kernel_over_the_limit_falls_back_with_reason) {
    BOOST_TEST(placed(conv(DType::int8, 5)) ==
               "cpu | npu: kernel 5 > kernel_max 3");
}

BOOST_AUTO_TEST_CASE(op_no_unit_supports_goes_to_the_last_unit_never_dropped) {
    OpDesc shape_math = op("Add", DType::fp32);
    shape_math.dtype.reset();
    shape_math.dtype_name = "int64";
    BOOST_TEST(placed(shape_math) ==
               "cpu | npu: int64 not supported (peak_ops has no int64); "
               "no unit supports it, runs on cpu anyway");
}

BOOST_AUTO_TEST_CASE(conv_relu_chain_on_the_npu_fuses_into_one_group) {
    // 0 Conv -> 1 Relu -> 2 Conv -> 3 Relu, and 3 also read by 4 Add: two groups, Add alone.
    std::vector<OpDesc> ops = {conv(DType::int8, 3), op("Relu", DType::int8), conv(DType::int8, 3),
                               op("Relu", DType::int8), op("Add", DType::int8)};
    ops[1].inputs = {{0, 1}};
    ops[2].inputs = {{1, 1}};
    ops[3].inputs = {{2, 1}};
    ops[4].inputs = {{3, 1}, {1, 1}};
    std::vector<OpPlan> plan(ops.size());  // all on unit 0, the npu
    fuse(soc(), ops, plan);
    BOOST_TEST(plan[0].group == 0);
    BOOST_TEST(plan[1].group == 0);
    BOOST_TEST(plan[0].group_head);
    BOOST_TEST(!plan[1].group_head);
    BOOST_TEST(plan[2].group == 1);
    BOOST_TEST(plan[3].group == 1);
    BOOST_TEST(plan[4].group == -1);
}

BOOST_AUTO_TEST_CASE(no_fusion_across_units_or_when_the_intermediate_has_two_readers) {
    std::vector<OpDesc> ops = {conv(DType::int8, 3), op("Relu", DType::int8), op("Add", DType::int8)};
    ops[1].inputs = {{0, 1}};
    ops[2].inputs = {{0, 1}};  // Conv's output is also read by Add
    std::vector<OpPlan> plan(ops.size());
    fuse(soc(), ops, plan);
    BOOST_TEST(plan[0].group == -1);

    ops[2].inputs = {{1, 1}};
    plan.assign(ops.size(), OpPlan{});
    plan[1].unit = 1;  // Relu on the cpu
    fuse(soc(), ops, plan);
    BOOST_TEST(plan[0].group == -1);
}

// A Constant is a weight loaded with the model: it stays on the preferred unit with no reason even
// though the NPU's op list lacks it, so it cannot cause a unit transition.
BOOST_AUTO_TEST_CASE(folded_constant_stays_on_the_preferred_unit_without_reason) {
    OpDesc c = op("Constant", DType::fp32);
    c.folded = true;
    BOOST_TEST(placed(c) == "npu | ");
}

// PyTorch exports Clip's min/max as Constants between BatchNormalization and Clip; the chain
// 0 Conv -> 2 Relu with 1 a folded Constant in between still fuses, spanning ops 0..2.
BOOST_AUTO_TEST_CASE(folded_constants_inside_a_pattern_do_not_break_fusion) {
    OpDesc constant = op("Constant", DType::fp32);
    constant.folded = true;
    std::vector<OpDesc> ops = {conv(DType::int8, 3), constant, op("Relu", DType::int8)};
    ops[2].inputs = {{0, 1}};
    std::vector<OpPlan> plan(ops.size());
    fuse(soc(), ops, plan);
    BOOST_TEST(plan[0].group == 0);
    BOOST_TEST(plan[1].group == 0);
    BOOST_TEST(plan[2].group == 0);
    BOOST_TEST(plan[0].group_head);
    BOOST_TEST(!plan[2].group_head);
}
