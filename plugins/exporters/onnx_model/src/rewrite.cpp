#include "rewrite.hpp"

#include "decode_graph.hpp"
#include "decoders.hpp"
#include "edits.hpp"
#include "packing.hpp"
#include "tensors.hpp"

#include "onnx/checker.h"
#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"

#include <winglet/plugin.hpp>

#include <climits>
#include <cstring>
#include <exception>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace winglet::onnx_model {
namespace {

using sdk::Error;

// Opsets the decode needs in the default domain.
constexpr int64_t kMinOpset = 7;  // Cast (int `to`), numpy broadcasting, Gather, Tile/Reshape with inputs

bool is_default_domain(const std::string& d) { return d.empty() || d == "ai.onnx"; }

bool is_float_type(int32_t t) {
    return t == onnx::TensorProto::FLOAT || t == onnx::TensorProto::FLOAT16 || t == onnx::TensorProto::DOUBLE ||
           t == onnx::TensorProto::BFLOAT16;
}

// ---- walking the whole model -------------------------------------------------------------------

void refuse_external(const onnx::TensorProto& t) {
    if (t.data_location() != onnx::TensorProto::EXTERNAL) return;
    std::string location;
    for (const auto& kv : t.external_data())
        if (kv.key() == "location") location = kv.value();
    throw Error(WG_ERR_UNSUPPORTED,
                "tensor '" + t.name() + "' is stored in external data" +
                    (location.empty() ? std::string() : " ('" + location + "')") +
                    "; the onnx-model writer only writes models whose tensors are all inside the .onnx "
                    "file (load it with onnx.load and save it without save_as_external_data first)");
}

void refuse_external(const onnx::SparseTensorProto& t) {
    refuse_external(t.values());
    refuse_external(t.indices());
}

void refuse_external(const onnx::GraphProto& g);

void refuse_external(const onnx::NodeProto& n) {
    for (const auto& a : n.attribute()) {
        if (a.has_t()) refuse_external(a.t());
        for (const auto& t : a.tensors()) refuse_external(t);
        if (a.has_sparse_tensor()) refuse_external(a.sparse_tensor());
        for (const auto& t : a.sparse_tensors()) refuse_external(t);
        if (a.has_g()) refuse_external(a.g());
        for (const auto& g : a.graphs()) refuse_external(g);
    }
}

void refuse_external(const onnx::GraphProto& g) {
    for (const auto& t : g.initializer()) refuse_external(t);
    for (const auto& t : g.sparse_initializer()) refuse_external(t);
    for (const auto& n : g.node()) refuse_external(n);
}

void collect_names(const onnx::GraphProto& g, std::unordered_set<std::string>& names) {
    for (const auto& v : g.input()) names.insert(v.name());
    for (const auto& v : g.output()) names.insert(v.name());
    for (const auto& v : g.value_info()) names.insert(v.name());
    for (const auto& t : g.initializer()) names.insert(t.name());
    for (const auto& t : g.sparse_initializer()) names.insert(t.values().name());
    for (const auto& n : g.node()) {
        names.insert(n.name());
        for (const auto& s : n.input()) names.insert(s);
        for (const auto& s : n.output()) names.insert(s);
        for (const auto& a : n.attribute()) {
            if (a.has_g()) collect_names(a.g(), names);
            for (const auto& sub : a.graphs()) collect_names(sub, names);
        }
    }
}

template <class T, class Keep>
void keep_only(google::protobuf::RepeatedPtrField<T>* field, Keep keep) {
    google::protobuf::RepeatedPtrField<T> old;
    old.Swap(field);
    for (T& item : old)
        if (keep(item)) field->Add()->Swap(&item);
}

// ---- the rewrite -------------------------------------------------------------------------------

// Where an edited tensor lives in the main graph.
struct Location {
    onnx::TensorProto* tensor = nullptr;
    bool constant = false;  // the `value` of a Constant node (else an initializer)
};

// The type and shape a decoded name must have, checked by shape inference on the decode alone.
struct Expected {
    std::string name;
    int32_t dtype;
    std::vector<int64_t> dims;
};

class Rewriter {
public:
    explicit Rewriter(onnx::ModelProto& model) : m_(model), g_(*model.mutable_graph()), decode_(opset_of(model), names_of(g_)) {
        for (int i = 0; i < g_.initializer_size(); ++i) initializers_.emplace(g_.initializer(i).name(), i);
        for (int i = 0; i < g_.node_size(); ++i) {
            const onnx::NodeProto& n = g_.node(i);
            if (n.op_type() == "Constant" && is_default_domain(n.domain()) && n.output_size() == 1)
                constants_.emplace(n.output(0), i);
        }
        for (const auto& v : g_.sparse_initializer()) sparse_.insert(v.values().name());
    }

