#include "convert.hpp"

#include <unordered_map>
#include <vector>

namespace winglet::onnx_importer {

using sdk::Error;

namespace {

constexpr int kMaxGraphDepth = 64;

std::string normalize_domain(const std::string& d) { return d == "ai.onnx" ? std::string() : d; }

wg_dtype to_wg_dtype(int32_t onnx_type) {
    return dtype_known(onnx_type) || onnx_type == onnx::TensorProto_DataType_STRING
               ? static_cast<wg_dtype>(onnx_type)
               : WG_DTYPE_UNDEFINED;
}

// Dims of a value's declared shape: known value, named symbol, or anonymous unknown.
std::vector<sdk::Dim> to_dims(const onnx::TensorShapeProto& shape) {
    std::vector<sdk::Dim> dims;
    dims.reserve(static_cast<size_t>(shape.dim_size()));
    for (const auto& d : shape.dim()) {
        sdk::Dim out;
        if (d.has_dim_value() && d.dim_value() >= 0) out.value = d.dim_value();
        else if (d.has_dim_param()) out.symbol = d.dim_param();
        dims.push_back(std::move(out));
    }
    return dims;
}

// The attribute's type, guessed from the field that is set when an old writer left it out.
onnx::AttributeProto_AttributeType attribute_type(const onnx::AttributeProto& a) {
    if (a.type() != onnx::AttributeProto_AttributeType_UNDEFINED) return a.type();
    if (a.has_f()) return onnx::AttributeProto_AttributeType_FLOAT;
    if (a.has_i()) return onnx::AttributeProto_AttributeType_INT;
    if (a.has_s()) return onnx::AttributeProto_AttributeType_STRING;
    if (a.has_t()) return onnx::AttributeProto_AttributeType_TENSOR;
    if (a.has_g()) return onnx::AttributeProto_AttributeType_GRAPH;
    if (a.has_sparse_tensor()) return onnx::AttributeProto_AttributeType_SPARSE_TENSOR;
    if (a.has_tp()) return onnx::AttributeProto_AttributeType_TYPE_PROTO;
    if (a.floats_size()) return onnx::AttributeProto_AttributeType_FLOATS;
    if (a.ints_size()) return onnx::AttributeProto_AttributeType_INTS;
    if (a.strings_size()) return onnx::AttributeProto_AttributeType_STRINGS;
    if (a.tensors_size()) return onnx::AttributeProto_AttributeType_TENSORS;
    if (a.graphs_size()) return onnx::AttributeProto_AttributeType_GRAPHS;
    if (a.sparse_tensors_size()) return onnx::AttributeProto_AttributeType_SPARSE_TENSORS;
    if (a.type_protos_size()) return onnx::AttributeProto_AttributeType_TYPE_PROTOS;
    return onnx::AttributeProto_AttributeType_UNDEFINED;
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

}  // namespace

Converter::Converter(const wg_import_request& request, sdk::GraphBuilder& root, WarnFn warn)
    : request_(request),
      root_(root),
      warn_(std::move(warn)),
      external_([this](const std::string& location) { return root_.map_related_file(location); }) {
    tensor_ctx_.model_data = request.data;
    tensor_ctx_.model_size = request.size;
    tensor_ctx_.external = &external_;
}

void Converter::note(const std::string& category, const std::string& example) {
    auto& n = notes_[category];
    if (n.first++ == 0) n.second = example;
}

void Converter::count(const TensorBytes& t) {
    if (t.mode == WG_DATA_BORROW) {
        ++stats_.tensors_borrowed;
        stats_.bytes_borrowed += t.size;
    } else {
        ++stats_.tensors_copied;
        stats_.bytes_copied += t.size;
    }
}

void Converter::collect_names(const onnx::GraphProto& g, int depth) {
    if (depth > kMaxGraphDepth) return;
    for (const auto& node : g.node()) {
        if (!node.name().empty()) reserved_names_.insert(node.name());
        for (const auto& attr : node.attribute()) {
            if (attr.has_g()) collect_names(attr.g(), depth + 1);
            for (const auto& sub : attr.graphs()) collect_names(sub, depth + 1);
        }
    }
}

std::string Converter::node_name(const onnx::NodeProto& node, size_t index) {
    const std::string& given = node.name();
    if (!given.empty() && emitted_names_.insert(given).second) return given;
    // Empty: "<op_type>_<index in its graph>"; a repeated name: "<name>_<k>". Both avoid every
    // name the model uses itself, so they are unique and the same on every import.
    const std::string base = given.empty() ? node.op_type() + "_" + std::to_string(index) : given;
    std::string candidate = base;
    for (uint64_t k = 1; candidate == given || reserved_names_.count(candidate) ||
                         emitted_names_.count(candidate);
         ++k)
        candidate = base + "_" + std::to_string(k);
    emitted_names_.insert(candidate);
    ++stats_.names_synthesized;
    return candidate;
}

void Converter::convert(const onnx::ModelProto& model) {
    const onnx::GraphProto& g = model.graph();

    // Model meta. ONNX treats the domain "ai.onnx" as the default domain "".
    std::vector<std::string> domains;
    std::vector<const char*> domain_ptrs;
    std::vector<int64_t> versions;
    domains.reserve(static_cast<size_t>(model.opset_import_size()));
    for (const auto& op : model.opset_import()) {
        domains.push_back(normalize_domain(op.domain()));
        versions.push_back(op.version());
    }
    for (const auto& d : domains) domain_ptrs.push_back(d.c_str());
    wg_model_meta meta{};
    meta.struct_size = sizeof(wg_model_meta);
    meta.format = "onnx";
    meta.ir_version = model.ir_version();
    meta.producer_name = model.producer_name().c_str();
    meta.producer_version = model.producer_version().c_str();
    meta.graph_name = g.name().c_str();
    meta.opset_count = domains.size();
    meta.opset_domains = domain_ptrs.empty() ? nullptr : domain_ptrs.data();
    meta.opset_versions = versions.empty() ? nullptr : versions.data();
    root_.set_meta(meta);

    if (model.functions_size() > 0)
        warn_("model defines " + std::to_string(model.functions_size()) +
              " local function(s); calls to them are kept as single operations (not expanded)");

    collect_names(g, 0);
    convert_graph(g, root_, 0);

    for (const auto& [category, n] : notes_)
        warn_(category + ": " + std::to_string(n.first) + (n.first == 1 ? " case" : " cases") +
              " (first: " + n.second + ")");
}

void Converter::declare(const onnx::ValueInfoProto& vi, sdk::GraphBuilder& b) {
    const onnx::TypeProto& type = vi.type();
    if (type.value_case() == onnx::TypeProto::kTensorType) {
        const auto& tt = type.tensor_type();
        if (tt.has_shape()) {
            std::vector<sdk::Dim> dims = to_dims(tt.shape());
            b.declare_value(vi.name(), to_wg_dtype(tt.elem_type()), &dims);
        } else {
            b.declare_value(vi.name(), to_wg_dtype(tt.elem_type()), nullptr);
        }
        ++stats_.values_declared;
    } else if (type.value_case() == onnx::TypeProto::kSparseTensorType) {
        const auto& st = type.sparse_tensor_type();
        if (st.has_shape()) {
            std::vector<sdk::Dim> dims = to_dims(st.shape());
            b.declare_value(vi.name(), to_wg_dtype(st.elem_type()), &dims);
        } else {
            b.declare_value(vi.name(), to_wg_dtype(st.elem_type()), nullptr);
        }
        ++stats_.values_declared;
    }
    // Sequences, maps, optionals: left untyped (the engine has no type for them).
}

void Converter::convert_graph(const onnx::GraphProto& g, sdk::GraphBuilder& b, int depth) {
    if (depth > kMaxGraphDepth)
        throw Error(WG_ERR_FORMAT, "subgraphs nested deeper than " + std::to_string(kMaxGraphDepth));
    ++stats_.graphs;

    // Weights: initializers and sparse initializers, by name.
    std::unordered_set<std::string> weight_names;
    weight_names.reserve(static_cast<size_t>(g.initializer_size() + g.sparse_initializer_size()));
    for (int i = 0; i < g.initializer_size(); ++i) {
        const std::string& name = g.initializer(i).name();
        if (name.empty())
            throw Error(WG_ERR_FORMAT, "initializer #" + std::to_string(i) + " of graph " +
                                           quoted(g.name()) + " has no name");
        if (!weight_names.insert(name).second)
            throw Error(WG_ERR_FORMAT, "initializer " + quoted(name) + " is defined twice");
    }
    for (const auto& sp : g.sparse_initializer()) {
        const std::string& name = sp.values().name();
        if (name.empty()) throw Error(WG_ERR_FORMAT, "a sparse initializer has no name");
        if (!weight_names.insert(name).second)
            throw Error(WG_ERR_FORMAT, "initializer " + quoted(name) + " is defined twice");
    }

    // Typed values: graph inputs first, then outputs, then value_info (inferred types included);
    // the first declaration of a name wins. Weights get their type from the tensor itself.
    std::unordered_set<std::string> declared;
    declared.reserve(static_cast<size_t>(g.input_size() + g.output_size() + g.value_info_size()));
    for (const auto* list : {&g.input(), &g.output(), &g.value_info()})
        for (const auto& vi : *list) {
            if (vi.name().empty() || !vi.has_type() || weight_names.count(vi.name())) continue;
            if (!declared.insert(vi.name()).second) continue;
            declare(vi, b);
        }

    // Initializers: borrowed from the mapped file when the payload lies there.
    for (const auto& t : g.initializer()) {
        const std::string what = "initializer " + quoted(t.name());
        TensorBytes tb;
        try {
            tb = resolve_tensor(t, tensor_ctx_, what);
        } catch (const UnsupportedTensor& e) {
            note("initializers with a data type winglet does not know, kept as untyped values",
                 e.what());
            b.declare_value(t.name(), WG_DTYPE_UNDEFINED, nullptr);
            continue;
        }
        b.add_initializer(t.name(), static_cast<wg_dtype>(tb.dtype), tb.dims, tb.data, tb.size,
                          tb.mode);
        count(tb);
    }
    for (const auto& sp : g.sparse_initializer()) {
        const std::string& name = sp.values().name();
        const std::string what = "sparse initializer " + quoted(name);
        checked_element_count(sp.dims(), what);
        std::vector<sdk::Dim> dims;
        for (int64_t d : sp.dims()) dims.push_back(sdk::Dim{d, {}});
        note("sparse initializers declared with their dense shape but without weight data",
             quoted(name));
        b.declare_value(name, to_wg_dtype(sp.values().data_type()), &dims);
    }

    // Graph inputs that are not weights (old exporters list every initializer as an input).
    std::unordered_set<std::string> seen_io;
    for (const auto& vi : g.input()) {
        if (vi.name().empty())
            throw Error(WG_ERR_FORMAT, "graph " + quoted(g.name()) + " has an input without a name");
        if (weight_names.count(vi.name()) || !seen_io.insert(vi.name()).second) continue;
        b.add_input(vi.name());
    }
    seen_io.clear();
    for (const auto& vi : g.output()) {
        if (vi.name().empty())
            throw Error(WG_ERR_FORMAT, "graph " + quoted(g.name()) + " has an output without a name");
        if (!seen_io.insert(vi.name()).second) continue;
        b.add_output(vi.name());
    }

    // Nodes, with their attributes and subgraphs.
    std::vector<std::string> inputs, outputs;
    for (size_t i = 0; i < static_cast<size_t>(g.node_size()); ++i) {
        const onnx::NodeProto& node = g.node(static_cast<int>(i));
        if (node.op_type().empty())
            throw Error(WG_ERR_FORMAT, "node #" + std::to_string(i) +
                                           (node.name().empty() ? "" : " " + quoted(node.name())) +
                                           " has no op_type");
        const std::string name = node_name(node, i);
        inputs.assign(node.input().begin(), node.input().end());
        outputs.assign(node.output().begin(), node.output().end());
        const uint64_t index =
            b.add_node(name, node.op_type(), normalize_domain(node.domain()), inputs, outputs);
        ++stats_.nodes;
        std::unordered_set<std::string> attr_names;
        for (const auto& attr : node.attribute()) {
            if (attr.name().empty()) {
                note("attributes without a name, ignored", "node " + quoted(name));
                continue;
            }
            if (!attr_names.insert(attr.name()).second)
                throw Error(WG_ERR_FORMAT, "node " + quoted(name) + " has attribute " +
                                               quoted(attr.name()) + " twice");
            convert_attribute(attr, name, index, b, depth);
        }
    }
}

void Converter::convert_attribute(const onnx::AttributeProto& attr, const std::string& node_name,
                                  uint64_t node_index, sdk::GraphBuilder& b, int depth) {
    wg_attr_desc d{};
    d.struct_size = sizeof(wg_attr_desc);
    d.name = attr.name().c_str();
    std::vector<double> floats;
    std::vector<const char*> strings;
    sdk::TypeScratch scratch;
    wg_tensor_data td{};
    TensorBytes tb;

    if (!attr.ref_attr_name().empty()) {
        note("attributes referring to a function's attribute (ref_attr_name), ignored",
             quoted(attr.name()) + " of node " + quoted(node_name));
        return;
    }
    switch (attribute_type(attr)) {
        case onnx::AttributeProto_AttributeType_FLOAT:
            d.type = WG_ATTR_FLOAT;
            d.f = attr.f();
            break;
        case onnx::AttributeProto_AttributeType_INT:
            d.type = WG_ATTR_INT;
            d.i = attr.i();
            break;
        case onnx::AttributeProto_AttributeType_STRING:
            d.type = WG_ATTR_STRING;
            d.s = attr.s().data();
            d.s_size = attr.s().size();
            break;
        case onnx::AttributeProto_AttributeType_FLOATS:
            d.type = WG_ATTR_FLOATS;
            floats.assign(attr.floats().begin(), attr.floats().end());
            d.count = floats.size();
            d.floats = floats.empty() ? nullptr : floats.data();
            break;
        case onnx::AttributeProto_AttributeType_INTS:
            d.type = WG_ATTR_INTS;
            d.count = static_cast<uint64_t>(attr.ints_size());
            d.ints = attr.ints().empty() ? nullptr : attr.ints().data();
            break;
        case onnx::AttributeProto_AttributeType_STRINGS:
            d.type = WG_ATTR_STRINGS;
            for (const auto& s : attr.strings()) strings.push_back(s.c_str());
            d.count = strings.size();
            d.strings = strings.empty() ? nullptr : strings.data();
            break;
        case onnx::AttributeProto_AttributeType_TENSOR: {
            const std::string what = "tensor of attribute " + quoted(attr.name()) + " of node " +
                                     quoted(node_name);
            try {
                tb = resolve_tensor(attr.t(), tensor_ctx_, what);
            } catch (const UnsupportedTensor& e) {
                note("tensor attributes with a data type winglet does not know, ignored", e.what());
                return;
            }
            std::vector<sdk::Dim> dims;
            dims.reserve(tb.dims.size());
            for (int64_t v : tb.dims) dims.push_back(sdk::Dim{v, {}});
            td.struct_size = sizeof(wg_tensor_data);
            td.type = scratch.make(static_cast<wg_dtype>(tb.dtype), &dims);
            td.data = tb.data;
            td.byte_size = tb.size;
            td.mode = tb.mode;
            d.type = WG_ATTR_TENSOR;
            d.tensor = &td;
            b.set_attribute(node_index, d);
            count(tb);
            return;
        }
        case onnx::AttributeProto_AttributeType_GRAPH: {
            sdk::GraphBuilder sub = b.begin_subgraph(node_index, attr.name());
            convert_graph(attr.g(), sub, depth + 1);
            return;
        }
        case onnx::AttributeProto_AttributeType_GRAPHS: {
            // The ABI opens one builder per attribute name: graph j is "<name>[j]".
            for (int j = 0; j < attr.graphs_size(); ++j) {
                sdk::GraphBuilder sub =
                    b.begin_subgraph(node_index, attr.name() + "[" + std::to_string(j) + "]");
                convert_graph(attr.graphs(j), sub, depth + 1);
            }
            return;
        }
        case onnx::AttributeProto_AttributeType_SPARSE_TENSOR:
            note("sparse tensor attributes (e.g. Constant sparse_value), not densified and ignored",
                 quoted(attr.name()) + " of node " + quoted(node_name));
            return;
        case onnx::AttributeProto_AttributeType_TENSORS:
        case onnx::AttributeProto_AttributeType_SPARSE_TENSORS:
        case onnx::AttributeProto_AttributeType_TYPE_PROTO:
        case onnx::AttributeProto_AttributeType_TYPE_PROTOS:
            note("attributes of a type the plugin ABI cannot carry (tensors, type protos), ignored",
                 quoted(attr.name()) + " of node " + quoted(node_name));
            return;
        default:
            note("attributes without a value, ignored",
                 quoted(attr.name()) + " of node " + quoted(node_name));
            return;
    }
    b.set_attribute(node_index, d);
}

}  // namespace winglet::onnx_importer
