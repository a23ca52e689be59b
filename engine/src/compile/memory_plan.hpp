// The activation memory plan of a compiled model: every activation a unit produces gets an offset
// in that unit's arena, and buffers whose lifetimes do not overlap share space. Greedy by size
// (Pisarchyk & Lee, "Efficient Memory Management for Deep Neural Net Inference", 2020; the
// strategy of TensorFlow Lite's GPU delegate): largest buffer first, each at the lowest offset
// that does not collide with a placed buffer alive at the same time.
#pragma once

#include "report/report.hpp"

#include <cstdint>
#include <vector>

namespace winglet {

// One activation buffer: live from the step that writes it through the last step that reads it.
struct Buffer {
    uint64_t bytes = 0;
    size_t first_step = 0, last_step = 0;
};

struct ArenaPlan {
    std::vector<uint64_t> offsets;  // per buffer, in input order
    uint64_t arena_bytes = 0;
    uint64_t peak_live_bytes = 0;
    uint64_t no_reuse_bytes = 0;
};

ArenaPlan plan_arena(const std::vector<Buffer>& buffers);

// Plans every unit of report.plan and fills its unit_memory and each op's arena_offset.
// Buffers: the outputs of each op on the op's unit, alive until their last reader (the end, for
// model outputs). An intermediate that stays inside one fused group is not a buffer: the fused
// kernel keeps it on chip. Weights live in their own region and are not planned here.
void plan_activation_memory(Report& report);

}  // namespace winglet
