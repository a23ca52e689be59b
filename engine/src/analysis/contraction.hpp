// What the contraction rules (conv, matmul) share: MACs over the output elements, and the
// elementwise epilogue (bias, scaling, activation, requantization) applied to each output.
#pragma once

#include "analysis/cost_rules.hpp"

#include <cstdint>

namespace winglet::analysis {

struct Contraction {
    uint64_t macs = 0;
    uint64_t outputs = 0;  // output elements
};

// Requantizing an int32 accumulator (QLinearConv/QLinearMatMul): scale multiply, round,
// zero-point add.
inline constexpr uint64_t kRequantizeFlops = 3;

// 2 FLOPs per MAC plus `per_output` elementwise FLOPs on every output element.
inline OpCost with_epilogue(const OpContext& op, const Contraction& c, uint64_t per_output) {
    return {c.macs, op.add(op.mul(2, c.macs), op.mul(per_output, c.outputs))};
}

}  // namespace winglet::analysis
