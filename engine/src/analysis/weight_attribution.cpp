#include "analysis/weight_attribution.hpp"

#include "analysis/op_context.hpp"
#include "analysis/shape_math.hpp"

#include <string>
#include <unordered_set>

namespace winglet::analysis {

bool is_parameter_dtype(DType dtype) {
    switch (dtype) {
        case DType::Int32:
        case DType::Int64:
        case DType::Bool:
        case DType::String:
        case DType::Undefined:
            return false;
        default:
            return true;
    }
}

namespace {

// BatchNormalization inputs: X, scale, B, input_mean, input_var.
bool is_running_statistic(const Node& node, size_t input) {
    return is_onnx_op(node, "BatchNormalization") && (input == 3 || input == 4);
}

}  // namespace

void attribute_weights(std::vector<ScheduledOp>& ops) {
    std::unordered_set<const Weight*> counted;
    for (ScheduledOp& op : ops) {
        for (size_t i = 0; i < op.node->inputs.size(); ++i) {
            const Weight* weight = op.graph->weight_of(op.node->inputs[i]);
            if (!weight || !counted.insert(weight).second) continue;
            const std::string what = "weights of op '" + op.report.name + "'";
            op.report.weight_bytes =
                must_fit(checked_add(op.report.weight_bytes, weight_bytes(*weight)), what);
            if (is_parameter_dtype(weight->dtype) && !is_running_statistic(*op.node, i))
                op.report.params =
                    must_fit(checked_add(op.report.params, weight_elements(*weight)), what);
        }
    }
}

}  // namespace winglet::analysis
