// Resize / Upsample (0 MACs), per output element, with r = number of axes whose size changes:
//   nearest: 0 (a gather; index arithmetic is not data arithmetic)
//   linear:  a weighted sum of 2^r neighbours: 2^r multiplies + 2^r - 1 adds = 2^(r+1) - 1
//            (bilinear: 7, trilinear: 15)
//   cubic:   a weighted sum of 4^r neighbours: 2 * 4^r - 1 (bicubic: 31)
// Interpolation weights depend only on the output coordinate and are computed once per axis
// position, so they are not counted.
#include "analysis/rule_registry.hpp"

#include <algorithm>

namespace winglet::analysis {

namespace {

uint64_t resized_axes(const Dims& in, const Dims& out) {
    uint64_t r = 0;
    for (size_t i = 0; i < std::min(in.size(), out.size()); ++i) r += in[i] != out[i] ? 1 : 0;
    return r;
}

OpCost resize(OpContext& op) {
    const std::string mode = op.node().attr_string("mode", "nearest");
    if (mode == "nearest") return {};
    const Dims out = op.output_dims(0);
    const uint64_t neighbours_per_axis = mode == "cubic" ? 4 : 2;  // "linear", "bilinear"
    uint64_t taps = 1;
    for (uint64_t axis = resized_axes(op.input_dims(0), out); axis > 0; --axis)
        taps = op.mul(taps, neighbours_per_axis);
    return {0, op.mul(op.product(out), op.mul(2, taps) - 1)};
}

constexpr CostRule kResize{"resize", resize};

}  // namespace

void add_resize_rules(RuleTable& table) { table.add(kOnnxDomain, {"Resize", "Upsample"}, kResize); }

}  // namespace winglet::analysis