    void apply(const TensorEdit& e) {
        const Location loc = locate(e.name);
        onnx::TensorProto& t = *loc.tensor;
        const int32_t dtype = t.data_type();
        if (!is_float_type(dtype))
            throw Error(WG_ERR_UNSUPPORTED, e.where() + " is " + dtype_name(dtype) +
                                                "; only float32, float16, bfloat16 and float64 weights can be "
                                                "replaced by a compressed form");
        if (e.original_dtype != WG_DTYPE_UNDEFINED && static_cast<int32_t>(e.original_dtype) != dtype)
            throw Error(WG_ERR_INVALID_ARGUMENT, e.where() + " is " + dtype_name(dtype) + " in the model, the edit says " +
                                                     dtype_name(static_cast<int32_t>(e.original_dtype)));
        if (tensor_dims(t) != e.dims)
            throw Error(WG_ERR_INVALID_ARGUMENT, e.where() + " has shape " + dims_text(tensor_dims(t)) +
                                                     " in the model, the edit has " + dims_text(e.dims));
        const int64_t opset = decode_.opset();
        // Stored as is (DENSE, and anything without elements): the payload becomes `decoded`.
        const bool sparse = has_sparse_form(e);
        if (e.count == 0 || (e.encoding == WG_ENCODING_DENSE && !sparse)) {
            replace_float_payload(t, e.decoded, e.count);
            return;
        }
        if (sparse && opset < kSparseOpset) {
            const std::string which = opset == 0 ? std::string("the model imports no ai.onnx opset, so it has")
                                                 : "the model's ai.onnx opset " + std::to_string(opset) + " has";
            warnings_.push_back(e.where() + " is pruned, but " + which +
                                " no CumSum (opset 11) to decode the sparse form the report's storage assumes: "
                                "written dense, " + std::to_string(e.count * static_cast<uint64_t>(dtype_size(dtype))) +
                                " bytes (sparse: " + std::to_string(sparse_payload_bytes(e)) + ")");
            replace_float_payload(t, e.decoded, e.count);
            return;
        }
        if (opset == 0)
            throw Error(WG_ERR_UNSUPPORTED, "the model imports no default-domain (ai.onnx) opset, so " + e.where() +
                                                " cannot be decoded by standard operators");
        if (opset < kMinOpset)
            throw Error(WG_ERR_UNSUPPORTED, "the model's ai.onnx opset is " + std::to_string(opset) +
                                                "; decoding compressed weights needs opset 7 or newer");
        if (loc.constant)
            removed_constants_.insert(e.name);
        else
            removed_initializers_.insert(e.name);
        removed_inputs_.insert(e.name);
        // The decode computes float32; a weight of another float type gets a Cast to it at the end.
        const std::string out = dtype == onnx::TensorProto::FLOAT ? e.name : decode_.fresh(e.name + "_decoded");
        if (e.encoding == WG_ENCODING_LINEAR)
            decode_linear(e, out, decode_, packed_);
        else if (e.encoding == WG_ENCODING_LUT)
            decode_lut(e, out, decode_, packed_);
        else
            decode_sparse(e, out, decode_, packed_);
        if (out != e.name) decode_.cast(DecodeGraph::Section::Tensor, out, dtype, e.name);
        expected_.push_back({e.name, dtype, e.dims});
    }

    // Puts the new initializers and nodes in the graph and takes out what they replace.
    void finish() {
        packed_.emit(decode_);
        keep_only(g_.mutable_initializer(),
                  [&](const onnx::TensorProto& t) { return !removed_initializers_.count(t.name()); });
        keep_only(g_.mutable_input(), [&](const onnx::ValueInfoProto& v) { return !removed_inputs_.count(v.name()); });
        for (onnx::TensorProto& t : decode_.initializers()) {
            // IR < 4: every initializer is also a graph input.
            if (m_.ir_version() < 4) *g_.add_input() = make_value_info(t.name(), t.data_type(), tensor_dims(t));
            g_.add_initializer()->Swap(&t);
        }
        // Decode nodes first: they read only initializers, so the order stays topological.
        std::vector<onnx::NodeProto> decode_nodes = decode_.take_nodes();
        new_node_count_ = decode_nodes.size();
        google::protobuf::RepeatedPtrField<onnx::NodeProto> old;
        old.Swap(g_.mutable_node());
        for (onnx::NodeProto& n : decode_nodes) g_.add_node()->Swap(&n);
        for (onnx::NodeProto& n : old) {
            const bool removed = n.op_type() == "Constant" && is_default_domain(n.domain()) && n.output_size() == 1 &&
                                 removed_constants_.count(n.output(0));
            if (!removed) g_.add_node()->Swap(&n);
        }
    }

