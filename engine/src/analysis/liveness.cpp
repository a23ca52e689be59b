#include "analysis/liveness.hpp"

#include "analysis/shape_math.hpp"
#include "core/errors.hpp"
#include "graph/topology.hpp"

#include <algorithm>
#include <string>

namespace winglet::analysis {

namespace {

std::string graph_label(const Graph& graph) {
    return "graph" + (graph.name.empty() ? std::string() : " '" + graph.name + "'");
}

bool is_activation(const Value& v) {
    return !v.is_weight() && (v.producer >= 0 || v.is_graph_input);
}

}  // namespace

std::vector<LiveInterval> live_intervals(const Graph& graph, const std::vector<int>& order) {
    const size_t last = order.empty() ? 0 : order.size() - 1;
    std::vector<size_t> position(graph.nodes.size(), 0);
    for (size_t step = 0; step < order.size(); ++step) position[order[step]] = step;

    // Birth and death step per value; kUnset marks values that are not activations.
    constexpr size_t kUnset = static_cast<size_t>(-1);
    std::vector<size_t> born(graph.values.size(), kUnset), dies(graph.values.size(), kUnset);
    for (size_t v = 0; v < graph.values.size(); ++v) {
        const Value& value = graph.values[v];
        if (!is_activation(value)) continue;
        born[v] = value.producer >= 0 ? position[value.producer] : 0;
        dies[v] = value.is_graph_output ? last : born[v];
    }
    for (size_t step = 0; step < order.size(); ++step)
        for (int v : node_reads(graph, graph.nodes[order[step]]))
            if (v >= 0 && born[v] != kUnset) dies[v] = std::max(dies[v], step);

    std::vector<LiveInterval> intervals;
    const std::string owner = graph_label(graph);
    for (size_t v = 0; v < graph.values.size(); ++v) {
        if (born[v] == kUnset) continue;
        const Value& value = graph.values[v];
        intervals.push_back({static_cast<int>(v), born[v], dies[v], value_bytes(value, owner),
                             !assumed_symbols(value.shape).empty()});
    }
    return intervals;
}

PeakMemory peak_bytes(const std::vector<LiveInterval>& intervals, size_t step_count,
                      const std::vector<uint64_t>& extra_at_step) {
    const size_t steps = std::max<size_t>(step_count, 1);
    const std::string what = "peak activation memory";
    std::vector<uint64_t> starting(steps, 0), ending(steps, 0);
    for (const LiveInterval& iv : intervals) {
        const size_t first = std::min(iv.first_step, steps - 1);
        const size_t last = std::min(iv.last_step, steps - 1);
        starting[first] = must_fit(checked_add(starting[first], iv.bytes), what);
        ending[last] = must_fit(checked_add(ending[last], iv.bytes), what);
    }
    PeakMemory peak;
    uint64_t live = 0;
    for (size_t s = 0; s < steps; ++s) {
        live = must_fit(checked_add(live, starting[s]), what);
        const uint64_t extra = s < extra_at_step.size() ? extra_at_step[s] : 0;
        const uint64_t at_step = must_fit(checked_add(live, extra), what);
        if (at_step > peak.bytes) peak = {at_step, s, false};
        live -= ending[s];  // intervals end after their last step
    }
    for (const LiveInterval& iv : intervals)
        if (iv.assumed_size && iv.first_step <= peak.step && peak.step <= iv.last_step)
            peak.assumed_size = true;
    return peak;
}

PeakMemory peak_activation_memory(const Graph& graph, const std::vector<int>& order) {
    std::vector<uint64_t> nested(order.size(), 0);
    bool nested_assumed = false;
    for (size_t step = 0; step < order.size(); ++step)
        for (const Attribute& a : graph.nodes[order[step]].attributes) {
            if (!a.graph) continue;
            const PeakMemory inner = peak_activation_memory(*a.graph, topological_order(*a.graph));
            nested[step] = std::max(nested[step], inner.bytes);
            nested_assumed = nested_assumed || inner.assumed_size;
        }
    PeakMemory peak = peak_bytes(live_intervals(graph, order), order.size(), nested);
    peak.assumed_size = peak.assumed_size || nested_assumed;
    return peak;
}

}  // namespace winglet::analysis
