#include "rewrite.hpp"

#include "edits.hpp"
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
constexpr int64_t kMinOpset = 7;            // Cast (int `to`), Sub/Mul/Add with broadcasting, Gather
constexpr int64_t kDequantizeOpset = 10;    // DequantizeLinear, per tensor
constexpr int64_t kPerAxisDequantizeOpset = 13;  // DequantizeLinear with `axis` and 1-D scales

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
    explicit Rewriter(onnx::ModelProto& model) : m_(model), g_(*model.mutable_graph()) {
        collect_names(g_, names_);
        for (int i = 0; i < g_.initializer_size(); ++i) initializers_.emplace(g_.initializer(i).name(), i);
        for (int i = 0; i < g_.node_size(); ++i) {
            const onnx::NodeProto& n = g_.node(i);
            if (n.op_type() == "Constant" && is_default_domain(n.domain()) && n.output_size() == 1)
                constants_.emplace(n.output(0), i);
        }
        for (const auto& v : g_.sparse_initializer()) sparse_.insert(v.values().name());
        for (const auto& o : m_.opset_import())
            if (is_default_domain(o.domain())) opset_ = o.version();
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
        if (e.encoding == WG_ENCODING_DENSE) {
            replace_float_payload(t, e.decoded, e.count);
            return;
        }
        if (opset_ == 0)
            throw Error(WG_ERR_UNSUPPORTED, "the model imports no default-domain (ai.onnx) opset, so " + e.where() +
                                                " cannot be decoded by standard operators");
        if (opset_ < kMinOpset)
            throw Error(WG_ERR_UNSUPPORTED, "the model's ai.onnx opset is " + std::to_string(opset_) +
                                                "; decoding compressed weights needs opset 7 or newer");
        if (loc.constant)
            removed_constants_.insert(e.name);
        else
            removed_initializers_.insert(e.name);
        removed_inputs_.insert(e.name);
        // The decode computes float32; a weight of another float type gets a Cast to it at the end.
        const std::string out = dtype == onnx::TensorProto::FLOAT ? e.name : fresh(e.name + "_decoded");
        if (e.encoding == WG_ENCODING_LINEAR)
            decode_linear(e, out);
        else
            decode_lut(e, out);
        if (out != e.name) {
            onnx::NodeProto& cast = node("Cast", {out}, {e.name}, e.name);
            add_int_attribute(cast, "to", dtype);
        }
        if (e.bits < 8) narrow_.push_back(e.name + ":" + std::to_string(e.bits));
        expected_.push_back({e.name, dtype, e.dims});
    }

    // Puts the new initializers and nodes in the graph and takes out what they replace.
    void finish() {
        keep_only(g_.mutable_initializer(),
                  [&](const onnx::TensorProto& t) { return !removed_initializers_.count(t.name()); });
        keep_only(g_.mutable_input(), [&](const onnx::ValueInfoProto& v) { return !removed_inputs_.count(v.name()); });
        for (onnx::TensorProto& t : new_initializers_) {
            // IR < 4: every initializer is also a graph input.
            if (m_.ir_version() < 4) *g_.add_input() = make_value_info(t.name(), t.data_type(), tensor_dims(t));
            g_.add_initializer()->Swap(&t);
        }
        // Decode nodes first: they read only initializers, so the order stays topological.
        google::protobuf::RepeatedPtrField<onnx::NodeProto> old;
        old.Swap(g_.mutable_node());
        for (onnx::NodeProto& n : new_nodes_) g_.add_node()->Swap(&n);
        for (onnx::NodeProto& n : old) {
            const bool removed = n.op_type() == "Constant" && is_default_domain(n.domain()) && n.output_size() == 1 &&
                                 removed_constants_.count(n.output(0));
            if (!removed) g_.add_node()->Swap(&n);
        }
        if (!narrow_.empty()) {
            std::string list;
            for (const std::string& s : narrow_) list += (list.empty() ? "" : ",") + s;
            onnx::StringStringEntryProto* entry = nullptr;
            for (auto& kv : *m_.mutable_metadata_props())
                if (kv.key() == kNarrowStorageKey) entry = &kv;
            if (entry) {
                if (!entry->value().empty()) list = entry->value() + "," + list;
            } else {
                entry = m_.add_metadata_props();
                entry->set_key(kNarrowStorageKey);
            }
            entry->set_value(list);
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
            if (new_initializer_names_.count(t.name())) *g->add_initializer() = t;
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

private:
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

    // `base`, or base_1, base_2, ... : a name no value, initializer or node of the model uses.
    std::string fresh(const std::string& base) {
        std::string name = base;
        for (uint64_t i = 1; names_.count(name); ++i) name = base + "_" + std::to_string(i);
        names_.insert(name);
        return name;
    }

    std::string initializer(const std::string& base, int32_t dtype, const std::vector<int64_t>& dims, const void* data,
                            size_t bytes, const std::string& doc = {}) {
        const std::string name = fresh(base);
        new_initializers_.push_back(make_tensor(name, dtype, dims, data, bytes));
        if (!doc.empty()) new_initializers_.back().set_doc_string(doc);
        new_initializer_names_.insert(name);
        return name;
    }

    onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& inputs,
                          const std::vector<std::string>& outputs, const std::string& tensor) {
        new_nodes_.push_back(make_node(op, inputs, outputs, fresh("winglet_decode/" + tensor + "/" + op)));
        ++new_node_count_;
        return new_nodes_.back();
    }

    std::string cast(const std::string& input, int32_t to, const std::string& base, const std::string& tensor) {
        const std::string out = fresh(base);
        add_int_attribute(node("Cast", {input}, {out}, tensor), "to", to);
        return out;
    }

    // int64 [C]: the block of every position along the axis (i / block_size).
    std::string block_index(const TensorEdit& e) {
        const int64_t channels = e.dims[static_cast<size_t>(e.axis)];
        std::vector<int64_t> index(static_cast<size_t>(channels));
        for (int64_t i = 0; i < channels; ++i) index[static_cast<size_t>(i)] = i / e.block_size;
        return initializer(e.name + "_block_index", onnx::TensorProto::INT64, {channels}, index.data(),
                           index.size() * sizeof(int64_t));
    }

    void decode_linear(const TensorEdit& e, const std::string& out) {
        const std::string doc = e.bits < 8 ? std::to_string(e.bits) + "-bit codes stored in int8" : std::string();
        const std::string codes = initializer(e.name + "_quantized", onnx::TensorProto::INT8, e.dims, e.codes, e.count, doc);
        const bool dequantize_linear = e.granularity == Granularity::PerTensor ? opset_ >= kDequantizeOpset
                                       : e.granularity == Granularity::PerChannel ? opset_ >= kPerAxisDequantizeOpset
                                                                                  : false;
        // Shape of the scales (and zero points): ONNX's for DequantizeLinear; for the Cast/Sub/Mul
        // decode, one that broadcasts against the codes (per block: expanded by Gather below).
        std::vector<int64_t> param_dims;
        if (e.granularity == Granularity::PerChannel) {
            param_dims.push_back(e.dims[static_cast<size_t>(e.axis)]);
            if (!dequantize_linear) param_dims.resize(e.dims.size() - static_cast<size_t>(e.axis), 1);
        } else if (e.granularity == Granularity::PerBlock) {
            param_dims = e.dims;
            param_dims[static_cast<size_t>(e.axis)] = (e.dims[static_cast<size_t>(e.axis)] + e.block_size - 1) / e.block_size;
        }
        const std::string scale = initializer(e.name + "_scale", onnx::TensorProto::FLOAT, param_dims, e.scales,
                                              e.param_count * sizeof(float));
        const std::string zero_point =
            e.zero_points ? initializer(e.name + "_zero_point", onnx::TensorProto::INT8, param_dims, e.zero_points,
                                        e.param_count)
                          : std::string();
        if (dequantize_linear) {
            std::vector<std::string> inputs{codes, scale};
            if (!zero_point.empty()) inputs.push_back(zero_point);
            onnx::NodeProto& n = node("DequantizeLinear", inputs, {out}, e.name);
            if (e.granularity == Granularity::PerChannel) add_int_attribute(n, "axis", e.axis);
            return;
        }
        // (float(code) - float(zp)) * scale: the subtraction of two small integers is exact, so this
        // is DequantizeLinear's (float)(code - zp) * scale, one rounding in the product.
        std::string full_scale = scale, full_zero_point = zero_point;
        if (e.granularity == Granularity::PerBlock) {
            const std::string index = block_index(e);
            full_scale = fresh(e.name + "_scale_expanded");
            add_int_attribute(node("Gather", {scale, index}, {full_scale}, e.name), "axis", e.axis);
            if (!zero_point.empty()) {
                full_zero_point = fresh(e.name + "_zero_point_expanded");
                add_int_attribute(node("Gather", {zero_point, index}, {full_zero_point}, e.name), "axis", e.axis);
            }
        }
        std::string centered = cast(codes, onnx::TensorProto::FLOAT, e.name + "_codes_float", e.name);
        if (!full_zero_point.empty()) {
            const std::string zp_float = cast(full_zero_point, onnx::TensorProto::FLOAT, e.name + "_zero_point_float", e.name);
            const std::string diff = fresh(e.name + "_centered");
            node("Sub", {centered, zp_float}, {diff}, e.name);
            centered = diff;
        }
        node("Mul", {centered, full_scale}, {out}, e.name);
    }

    void decode_lut(const TensorEdit& e, const std::string& out) {
        const std::string doc = e.bits < 8 ? std::to_string(e.bits) + "-bit indices stored in uint8" : std::string();
        const std::string indices =
            initializer(e.name + "_indices", onnx::TensorProto::UINT8, e.dims, e.codes, e.count, doc);
        const uint64_t entries = e.lut_count << e.bits;
        const std::string lut = initializer(e.name + "_lut", onnx::TensorProto::FLOAT, {static_cast<int64_t>(entries)},
                                            e.luts, entries * sizeof(float));
        // Gather takes int32/int64 indices only.
        std::string position = cast(indices, onnx::TensorProto::INT64, e.name + "_indices_int64", e.name);
        if (e.axis >= 0) {
            // Table g starts at g * 2^bits in the flat LUT: add group(c) * 2^bits along the axis.
            const int64_t channels = e.dims[static_cast<size_t>(e.axis)];
            std::vector<int64_t> offsets(static_cast<size_t>(channels));
            for (int64_t c = 0; c < channels; ++c)
                offsets[static_cast<size_t>(c)] = (c / e.block_size) << e.bits;
            std::vector<int64_t> shape(e.dims.size(), 1);
            shape[static_cast<size_t>(e.axis)] = channels;
            const std::string offset = initializer(e.name + "_lut_offset", onnx::TensorProto::INT64, shape,
                                                   offsets.data(), offsets.size() * sizeof(int64_t));
            const std::string flat = fresh(e.name + "_lut_position");
            node("Add", {position, offset}, {flat}, e.name);
            position = flat;
        }
        node("Gather", {lut, position}, {out}, e.name);
    }

    onnx::ModelProto& m_;
    onnx::GraphProto& g_;
    int64_t opset_ = 0;
    std::unordered_set<std::string> names_, sparse_, done_;
    std::unordered_map<std::string, int> initializers_, constants_;
    std::unordered_set<std::string> removed_initializers_, removed_constants_, removed_inputs_;
    std::vector<onnx::TensorProto> new_initializers_;
    std::unordered_set<std::string> new_initializer_names_;
    std::vector<onnx::NodeProto> new_nodes_;
    size_t new_node_count_ = 0;
    std::vector<std::string> narrow_;
    std::vector<Expected> expected_;
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

std::string write_compressed_model(const wg_model_edit& edit, const std::string& plugin_version) {
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

    if (model.ByteSizeLong() > static_cast<size_t>(INT_MAX))
        throw Error(WG_ERR_UNSUPPORTED, "the written model is larger than protobuf's 2 GiB limit");
    std::string out;
    if (!model.SerializeToString(&out)) throw Error(WG_ERR_INTERNAL, "serializing the written model failed");
    return out;
}

}  // namespace winglet::onnx_model
