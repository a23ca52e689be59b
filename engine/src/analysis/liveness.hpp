// Activation liveness over a schedule, and the peak memory it implies. Target-independent and
// kept apart from costing so a memory planner can reuse it.
//
// The model: every activation (a non-weight value: a graph input or a node output) occupies its
// full size, without in-place reuse or aliasing, from the step of its producer (graph inputs:
// from step 0) to the step of its last consumer (graph outputs: to the last step). At a step,
// the inputs an op reads and the outputs it writes are therefore both live. Weights are not
// activations. Unknown dims are taken as 1 (and flagged).
#pragma once

#include "graph/graph.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace winglet::analysis {

struct LiveInterval {
    int value = -1;         // index into the graph's values
    size_t first_step = 0;  // schedule position of the producer; 0 for graph inputs
    size_t last_step = 0;   // position of the last consumer; the last step for graph outputs
    uint64_t bytes = 0;
    bool assumed_size = false;  // some dims unknown, taken as 1
};

// Intervals of the activations of `graph` run in `order` (node indices, producers first).
// A node whose subgraph reads a value of this graph counts as that value's consumer. Values a
// subgraph reads from enclosing graphs are live there, not here. A value nothing reads lives
// at its producer's step only.
std::vector<LiveInterval> live_intervals(const Graph& graph, const std::vector<int>& order);

struct PeakMemory {
    uint64_t bytes = 0;
    size_t step = 0;            // first schedule position where the peak is reached
    bool assumed_size = false;  // a value live at the peak had unknown dims
};

// Max over steps s < step_count of the bytes of the intervals live at s, plus extra_at_step[s]
// (when given; e.g. the working memory of a subgraph the step runs). Throws InputError when a
// sum overflows 64 bits.
PeakMemory peak_bytes(const std::vector<LiveInterval>& intervals, size_t step_count,
                      const std::vector<uint64_t>& extra_at_step = {});

// Peak of `graph` in `order`, where a control-flow node's step also holds the peak of its
// costliest subgraph (each run in its own topological order, recursively).
PeakMemory peak_activation_memory(const Graph& graph, const std::vector<int>& order);

}  // namespace winglet::analysis
