// Normalizations (0 MACs). E = elements of X, G = number of groups that get their own
// statistics (rows for LayerNorm, N*C for InstanceNorm, N*num_groups for GroupNorm).
//   BatchNormalization (inference): a per-channel affine y = a*x + b once runtimes fold mean,
//     variance and epsilon into a and b at load time: 2 E (thop's calculate_norm).
//   LayerNorm / InstanceNorm / GroupNorm / MeanVarianceNormalization compute statistics at run
//     time: 5 per element (mean add, subtract, square, variance add, multiply by 1/std)
//     + 1 per element for the scale + 1 for the bias when present
//     + 4 per group (mean divide, variance divide, epsilon add, reciprocal square root).
//   RMSNormalization (and com.microsoft SimplifiedLayerNormalization): 3 per element (square,
//     add, multiply by 1/rms) + 1 scale, + 3 per group (divide, epsilon add, rsqrt).
//   com.microsoft Skip(Simplified)LayerNormalization: the residual add (+ the bias add) first.
//   LpNormalization: 3 per element (|x| or x^2, add, divide) + 1 sqrt per group for p = 2.
//   LRN (local response normalization over `size` channels): per element, size squares and
//     size - 1 adds for the window sum, then scale, add bias, pow and divide: 2 * size + 3.
#include "analysis/rule_registry.hpp"

#include <algorithm>

