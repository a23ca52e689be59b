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

namespace {

// The main graph's inputs that are not initializers (IR < 4 lists initializers as inputs too).
std::vector<onnx::ValueInfoProto*> true_inputs(onnx::GraphProto& g) {
    std::set<std::string> initializers;
    for (const auto& t : g.initializer()) initializers.insert(t.name());
    std::vector<onnx::ValueInfoProto*> inputs;
    for (auto& vi : *g.mutable_input())
        if (!initializers.count(vi.name())) inputs.push_back(&vi);
    return inputs;
}

}  // namespace

void apply_input_shapes(onnx::ModelProto& model, const std::map<std::string, std::vector<int64_t>>& shapes) {
    if (shapes.empty() || !model.has_graph()) return;
    for (onnx::ValueInfoProto* vi : true_inputs(*model.mutable_graph())) {
        const auto it = shapes.find(vi->name());
        if (it == shapes.end() || vi->type().value_case() != onnx::TypeProto::kTensorType) continue;
        onnx::TensorShapeProto* shape = vi->mutable_type()->mutable_tensor_type()->mutable_shape();
        shape->clear_dim();
        for (int64_t d : it->second) shape->add_dim()->set_dim_value(d);
    }
}

std::vector<std::string> unknown_zero_input_dims(onnx::ModelProto& model,
                                                 const std::map<std::string, std::vector<int64_t>>& given) {
    std::vector<std::string> notes;
    if (!model.has_graph()) return notes;
    for (onnx::ValueInfoProto* vi : true_inputs(*model.mutable_graph())) {
        if (given.count(vi->name())) continue;
        if (vi->type().value_case() != onnx::TypeProto::kTensorType || !vi->type().tensor_type().has_shape()) continue;
        auto* dims = vi->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim();
        for (int k = 0; k < dims->size(); ++k) {
            onnx::TensorShapeProto_Dimension& d = (*dims)[k];
            if (!d.has_dim_value() || d.dim_value() != 0) continue;
            d.clear_dim_value();
            notes.push_back("input '" + vi->name() + "' dim " + std::to_string(k));
        }
    }
    return notes;
}

}  // namespace winglet::onnx_importer