    // Strict shape inference on the decode nodes alone: every decoded name must come out with
    // the type and shape of the tensor it replaces.
    void check_decode() const {
        if (expected_.empty()) return;
        onnx::ModelProto probe;
        probe.set_ir_version(8);
        *probe.mutable_opset_import() = m_.opset_import();
        onnx::GraphProto* g = probe.mutable_graph();
        g->set_name("winglet_decode_check");
        for (const auto& t : g_.initializer())
            if (decode_.initializer_names().count(t.name())) *g->add_initializer() = t;
        for (int i = 0; i < static_cast<int>(new_node_count_); ++i) *g->add_node() = g_.node(i);
        try {
            onnx::ShapeInferenceOptions options(/*check_type=*/true, /*error_mode=*/1, /*enable_data_propagation=*/false);
            onnx::shape_inference::InferShapes(probe, onnx::OpSchemaRegistry::Instance(), options);
        } catch (const std::exception& ex) {
            throw Error(WG_ERR_INTERNAL, std::string("ONNX shape inference rejects the decode nodes: ") + ex.what());
        }
        std::unordered_map<std::string, const onnx::TypeProto*> inferred;
        for (const auto& v : probe.graph().value_info()) inferred[v.name()] = &v.type();
        for (const Expected& x : expected_) {
            const auto it = inferred.find(x.name);
            bool ok = it != inferred.end() && it->second->has_tensor_type() &&
                      it->second->tensor_type().elem_type() == x.dtype && it->second->tensor_type().has_shape() &&
                      it->second->tensor_type().shape().dim_size() == static_cast<int>(x.dims.size());
            for (size_t d = 0; ok && d < x.dims.size(); ++d) {
                const auto& dim = it->second->tensor_type().shape().dim(static_cast<int>(d));
                ok = dim.has_dim_value() && dim.dim_value() == x.dims[d];
            }
            if (!ok)
                throw Error(WG_ERR_INTERNAL, "the decode of tensor '" + x.name + "' does not infer to " +
                                                 dtype_name(x.dtype) + dims_text(x.dims));
        }
    }

    const std::vector<std::string>& warnings() const { return warnings_; }

private:
    static int64_t opset_of(const onnx::ModelProto& m) {
        int64_t opset = 0;
        for (const auto& o : m.opset_import())
            if (is_default_domain(o.domain())) opset = o.version();
        return opset;
    }

    static std::unordered_set<std::string> names_of(const onnx::GraphProto& g) {
        std::unordered_set<std::string> names;
        collect_names(g, names);
        return names;
    }

    Location locate(const std::string& name) {
        if (!done_.insert(name).second)
            throw Error(WG_ERR_INVALID_ARGUMENT, "tensor '" + name + "' is edited twice");
        if (const auto it = initializers_.find(name); it != initializers_.end())
            return {g_.mutable_initializer(it->second), false};
        if (const auto it = constants_.find(name); it != constants_.end()) {
            onnx::NodeProto* n = g_.mutable_node(it->second);
            for (auto& a : *n->mutable_attribute())
                if (a.name() == "value" && a.has_t()) return {a.mutable_t(), true};
            throw Error(WG_ERR_UNSUPPORTED, "tensor '" + name +
                                                "' is the output of a Constant node without a `value` tensor "
                                                "attribute; only `value` Constants can be replaced");
        }
        if (sparse_.count(name))
            throw Error(WG_ERR_UNSUPPORTED, "tensor '" + name + "' is a sparse initializer; those cannot be replaced");
        throw Error(WG_ERR_INVALID_ARGUMENT, "tensor '" + name +
                                                 "' is neither an initializer nor the output of a Constant node in "
                                                 "the model's main graph");
    }