namespace winglet::analysis {

namespace {

constexpr uint64_t kStatsPerElement = 5;
constexpr uint64_t kStatsPerGroup = 4;
constexpr uint64_t kRmsPerElement = 3;
constexpr uint64_t kRmsPerGroup = 3;

// Normalizes a possibly negative axis into [0, rank].
size_t axis_index(int64_t axis, size_t rank) {
    const int64_t r = static_cast<int64_t>(rank);
    return static_cast<size_t>(std::clamp<int64_t>(axis < 0 ? axis + r : axis, 0, r));
}

// FLOPs of `groups` groups of statistics over `elements` elements.
uint64_t normalize(const OpContext& op, uint64_t elements, uint64_t groups, uint64_t per_element,
                   uint64_t per_group) {
    return op.add(op.mul(elements, per_element), op.mul(groups, per_group));
}

OpCost batch_norm(OpContext& op) { return {0, op.mul(2, op.input_elements(0))}; }

// Statistics over the dims from `axis` on (LayerNormalization, RMSNormalization).
uint64_t groups_before_axis(const OpContext& op, const Dims& x) {
    return op.product(x, 0, axis_index(op.node().attr_int("axis", -1), x.size()));
}

// LayerNormalization: X, Scale, B.
OpCost layer_norm(OpContext& op) {
    const Dims x = op.input_dims(0);
    return {0, normalize(op, op.product(x), groups_before_axis(op, x),
                         kStatsPerElement + 1 + present(op, 2), kStatsPerGroup)};
}

// RMSNormalization / SimplifiedLayerNormalization: X, scale.
OpCost rms_norm(OpContext& op) {
    const Dims x = op.input_dims(0);
    return {0, normalize(op, op.product(x), groups_before_axis(op, x), kRmsPerElement + 1,
                         kRmsPerGroup)};
}

// SkipLayerNormalization: input, skip, gamma, beta, bias; normalized over the last axis.
OpCost skip_layer_norm(OpContext& op) {
    const Dims x = op.input_dims(0);
    const uint64_t groups = op.product(x, 0, x.empty() ? 0 : x.size() - 1);
    const uint64_t per_element = 1 + present(op, 4) + kStatsPerElement + 1 + present(op, 3);
    return {0, normalize(op, op.product(x), groups, per_element, kStatsPerGroup)};
}

// SkipSimplifiedLayerNormalization: input, skip, gamma, bias.
OpCost skip_rms_norm(OpContext& op) {
    const Dims x = op.input_dims(0);
    const uint64_t groups = op.product(x, 0, x.empty() ? 0 : x.size() - 1);
    const uint64_t per_element = 1 + present(op, 3) + kRmsPerElement + 1;
    return {0, normalize(op, op.product(x), groups, per_element, kRmsPerGroup)};
}

// InstanceNormalization: input, scale, B; statistics per (N, C).
OpCost instance_norm(OpContext& op) {
    const Dims x = op.input_dims(0);
    return {
        0, normalize(op, op.product(x), op.product(x, 0, 2), kStatsPerElement + 2, kStatsPerGroup)};
}

// GroupNormalization: X, scale, bias; statistics per (N, group).
OpCost group_norm(OpContext& op) {
    const Dims x = op.input_dims(0);
    const uint64_t groups_per_sample =
        static_cast<uint64_t>(std::max<int64_t>(op.node().attr_int("num_groups", 1), 1));
    const uint64_t groups = op.mul(x.empty() ? 1 : x[0], groups_per_sample);
    return {0, normalize(op, op.product(x), groups, kStatsPerElement + 2, kStatsPerGroup)};
}

// MeanVarianceNormalization: statistics over `axes` (default N, H, W), no scale or bias.
OpCost mean_variance_norm(OpContext& op) {
    const Dims x = op.input_dims(0);
    std::vector<int64_t> axes = op.node().attr_ints("axes");
    if (axes.empty()) axes = {0, 2, 3};
    uint64_t reduced = 1;
    for (int64_t a : axes) {
        const size_t i = axis_index(a, x.size());
        reduced = op.mul(reduced, i < x.size() ? x[i] : 1);
    }
    const uint64_t elements = op.product(x);
    return {0, normalize(op, elements, reduced ? elements / reduced : 0, kStatsPerElement,
                         kStatsPerGroup)};
}

// LpNormalization: along `axis`, p = 1 or 2.
OpCost lp_norm(OpContext& op) {
    const Dims x = op.input_dims(0);
    const size_t axis = axis_index(op.node().attr_int("axis", -1), x.size());
    const uint64_t elements = op.product(x);
    const uint64_t along = axis < x.size() ? x[axis] : 1;
    const uint64_t per_group = op.node().attr_int("p", 2) == 2 ? 1 : 0;
    return {0, normalize(op, elements, along ? elements / along : 0, 3, per_group)};
}

OpCost lrn(OpContext& op) {
    const uint64_t size =
        static_cast<uint64_t>(std::max<int64_t>(op.node().attr_int("size", 1), 1));
    return {0, op.mul(op.input_elements(0), op.add(op.mul(2, size), 3))};
}

constexpr CostRule kBatchNorm{"batch_norm", batch_norm};
constexpr CostRule kLayerNorm{"layer_norm", layer_norm};
constexpr CostRule kRmsNorm{"rms_norm", rms_norm};
constexpr CostRule kSkipLayerNorm{"skip_layer_norm", skip_layer_norm};
constexpr CostRule kSkipRmsNorm{"skip_rms_norm", skip_rms_norm};
constexpr CostRule kInstanceNorm{"instance_norm", instance_norm};
constexpr CostRule kGroupNorm{"group_norm", group_norm};
constexpr CostRule kMeanVarianceNorm{"mean_variance_norm", mean_variance_norm};
constexpr CostRule kLpNorm{"lp_norm", lp_norm};
constexpr CostRule kLrn{"lrn", lrn};

}  // namespace

void add_norm_rules(RuleTable& table) {
    table.add(kOnnxDomain, "BatchNormalization", kBatchNorm);
    table.add(kOnnxDomain, "LayerNormalization", kLayerNorm);
    table.add(kOnnxDomain, {"RMSNormalization", "SimplifiedLayerNormalization"}, kRmsNorm);
    table.add(kOnnxDomain, "InstanceNormalization", kInstanceNorm);
    table.add(kOnnxDomain, "GroupNormalization", kGroupNorm);
    table.add(kOnnxDomain, "MeanVarianceNormalization", kMeanVarianceNorm);
    table.add(kOnnxDomain, "LpNormalization", kLpNorm);
    table.add(kOnnxDomain, "LRN", kLrn);
    table.add(kMicrosoftDomain, "LayerNormalization", kLayerNorm);
    table.add(kMicrosoftDomain, "SimplifiedLayerNormalization", kRmsNorm);
    table.add(kMicrosoftDomain, "SkipLayerNormalization", kSkipLayerNorm);
    table.add(kMicrosoftDomain, "SkipSimplifiedLayerNormalization", kSkipRmsNorm);
}

}  // namespace winglet::analysis
