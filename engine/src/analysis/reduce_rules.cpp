// Reductions and softmax (0 MACs). E = input elements, O = output elements; reducing n elements
// to one costs n-1 binary ops, so a reduction of E elements into O outputs costs E - O:
//   ReduceSum, ReduceMax, ReduceMin, ReduceProd, ArgMax, ArgMin   E - O
//   ReduceMean (+ one divide per output)                            E
//   ReduceSumSquare, ReduceL1 (square or |x| first)                 2E - O
//   ReduceL2 (square, add, one sqrt per output)                     2E
//   ReduceLogSum (add, one log per output)                          E
//   ReduceLogSumExp (exp, add, one log per output)                  2E
//   Softmax (exp, sum, divide) and LogSoftmax (exp, sum, subtract)  3E  (the per-row terms
//     are left out, as in thop's calculate_softmax); Hardmax (compare) E.
//   CumSum (a running add per element)                              E
#include "analysis/rule_registry.hpp"

namespace winglet::analysis {

namespace {

// Every formula above is per_input * E - O, or per_input * E when each output also gets one
// final op (divide, sqrt, log) that cancels the -O.
struct ReductionCost {
    std::string_view op;
    uint64_t per_input;
    bool output_op;
};

// clang-format off
constexpr ReductionCost kReductions[] = {
    {"ReduceSum", 1, false},       {"ReduceMax", 1, false},       {"ReduceMin", 1, false},
    {"ReduceProd", 1, false},      {"ArgMax", 1, false},          {"ArgMin", 1, false},
    {"ReduceMean", 1, true},       {"ReduceSumSquare", 2, false}, {"ReduceL1", 2, false},
    {"ReduceL2", 2, true},         {"ReduceLogSum", 1, true},     {"ReduceLogSumExp", 2, true},
};  // clang-format on

OpCost reduction(OpContext& op) {
    const ReductionCost* cost = nullptr;
    for (const ReductionCost& c : kReductions)
        if (c.op == op.node().op_type) cost = &c;
    const uint64_t all = op.mul(cost ? cost->per_input : 1, op.input_elements(0));
    const uint64_t out = cost && cost->output_op ? 0 : op.output_elements(0);
    return {0, all > out ? all - out : 0};
}

constexpr uint64_t kSoftmaxPerElement = 3;

OpCost softmax(OpContext& op) { return {0, op.mul(kSoftmaxPerElement, op.input_elements(0))}; }
// Hardmax and CumSum: one compare or add per element.
OpCost one_per_element(OpContext& op) { return {0, op.input_elements(0)}; }

constexpr CostRule kReduction{"reduce", reduction};
constexpr CostRule kSoftmax{"softmax", softmax};
constexpr CostRule kHardmax{"hardmax", one_per_element};
constexpr CostRule kCumSum{"cumsum", one_per_element};

}  // namespace

void add_reduce_rules(RuleTable& table) {
    for (const ReductionCost& c : kReductions) table.add(kOnnxDomain, c.op, kReduction);
    table.add(kOnnxDomain, {"Softmax", "LogSoftmax"}, kSoftmax);
    table.add(kOnnxDomain, "Hardmax", kHardmax);
    table.add(kOnnxDomain, "CumSum", kCumSum);
}

}  // namespace winglet::analysis
