#include "compile/memory_plan.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <unordered_map>

namespace winglet {

ArenaPlan plan_arena(const std::vector<Buffer>& buffers) {
    ArenaPlan plan;
    plan.offsets.assign(buffers.size(), 0);
    std::vector<size_t> order(buffers.size());
    std::iota(order.begin(), order.end(), size_t{0});
    // Largest first; ties by earlier start, then input order, so the plan is deterministic.
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        if (buffers[a].bytes != buffers[b].bytes) return buffers[a].bytes > buffers[b].bytes;
        return buffers[a].first_step < buffers[b].first_step;
    });
    std::vector<size_t> placed;
    for (size_t b : order) {
        const Buffer& buf = buffers[b];
        plan.no_reuse_bytes += buf.bytes;
        // Placed buffers alive at the same time, by offset: take the first gap that fits.
        std::vector<size_t> overlapping;
        for (size_t p : placed)
            if (buffers[p].first_step <= buf.last_step && buf.first_step <= buffers[p].last_step) overlapping.push_back(p);
        std::sort(overlapping.begin(), overlapping.end(), [&](size_t x, size_t y) { return plan.offsets[x] < plan.offsets[y]; });
        uint64_t offset = 0;
        for (size_t p : overlapping) {
            if (plan.offsets[p] >= offset + buf.bytes) break;
            offset = std::max(offset, plan.offsets[p] + buffers[p].bytes);
        }
        plan.offsets[b] = offset;
        plan.arena_bytes = std::max(plan.arena_bytes, offset + buf.bytes);
        placed.push_back(b);
    }
    // Peak of live bytes: a sweep over steps.
    std::map<size_t, int64_t> delta;
    for (const Buffer& buf : buffers) {
        delta[buf.first_step] += static_cast<int64_t>(buf.bytes);
        delta[buf.last_step + 1] -= static_cast<int64_t>(buf.bytes);
    }
    int64_t live = 0;
    for (const auto& [step, change] : delta) {
        live += change;
        plan.peak_live_bytes = std::max(plan.peak_live_bytes, static_cast<uint64_t>(std::max<int64_t>(live, 0)));
    }
    return plan;
}

namespace {

struct PlannedOutput {
    size_t op = 0;
    bool first_of_op = false;
};

}  // namespace

void plan_activation_memory(Report& report) {
    if (!report.plan) return;
    auto& ops = report.ops;
    for (const OpReport& op : ops)
        if (!op.compiled) return;

    auto same_group = [&](size_t a, size_t b) {
        return ops[a].compiled->group >= 0 && ops[a].compiled->group == ops[b].compiled->group;
    };
    std::unordered_map<std::string, std::vector<size_t>> readers;  // in execution order
    for (size_t i = 0; i < ops.size(); ++i)
        for (const std::string& name : ops[i].activation_inputs) readers[name].push_back(i);

    std::map<std::string, std::vector<Buffer>> buffers_by_unit;
    std::map<std::string, std::vector<PlannedOutput>> owners_by_unit;
    for (size_t i = 0; i < ops.size(); ++i) {
        const OpReport& op = ops[i];
        if (op.in_subgraph) continue;  // loop bodies reuse their own scratch; not planned
        // The target may run the op in another dtype than the model's (fp32 as int8): its output
        // bytes scale every output of the op.
        const uint64_t device_bytes = op.compiled->device_output_bytes;
        const double scale = device_bytes > 0 && op.output_bytes > 0
                                 ? static_cast<double>(device_bytes) / static_cast<double>(op.output_bytes) : 1.0;
        bool first = true;
        for (size_t k = 0; k < op.output_names.size(); ++k) {
            const uint64_t bytes = k < op.output_value_bytes.size()
                                       ? static_cast<uint64_t>(std::llround(static_cast<double>(op.output_value_bytes[k]) * scale))
                                       : 0;
            if (bytes == 0) continue;
            const bool model_output = k < op.output_is_model_output.size() && op.output_is_model_output[k];
            const auto& who = readers[op.output_names[k]];
            const bool stays_in_group =
                !model_output && !who.empty() && std::all_of(who.begin(), who.end(), [&](size_t r) { return same_group(i, r); });
            if (stays_in_group) continue;
            const size_t end = model_output ? ops.size() - 1 : who.empty() ? i : std::max(who.back(), i);
            buffers_by_unit[op.compiled->unit].push_back({bytes, i, end});
            owners_by_unit[op.compiled->unit].push_back({i, first});
            first = false;
        }
    }

    report.plan->unit_memory.clear();
    for (const UnitPlan& unit : report.plan->units) {
        UnitMemory memory;
        memory.unit = unit.name;
        const auto buffers = buffers_by_unit.find(unit.name);
        if (buffers != buffers_by_unit.end()) {
            const ArenaPlan arena = plan_arena(buffers->second);
            memory.arena_bytes = arena.arena_bytes;
            memory.peak_live_bytes = arena.peak_live_bytes;
            memory.no_reuse_bytes = arena.no_reuse_bytes;
            memory.buffers = buffers->second.size();
            const auto& owners = owners_by_unit[unit.name];
            for (size_t b = 0; b < owners.size(); ++b)
                if (owners[b].first_of_op) ops[owners[b].op].compiled->arena_offset = static_cast<int64_t>(arena.offsets[b]);
        }
        report.plan->unit_memory.push_back(std::move(memory));
    }
}

}  // namespace winglet
