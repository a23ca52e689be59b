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

// A 2:4 sparse weight: n:m with at most 2 of every 4 kept, which the 2:4 format holds.
bool fits_2_4(const OpDesc& op) {
    return op.sparsity == Sparsity::n_m && op.sparsity_m == 4 && op.sparsity_n >= 1 && op.sparsity_n <= 2;
}

}  // namespace

double skipped_mac_ops(const Unit& unit, const OpDesc& op, DType run) {
    if (!(op.macs > 0)) return 0;
    const double mac_ops = 2 * op.macs;
    double skipped = 0;
    if (unit.sparse_2_4_in(run) && fits_2_4(op)) skipped = mac_ops / 2;
    // Channel pruning is not here: the host already removed the pruned channels' MACs.
    if (unit.sparsity_unstructured && (op.sparsity == Sparsity::unstructured || op.sparsity == Sparsity::n_m))
        skipped = std::max(skipped, mac_ops * std::clamp(op.sparsity_fraction, 0.0, 1.0));
    return skipped;
}

double decode_ops(const Unit& unit, const OpDesc& op, DType run) {
    const double lut = unit.decode_ops_lut ? unit.decode_ops_lut->value : device_spec::kDefaultDecodeOps;
    const double dequantize =
        unit.decode_ops_dequantize ? unit.decode_ops_dequantize->value : device_spec::kDefaultDecodeOps;
    // Running in int8 on 8-bit codes computes on the codes: the scale applies to the outputs.
    const bool on_codes = run == DType::int8 && op.weight_dtype == DType::int8;
    return op.lut_elements * lut + (on_codes ? 0 : op.dequantize_elements * dequantize);
}

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

GroupCost group_cost(const DeviceSpec& spec, const Unit& unit, const std::vector<OpDesc>& ops, size_t first,
                     size_t last) {
    const OpDesc& head = ops[first];
    GroupCost c;
    c.dtype = run_dtype(unit, head);
    if (head.folded && first == last) return c;  // no work, no dispatch
    for (size_t i = first; i <= last; ++i) {
        const OpDesc& op = ops[i];
        c.dense_ops += op.macs > 0 ? 2 * op.macs : op.flops;
        c.skipped_ops += skipped_mac_ops(unit, op, c.dtype);
        c.decode_ops += decode_ops(unit, op, c.dtype);
    }
    c.ops = c.dense_ops - c.skipped_ops + c.decode_ops;
    // How full the unit gets depends on the layer's size, so the dense MACs pick the efficiency.
    const std::string_view cls = op_class(head.type, head.depthwise);
    c.efficiency = efficiency_of(unit, cls).at(c.dense_ops / 2);
    c.compute_us = c.ops / (unit.peak_ops.at(c.dtype).value * c.efficiency) * kUsPerS;
    c.traffic = group_traffic(spec, unit, ops, first, last);
    c.memory_us = traffic_us(spec, unit, c.traffic, true);
    c.memory_us_without_spill = traffic_us(spec, unit, c.traffic, false);
    c.dispatch_us = unit.dispatch_us.value;
    return c;
}

double GroupCost::spill_us() const {
    return std::max(compute_us, memory_us) - std::max(compute_us, memory_us_without_spill);
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
