// Pooling (0 MACs). K = kernel window elements (product of kernel_shape), per output element:
//   MaxPool K-1 compares; AveragePool K (K-1 adds, 1 divide); LpPool 2K (K powers, K-1 adds,
//   1 root). Strides, pads, dilations, ceil_mode and auto_pad act through the output size,
//   read from the IR.
// Global pooling over n = spatial elements, per output element: GlobalAveragePool n,
//   GlobalMaxPool n-1, GlobalLpPool 2n.
#include "analysis/rule_registry.hpp"

namespace winglet::analysis {

namespace {

struct Pooling {
    uint64_t window = 1;   // K
    uint64_t outputs = 0;  // output elements
};

Pooling pooling(const OpContext& op) {
    Dims kernel;
    for (int64_t k : op.node().attr_ints("kernel_shape"))
        kernel.push_back(k < 0 ? 0 : static_cast<uint64_t>(k));
    return {op.product(kernel), op.output_elements(0)};
}

OpCost max_pool(OpContext& op) {
    const Pooling p = pooling(op);
    return {0, op.mul(p.outputs, p.window ? p.window - 1 : 0)};
}

OpCost average_pool(OpContext& op) {
    const Pooling p = pooling(op);
    return {0, op.mul(p.outputs, p.window)};
}

OpCost lp_pool(OpContext& op) {
    const Pooling p = pooling(op);
    return {0, op.product({p.outputs, p.window, 2})};
}

OpCost global_average_pool(OpContext& op) { return {0, op.input_elements(0)}; }

OpCost global_max_pool(OpContext& op) {
    const uint64_t in = op.input_elements(0), out = op.output_elements(0);
    return {0, in > out ? in - out : 0};
}

OpCost global_lp_pool(OpContext& op) { return {0, op.mul(2, op.input_elements(0))}; }

constexpr CostRule kMaxPool{"max_pool", max_pool};
constexpr CostRule kAveragePool{"average_pool", average_pool};
constexpr CostRule kLpPool{"lp_pool", lp_pool};
constexpr CostRule kGlobalAveragePool{"global_average_pool", global_average_pool};
constexpr CostRule kGlobalMaxPool{"global_max_pool", global_max_pool};
constexpr CostRule kGlobalLpPool{"global_lp_pool", global_lp_pool};

}  // namespace

void add_pool_rules(RuleTable& table) {
    table.add(kOnnxDomain, "MaxPool", kMaxPool);
    table.add(kOnnxDomain, "AveragePool", kAveragePool);
    table.add(kOnnxDomain, "LpPool", kLpPool);
    table.add(kOnnxDomain, "GlobalAveragePool", kGlobalAveragePool);
    table.add(kOnnxDomain, "GlobalMaxPool", kGlobalMaxPool);
    table.add(kOnnxDomain, "GlobalLpPool", kGlobalLpPool);
}

}  // namespace winglet::analysis