    onnx::ModelProto& m_;
    onnx::GraphProto& g_;
    DecodeGraph decode_;
    PackedFields packed_;
    std::unordered_set<std::string> sparse_, done_;
    std::unordered_map<std::string, int> initializers_, constants_;
    std::unordered_set<std::string> removed_initializers_, removed_constants_, removed_inputs_;
    size_t new_node_count_ = 0;
    std::vector<Expected> expected_;
    std::vector<std::string> warnings_;
};

onnx::ModelProto parse(const wg_model_edit& edit) {
    onnx::ModelProto model;
    if (!model.ParseFromArray(edit.source_data, static_cast<int>(edit.source_size)))
        throw Error(WG_ERR_FORMAT, "not an ONNX model: the source bytes do not parse as an ONNX ModelProto");
    if (!model.has_graph())
        throw Error(WG_ERR_FORMAT, "not an ONNX model: the source has no graph");
    return model;
}

void check(const onnx::ModelProto& model, const wg_model_edit& edit) {
    try {
        onnx::checker::check_model(model);
        return;
    } catch (const onnx::checker::ValidationError& e) {
        // Blame the source when it fails too (an IR version newer than libonnx 1.12 knows, ...).
        std::string source_failure;
        try {
            onnx::checker::check_model(parse(edit));
        } catch (const onnx::checker::ValidationError& s) {
            source_failure = s.what();
        }
        if (!source_failure.empty())
            throw Error(WG_ERR_UNSUPPORTED,
                        "the source model fails the ONNX checker (libonnx 1.12), so the written model cannot be "
                        "validated: " + source_failure);
        throw Error(WG_ERR_INTERNAL, std::string("the written model fails the ONNX checker: ") + e.what());
    }
}

}  // namespace

std::string write_compressed_model(const wg_model_edit& edit, const std::string& plugin_version,
                                   std::vector<std::string>* warnings) {
    const std::string format = edit.source_format ? edit.source_format : "";
    if (format != "onnx")
        throw Error(WG_ERR_UNSUPPORTED, "the onnx-model writer rewrites ONNX models only; the source model is '" +
                                            format + "'");
    if (!edit.source_data || edit.source_size == 0)
        throw Error(WG_ERR_FORMAT, "not an ONNX model: the source is empty");
    if (edit.source_size > static_cast<uint64_t>(INT_MAX))
        throw Error(WG_ERR_UNSUPPORTED, "the source model is larger than protobuf's 2 GiB limit (it would need "
                                        "external data, which the onnx-model writer does not write)");
    if (edit.tensor_count && !edit.tensors) throw Error(WG_ERR_INVALID_ARGUMENT, "model edit without its tensor list");
    std::vector<TensorEdit> edits;
    edits.reserve(edit.tensor_count);
    for (uint64_t i = 0; i < edit.tensor_count; ++i) edits.push_back(read_edit(edit.tensors[i], i));

    onnx::ModelProto model = parse(edit);
    refuse_external(model.graph());
    for (const auto& f : model.functions())
        for (const auto& n : f.node()) refuse_external(n);

    Rewriter rewriter(model);
    for (const TensorEdit& e : edits) rewriter.apply(e);
    rewriter.finish();

    const std::string source_producer = model.producer_name() +
                                        (model.producer_version().empty() ? "" : " " + model.producer_version());
    if (!source_producer.empty()) {
        onnx::StringStringEntryProto* entry = model.add_metadata_props();
        entry->set_key(kSourceProducerKey);
        entry->set_value(source_producer);
        // A model written twice keeps the first source's producer.
        for (int i = 0; i + 1 < model.metadata_props_size(); ++i)
            if (model.metadata_props(i).key() == kSourceProducerKey) {
                model.mutable_metadata_props()->RemoveLast();
                break;
            }
    }
    model.set_producer_name("winglet");
    const char* producer = edit.producer && *edit.producer ? edit.producer : nullptr;
    model.set_producer_version(producer ? producer : "winglet " + plugin_version);

    check(model, edit);
    rewriter.check_decode();
    if (warnings) *warnings = rewriter.warnings();

    if (model.ByteSizeLong() > static_cast<size_t>(INT_MAX))
        throw Error(WG_ERR_UNSUPPORTED, "the written model is larger than protobuf's 2 GiB limit");
    std::string out;
    if (!model.SerializeToString(&out)) throw Error(WG_ERR_INTERNAL, "serializing the written model failed");
    return out;
}

}  // namespace winglet::onnx_model
