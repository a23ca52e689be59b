#include "infer.hpp"

#include "graph_order.hpp"
#include "isolated_inference.hpp"

#include "onnx/defs/schema.h"

#include <chrono>
#include <cstdint>
#include <vector>

namespace winglet::onnx_importer {

namespace {

std::string normalize_domain(const std::string& d) { return d == "ai.onnx" ? std::string() : d; }

// Symbolic dims: libonnx names the unknown dims it derives "unk__<n>". Those are not the
// model's: --dim cannot set them (overrides apply before inference), so after inference they become
// anonymous unknown dims again. Symbols the model itself declares are kept.
void for_each_shape(onnx::TypeProto& type, const std::function<void(onnx::TensorShapeProto&)>& fn) {
    switch (type.value_case()) {
        case onnx::TypeProto::kTensorType:
            if (type.tensor_type().has_shape()) fn(*type.mutable_tensor_type()->mutable_shape());
            break;
        case onnx::TypeProto::kSparseTensorType:
            if (type.sparse_tensor_type().has_shape())
                fn(*type.mutable_sparse_tensor_type()->mutable_shape());
            break;
        case onnx::TypeProto::kSequenceType:
            if (type.sequence_type().has_elem_type())
                for_each_shape(*type.mutable_sequence_type()->mutable_elem_type(), fn);
            break;
        case onnx::TypeProto::kOptionalType:
            if (type.optional_type().has_elem_type())
                for_each_shape(*type.mutable_optional_type()->mutable_elem_type(), fn);
            break;
        default:
            break;
    }
}

void for_each_value_shape(onnx::ModelProto& model,
                          const std::function<void(onnx::TensorShapeProto&)>& fn) {
    std::vector<onnx::GraphProto*> graphs;
    collect_graphs(*model.mutable_graph(), graphs, 0);
    for (onnx::GraphProto* g : graphs)
        for (auto* list : {g->mutable_input(), g->mutable_output(), g->mutable_value_info()})
            for (auto& vi : *list)
                if (vi.has_type()) for_each_shape(*vi.mutable_type(), fn);
}

NameSet declared_dim_params(onnx::ModelProto& model) {
    NameSet names;
    for_each_value_shape(model, [&](onnx::TensorShapeProto& shape) {
        for (const auto& d : shape.dim())
            if (d.has_dim_param()) names.insert(d.dim_param());
    });
    return names;
}

void drop_generated_dim_params(onnx::ModelProto& model, const NameSet& declared) {
    for_each_value_shape(model, [&](onnx::TensorShapeProto& shape) {
        for (auto& d : *shape.mutable_dim())
            if (d.has_dim_param() && !declared.count(d.dim_param())) d.clear_dim_param();
    });
}

}  // namespace

InferenceResult infer_shapes_guarded(onnx::ModelProto& model, const WarnFn& warn) {
    InferenceResult r;
    std::vector<std::string> reasons;
    const int64_t known_ir = static_cast<int64_t>(onnx::IR_VERSION);
    if (model.ir_version() > known_ir)
        reasons.push_back("IR version " + std::to_string(model.ir_version()) +
                          " is newer than libonnx 1.12 knows (" + std::to_string(known_ir) + ")");
    const auto& ranges = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
    for (const auto& op : model.opset_import()) {
        const std::string domain = normalize_domain(op.domain());
        auto it = ranges.find(domain);
        if (it == ranges.end()) continue;  // custom domains: libonnx has no schemas anyway
        // A newer opset may have changed an operator's inputs or attributes (ReduceMean-18 takes
        // axes as an input): libonnx would apply the old rule and infer wrong shapes.
        if (op.version() > it->second.second)
            reasons.push_back("opset " + std::to_string(op.version()) + " of domain '" +
                              (domain.empty() ? std::string("ai.onnx") : domain) +
                              "' is newer than libonnx 1.12 knows (" +
                              std::to_string(it->second.second) + ")");
    }
    for (const auto& reason : reasons)
        r.skipped_because += (r.skipped_because.empty() ? "" : "; ") + reason;
    if (!r.skipped_because.empty()) {
        warn("ONNX shape inference skipped: " + r.skipped_because +
             "; shapes come from winglet's own rules");
        return r;
    }

    const auto t0 = std::chrono::steady_clock::now();
    const ChildOutcome outcome = infer_isolated(model, /*timeout_seconds=*/120);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    if (!outcome.finished) {
        r.ran = true;
        warn("ONNX shape inference failed (" + outcome.failure +
             "); shapes come from winglet's own rules");
        return r;
    }
    if (outcome.status == kSkipped) {
        r.skipped_because = outcome.message;
        warn("ONNX shape inference skipped: " + outcome.message +
             "; shapes come from winglet's own rules");
        return r;
    }
    r.ran = true;
    const NameSet declared = declared_dim_params(model);
    const bool applied = apply_payload(model, outcome.payload);
    drop_generated_dim_params(model, declared);
    if (!applied) {
        warn("ONNX shape inference returned types that do not fit the model; shapes come from "
             "winglet's own rules");
        return r;
    }
    if (outcome.status == kThrew)
        warn("ONNX shape inference stopped early (" + outcome.message +
             "); remaining shapes come from winglet's own rules");
    else
        r.completed = true;
    return r;
}

}  // namespace winglet::onnx_importer
