#include "dim_overrides.hpp"

#include "graph_order.hpp"

#include <set>

namespace winglet::onnx_importer {

namespace {

void override_type(onnx::TypeProto& type, const std::map<std::string, int64_t>& overrides,
                   std::set<std::string>& used) {
    onnx::TensorShapeProto* shape = nullptr;
    switch (type.value_case()) {
        case onnx::TypeProto::kTensorType:
            if (type.tensor_type().has_shape()) shape = type.mutable_tensor_type()->mutable_shape();
            break;
        case onnx::TypeProto::kSparseTensorType:
            if (type.sparse_tensor_type().has_shape())
                shape = type.mutable_sparse_tensor_type()->mutable_shape();
            break;
        case onnx::TypeProto::kSequenceType:
            if (type.sequence_type().has_elem_type())
                override_type(*type.mutable_sequence_type()->mutable_elem_type(), overrides, used);
            return;
        case onnx::TypeProto::kOptionalType:
            if (type.optional_type().has_elem_type())
                override_type(*type.mutable_optional_type()->mutable_elem_type(), overrides, used);
            return;
        default:
            return;
    }
    if (!shape) return;
    for (auto& dim : *shape->mutable_dim()) {
        if (!dim.has_dim_param()) continue;
        auto it = overrides.find(dim.dim_param());
        if (it == overrides.end()) continue;
        used.insert(it->first);
        dim.set_dim_value(it->second);  // the oneof drops dim_param
    }
}

void override_graph(onnx::GraphProto& g, const std::map<std::string, int64_t>& overrides,
                    std::set<std::string>& used, int depth) {
    if (depth > kMaxDepth) return;
    for (auto* list : {g.mutable_input(), g.mutable_output(), g.mutable_value_info()})
        for (auto& vi : *list)
            if (vi.has_type()) override_type(*vi.mutable_type(), overrides, used);
    for (auto& node : *g.mutable_node())
        for (auto& attr : *node.mutable_attribute()) {
            if (attr.has_g()) override_graph(*attr.mutable_g(), overrides, used, depth + 1);
            for (auto& sub : *attr.mutable_graphs()) override_graph(sub, overrides, used, depth + 1);
        }
}

}  // namespace

std::vector<std::string> apply_dim_overrides(onnx::ModelProto& model,
                                             const std::map<std::string, int64_t>& overrides) {
    std::vector<std::string> unused;
    if (overrides.empty()) return unused;
    std::set<std::string> used;
    if (model.has_graph()) override_graph(*model.mutable_graph(), overrides, used, 0);
    for (const auto& kv : overrides)
        if (!used.count(kv.first)) unused.push_back(kv.first);
    return unused;
}

}  // namespace winglet::onnx_importer
