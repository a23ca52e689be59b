// Interpolation (0 MACs): Resize / Upsample, with r = number of axes whose size changes, and
// GridSample, with r = number of spatial axes. Per output element:
//   nearest: 0 (a gather; index arithmetic is not data arithmetic)
//   linear:  a weighted sum of 2^r neighbours: 2^r multiplies + 2^r - 1 adds = 2^(r+1) - 1
//            (bilinear: 7, trilinear: 15)
//   cubic:   a weighted sum of 4^r neighbours: 2 * 4^r - 1 (bicubic: 31)
// Interpolation weights depend only on the output coordinate; their computation is not counted.
#include "analysis/rule_registry.hpp"

#include <algorithm>

namespace winglet::analysis {

namespace {

uint64_t resized_axes(const Dims& in, const Dims& out) {
    uint64_t r = 0;
    for (size_t i = 0; i < std::min(in.size(), out.size()); ++i) r += in[i] != out[i] ? 1 : 0;
    return r;
}

// FLOPs of interpolating every element of output 0 over `axes` axes in `mode`.
OpCost interpolate(const OpContext& op, const std::string& mode, uint64_t axes) {
    if (mode == "nearest") return {};
    const uint64_t neighbours_per_axis = mode == "cubic" || mode == "bicubic" ? 4 : 2;
    uint64_t taps = 1;
    for (; axes > 0; --axes) taps = op.mul(taps, neighbours_per_axis);
    return {0, op.mul(op.output_elements(0), op.mul(2, taps) - 1)};
}

OpCost resize(OpContext& op) {
    return interpolate(op, op.node().attr_string("mode", "nearest"),
                       resized_axes(op.input_dims(0), op.output_dims(0)));
}

// GridSample: X [N, C, d1..dn], grid [N, o1..on, n] -> [N, C, o1..on]; "linear"/"bilinear"
// is the default mode.
OpCost grid_sample(OpContext& op) {
    const size_t rank = op.output_dims(0).size();
    return interpolate(op, op.node().attr_string("mode", "linear"), rank > 2 ? rank - 2 : 0);
}

constexpr CostRule kResize{"resize", resize};
constexpr CostRule kGridSample{"grid_sample", grid_sample};

}  // namespace

void add_resize_rules(RuleTable& table) {
    table.add(kOnnxDomain, {"Resize", "Upsample"}, kResize);
    table.add(kOnnxDomain, "GridSample", kGridSample);
}

}  // namespace winglet::analysis
