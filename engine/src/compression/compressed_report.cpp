#include "compression/compressed_report.hpp"

#include "analysis/op_walk.hpp"
#include "graph/topology.hpp"

#include <winglet/plugin.h>

#include <cmath>
#include <deque>
#include <set>
#include <unordered_map>

namespace winglet {
namespace {

// Ops that keep a channel a channel: losing channels upstream removes the same share of their work.
const std::set<std::string> kPerChannel = {
    "Relu", "LeakyRelu", "PRelu", "Clip", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "Elu", "Selu", "Softplus",
    "BatchNormalization", "InstanceNormalization", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
    "LpPool", "Identity", "Dropout", "Flatten"};

uint64_t scaled(uint64_t v, double f) { return static_cast<uint64_t>(std::llround(static_cast<double>(v) * f)); }

int64_t group_of(const Node& node) {
    const Attribute* a = node.attribute("group");
    return a ? a->i : 1;
}

// Scales the work of the pruned op (fraction `f` of its output channels kept) and of the ops its
// channels flow into, until an op that sums over them (a dense Conv, Gemm, MatMul: its own output
// keeps its width) or an op that mixes them with something else.
void prune_downstream(Report& r, const std::vector<analysis::ScheduledOp>& ops, size_t pruned, double f) {
    std::unordered_map<std::string, std::vector<size_t>> readers;
    for (size_t i = 0; i < r.ops.size(); ++i)
        for (const std::string& name : r.ops[i].activation_inputs) readers[name].push_back(i);
    r.ops[pruned].macs = scaled(r.ops[pruned].macs, f);
    r.ops[pruned].flops = scaled(r.ops[pruned].flops, f);
    std::deque<size_t> frontier{pruned};
    std::set<size_t> seen{pruned};
    while (!frontier.empty()) {
        const size_t from = frontier.front();
        frontier.pop_front();
        for (const std::string& out : r.ops[from].output_names)
            for (size_t i : readers[out]) {
                if (!seen.insert(i).second || i >= ops.size()) continue;
                OpReport& op = r.ops[i];
                const bool depthwise = op.op_type == "Conv" && group_of(*ops[i].node) > 1;
                if (op.op_type == "Conv" || op.op_type == "Gemm" || op.op_type == "MatMul" || op.op_type == "ConvTranspose") {
                    op.macs = scaled(op.macs, f);
                    op.flops = scaled(op.flops, f);
                    if (depthwise) frontier.push_back(i);
                } else if (kPerChannel.count(op.op_type) && op.activation_inputs.size() == 1) {
                    op.flops = scaled(op.flops, f);
                    op.macs = scaled(op.macs, f);
                    frontier.push_back(i);
                }
            }
    }
}

}  // namespace

double kept_channel_fraction(const std::vector<float>& values, const std::vector<int64_t>& dims, int axis) {
    if (dims.empty() || axis < 0 || axis >= static_cast<int>(dims.size()) || dims[axis] == 0) return 1.0;
    int64_t inner = 1;
    for (size_t d = axis + 1; d < dims.size(); ++d) inner *= dims[d];
    const int64_t channels = dims[axis], outer = static_cast<int64_t>(values.size()) / (channels * inner);
    std::vector<bool> alive(static_cast<size_t>(channels), false);
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t c = 0; c < channels; ++c)
            for (int64_t k = 0; k < inner && !alive[c]; ++k)
                alive[c] = values[static_cast<size_t>((o * channels + c) * inner + k)] != 0.0f;
    int64_t kept = 0;
    for (bool a : alive) kept += a;
    return static_cast<double>(kept) / static_cast<double>(channels);
}

Report compressed_report(const Model& model, const Report& inspect_report, const CompressionResult& result) {
    Report r = inspect_report;
    r.plan.reset();
    r.baseline.reset();
    for (OpReport& op : r.ops) op.compiled.reset();
    const std::vector<analysis::ScheduledOp> ops = [&] {
        analysis::AnalysisNotes notes;
        return analysis::walk_ops(model.graph, topological_order(model.graph), notes);
    }();
    for (size_t i = 0; i < r.ops.size() && i < result.ops.size(); ++i) {
        const auto& c = result.ops[i];
        if (!c) continue;
        OpReport& op = r.ops[i];
        op.compression = c;
        const uint64_t original_bytes = (c->original_bits + 7) / 8, stored_bytes = (c->compressed->storage_bits + 7) / 8;
        // The weight's bytes sit with the op that reads it first (the analysis' convention).
        if (op.weight_bytes >= original_bytes) op.weight_bytes = op.weight_bytes - original_bytes + stored_bytes;
        if (c->compressed->sparsity_pattern == WG_SPARSITY_CHANNELS) {
            const double f = kept_channel_fraction(c->compressed->decoded, c->dims, c->channel_axis);
            if (f < 1.0) prune_downstream(r, ops, i, f);
        }
    }
    r.totals.macs = r.totals.flops = r.totals.weight_bytes = 0;
    for (const OpReport& op : r.ops) {
        r.totals.macs += static_cast<uint64_t>(std::llround(static_cast<double>(op.macs) * op.multiplier));
        r.totals.flops += static_cast<uint64_t>(std::llround(static_cast<double>(op.flops) * op.multiplier));
        r.totals.weight_bytes += op.weight_bytes;
    }
    r.warnings.insert(r.warnings.end(), result.warnings.begin(), result.warnings.end());
    return r;
}

}  // namespace winglet
