#include "analysis/op_costing.hpp"

#include "analysis/cost_rules.hpp"
#include "analysis/op_context.hpp"
#include "analysis/shape_math.hpp"

#include <algorithm>

namespace winglet::analysis {

namespace {

// Sums the bytes of the distinct activations among `values` (a value read twice is read once),
// noting the dims it had to assume.
uint64_t activation_bytes(const OpContext& op, const std::vector<const Value*>& values,
                          OpReport& report, AnalysisNotes& notes) {
    uint64_t bytes = 0;
    for (size_t i = 0; i < values.size(); ++i) {
        const Value* v = values[i];
        if (!v || v->is_weight() ||
            std::find(values.begin(), values.begin() + i, v) != values.begin() + i)
            continue;
        const auto size = checked_value_bytes(*v);
        if (!size) value_size_overflow(*v, op.label());
        bytes = op.add(bytes, *size);
        for (const std::string& symbol : assumed_symbols(v->shape)) {
            report.assumed_dims = true;
            notes.assumed_dims.insert(symbol);
        }
    }
    return bytes;
}

}  // namespace

OpReport cost_op(const Graph& graph, const Node& node, AnalysisNotes& notes) {
    OpContext op(graph, node);
    OpReport report;
    report.name = node.name;
    report.op_type = node.op_type;
    report.domain = node.domain;

    std::vector<const Value*> inputs, outputs;
    for (size_t i = 0; i < node.inputs.size(); ++i) {
        const Value* v = op.input(i);
        inputs.push_back(v);
        if (v && !v->is_weight()) report.activation_inputs.push_back(v->name);
    }
    for (size_t i = 0; i < node.outputs.size(); ++i) {
        const Value* v = op.output(i);
        outputs.push_back(v);
        if (!v) continue;
        report.output_names.push_back(v->name);
        report.output_shapes.push_back(v->shape);
        report.output_value_bytes.push_back(v->is_weight() ? 0 : checked_value_bytes(*v).value_or(0));
        report.output_is_model_output.push_back(v->is_graph_output);
    }
    report.input_bytes = activation_bytes(op, inputs, report, notes);
    report.output_bytes = activation_bytes(op, outputs, report, notes);

    if (const CostRule* rule = find_cost_rule(node.domain, node.op_type)) {
        const OpCost cost = rule->estimate(op);
        report.has_cost_rule = true;
        report.cost_rule = std::string(rule->name);
        report.macs = cost.macs;
        report.flops = cost.flops;
    }
    notes.warnings.insert(notes.warnings.end(), op.warnings().begin(), op.warnings().end());
    return report;
}

}  // namespace winglet::analysis
