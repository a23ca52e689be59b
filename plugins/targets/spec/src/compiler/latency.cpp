#include "latency.hpp"

#include <algorithm>
#include <map>

namespace winglet::spec_target {

namespace {

constexpr double kUsPerS = 1e6;

const std::map<std::string_view, std::string_view>& class_table() {
    static const std::map<std::string_view, std::string_view> table = {
        {"Conv", "conv"}, {"ConvTranspose", "conv"}, {"ConvInteger", "conv"}, {"QLinearConv", "conv"},
        {"Gemm", "matmul"}, {"MatMul", "matmul"}, {"MatMulInteger", "matmul"},
        {"QLinearMatMul", "matmul"}, {"Einsum", "matmul"},
        {"BatchNormalization", "norm"}, {"LayerNormalization", "norm"},
        {"InstanceNormalization", "norm"}, {"GroupNormalization", "norm"},
        {"LpNormalization", "norm"},
        {"MaxPool", "pool"}, {"AveragePool", "pool"}, {"GlobalAveragePool", "pool"},
        {"GlobalMaxPool", "pool"}, {"LpPool", "pool"},
        {"ReduceMean", "reduce"}, {"ReduceSum", "reduce"}, {"ReduceMax", "reduce"},
        {"ReduceMin", "reduce"}, {"ReduceProd", "reduce"}, {"ReduceL2", "reduce"},
        {"Softmax", "reduce"}, {"LogSoftmax", "reduce"}, {"ArgMax", "reduce"}, {"ArgMin", "reduce"},
        {"Reshape", "data_movement"}, {"Transpose", "data_movement"}, {"Concat", "data_movement"},
        {"Split", "data_movement"}, {"Slice", "data_movement"}, {"Gather", "data_movement"},
        {"GatherElements", "data_movement"}, {"GatherND", "data_movement"},
        {"Squeeze", "data_movement"}, {"Unsqueeze", "data_movement"}, {"Flatten", "data_movement"},
        {"Pad", "data_movement"}, {"Expand", "data_movement"}, {"Tile", "data_movement"},
        {"Shape", "data_movement"}, {"Identity", "data_movement"}, {"ScatterND", "data_movement"},
        {"DepthToSpace", "data_movement"}, {"SpaceToDepth", "data_movement"},
        {"Resize", "resize"}, {"Upsample", "resize"},
        {"LSTM", "rnn"}, {"GRU", "rnn"}, {"RNN", "rnn"},
    };
    return table;
}

const device_spec::Efficiency& efficiency_of(const Unit& unit, std::string_view cls) {
    const auto it = unit.efficiency.find(std::string(cls));
    return it != unit.efficiency.end() ? it->second : unit.efficiency.at("default");
}

}  // namespace

std::string_view op_class(std::string_view op_type, bool depthwise) {
    const auto& table = class_table();
    const auto it = table.find(op_type);
    if (it == table.end()) return "elementwise";  // the long tail (Add, Relu, Clip ...) is per element
    return depthwise && it->second == "conv" ? "depthwise_conv" : it->second;
}

DType run_dtype(const Unit& unit, const OpDesc& op) {
    if (op.dtype && unit.supports(*op.dtype)) return *op.dtype;
    const auto slowest = std::min_element(
        unit.peak_ops.begin(), unit.peak_ops.end(),
        [](const auto& a, const auto& b) { return a.second.value < b.second.value; });
    return slowest->first;  // validated: every unit has at least one peak
}

GroupCost group_cost(const Unit& unit, const std::vector<OpDesc>& ops, size_t first, size_t last) {
    const OpDesc& head = ops[first];
    GroupCost c;
    c.dtype = run_dtype(unit, head);
    if (head.folded && first == last) return c;  // no work, no dispatch
    double intermediates = 0;
    for (size_t i = first; i <= last; ++i) {
        const OpDesc& op = ops[i];
        c.ops += op.macs > 0 ? 2 * op.macs : op.flops;
        c.dram_bytes += op.weight_bytes + op.input_bytes + op.output_bytes;
        if (i < last) intermediates += op.output_bytes;
    }
    // Each intermediate would have been written by its producer and read by its consumer.
    c.onchip_bytes = 2 * intermediates;
    c.dram_bytes = std::max(c.dram_bytes - c.onchip_bytes, 0.0);
    const std::string_view cls = op_class(head.type, head.depthwise);
    c.efficiency = efficiency_of(unit, cls).at(c.ops / 2);
    c.compute_us = c.ops / (unit.peak_ops.at(c.dtype).value * c.efficiency) * kUsPerS;
    c.memory_us = c.dram_bytes / unit.bandwidth.value * kUsPerS;
    c.dispatch_us = unit.dispatch_us.value;
    return c;
}

double transition_us(const DeviceSpec& spec, const std::string& from, const std::string& to,
                     double bytes) {
    const device_spec::TransitionCost& t = spec.transition.cost(from, to);
    return t.fixed_us.value + bytes / t.bandwidth.value * kUsPerS;
}

Bound bound_of(double compute_us, double memory_us, double overhead_us) {
    if (overhead_us > std::max(compute_us, memory_us)) return Bound::Overhead;
    return compute_us >= memory_us ? Bound::Compute : Bound::Memory;
}

}  // namespace winglet::spec_target
