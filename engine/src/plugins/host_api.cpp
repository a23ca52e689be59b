#include "plugins/host_api.hpp"

#include "plugins/compress_result.hpp"

#include "core/errors.hpp"
#include "plugins/abi_sizes.hpp"
#include "plugins/host_call.hpp"
#include "plugins/plan_builder.hpp"

#include <spdlog/spdlog.h>

#include <cstring>
#include <limits>
#include <stdexcept>

namespace winglet {
namespace {

thread_local ImportSession* t_import = nullptr;

using host_call::BadCall;
using host_call::guarded;
using host_call::require;
using host_call::str;

std::optional<Shape> shape_from(const wg_tensor_type& t) {
    if (t.rank == WG_RANK_UNKNOWN) return std::nullopt;
    require(t.rank == 0 || t.dims, "tensor type has rank " + std::to_string(t.rank) + " but no dims");
    Shape s;
    s.reserve(t.rank);
    for (uint32_t i = 0; i < t.rank; ++i) {
        const wg_dim& d = t.dims[i];
        s.push_back(d.value >= 0 ? Dim::of(d.value) : Dim::named(str(d.symbol)));
    }
    return s;
}

DType dtype_from(wg_dtype code) {
    auto t = dtype_from_code(code);
    require(t.has_value(), "unknown element type code " + std::to_string(code));
    return *t;
}

// Validates and stores the bytes of a weight: borrowed from a session mapping or copied.
std::shared_ptr<Weight> make_weight(ImportSession& session, const std::string& name,
                                    const wg_tensor_data& t) {
    require(t.struct_size >= abi_1_0::kTensorData, "tensor '" + name + "': struct_size too small");
    auto w = std::make_shared<Weight>();
    w->name = name;
    w->dtype = dtype_from(t.type.dtype);
    require(t.type.rank != WG_RANK_UNKNOWN, "tensor '" + name + "' has no rank");
    require(t.type.rank == 0 || t.type.dims, "tensor '" + name + "' has no dims");
    uint64_t elements = 1;
    for (uint32_t i = 0; i < t.type.rank; ++i) {
        const int64_t d = t.type.dims[i].value;
        if (d < 0) throw InputError("tensor '" + name + "' has an unknown or negative dim");
        if (d != 0 && elements > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(d))
            throw InputError("tensor '" + name + "' has more elements than fit in 64 bits");
        elements *= static_cast<uint64_t>(d);
        w->dims.push_back(d);
    }
    if (w->dtype != DType::String) {
        const uint64_t expected = dtype_bytes(w->dtype, elements);
        if (t.byte_size != expected)
            throw InputError("tensor '" + name + "' has " + std::to_string(t.byte_size) +
                             " bytes of data, its type and shape need " + std::to_string(expected));
    }
    require(t.byte_size == 0 || t.data, "tensor '" + name + "' has bytes but no data pointer");
    if (t.mode == WG_DATA_BORROW) {
        for (const auto& region : session.regions)
            if (region->contains(t.data, t.byte_size)) {
                w->bytes = TensorData{region, static_cast<const uint8_t*>(t.data), t.byte_size};
                return w;
            }
        throw BadCall("tensor '" + name + "': WG_DATA_BORROW with bytes outside every host mapping");
    }
    require(t.mode == WG_DATA_COPY, "tensor '" + name + "': unknown data mode");
    if (t.byte_size) {
        std::shared_ptr<uint8_t[]> copy(new uint8_t[t.byte_size]);
        std::memcpy(copy.get(), t.data, t.byte_size);
        w->bytes = TensorData{copy, copy.get(), t.byte_size};
    }
    return w;
}

ImportSession& session_of(wg_graph_builder* b) {
    require(b && b->graph && b->session, "NULL graph builder");
    return *b->session;
}

// ---- host functions --------------------------------------------------------------------------

void host_log(wg_log_level level, const char* plugin_name, const char* message) noexcept {
    try {
        const std::string text = "[" + str(plugin_name) + "] " + str(message);
        switch (level) {
            case WG_LOG_DEBUG: spdlog::debug(text); break;
            case WG_LOG_INFO: spdlog::info(text); break;
            case WG_LOG_WARN:
                if (t_import && t_import->model) t_import->model->warnings.push_back(str(message));
                spdlog::warn(text);
                break;
            default: spdlog::error(text); break;
        }
    } catch (...) {
    }
}

void host_set_error(wg_error* err, wg_status code, const char* message) noexcept {
    if (!err) return;
    try {
        err->code = code;
        err->message = str(message);
    } catch (...) {
    }
}

wg_status set_model_meta(wg_graph_builder* b, const wg_model_meta* meta, wg_error* err) noexcept {
    return guarded(err, [&] {
        ImportSession& s = session_of(b);
        require(meta && meta->struct_size >= abi_1_0::kModelMeta, "model meta missing or too small");
        ModelInfo& info = s.model->info;
        info.format = str(meta->format);
        info.ir_version = meta->ir_version;
        info.producer_name = str(meta->producer_name);
        info.producer_version = str(meta->producer_version);
        info.graph_name = str(meta->graph_name);
        s.model->graph.name = info.graph_name;
        require(meta->opset_count == 0 || (meta->opset_domains && meta->opset_versions),
                "opset arrays missing");
        for (uint64_t i = 0; i < meta->opset_count; ++i)
            info.opsets[str(meta->opset_domains[i])] = meta->opset_versions[i];
    });
}

wg_status declare_value(wg_graph_builder* b, const char* name, const wg_tensor_type* type,
                        wg_error* err) noexcept {
    return guarded(err, [&] {
        session_of(b);
        require(name && *name, "value without a name");
        require(type && type->struct_size >= abi_1_0::kTensorType, "value type missing or too small");
        Value& v = b->graph->values[b->graph->intern_value(name)];
        if (type->dtype != WG_DTYPE_UNDEFINED) v.dtype = dtype_from(type->dtype);
        if (auto s = shape_from(*type)) v.shape = std::move(s);
    });
}

wg_status add_graph_input(wg_graph_builder* b, const char* name, wg_error* err) noexcept {
    return guarded(err, [&] {
        session_of(b);
        require(name && *name, "graph input without a name");
        const int idx = b->graph->intern_value(name);
        if (b->graph->values[idx].is_graph_input) return;
        b->graph->values[idx].is_graph_input = true;
        b->graph->inputs.push_back(idx);
    });
}

wg_status add_graph_output(wg_graph_builder* b, const char* name, wg_error* err) noexcept {
    return guarded(err, [&] {
        session_of(b);
        require(name && *name, "graph output without a name");
        const int idx = b->graph->intern_value(name);
        b->graph->values[idx].is_graph_output = true;
        b->graph->outputs.push_back(idx);
    });
}

wg_status add_initializer(wg_graph_builder* b, const char* name, const wg_tensor_data* tensor,
                          wg_error* err) noexcept {
    return guarded(err, [&] {
        ImportSession& s = session_of(b);
        require(name && *name, "initializer without a name");
        require(tensor != nullptr, "initializer '" + str(name) + "' without data");
        Graph& g = *b->graph;
        const int idx = g.intern_value(name);
        if (g.values[idx].weight >= 0) throw InputError("initializer '" + str(name) + "' is defined twice");
        std::shared_ptr<Weight> w = make_weight(s, name, *tensor);
        Value& v = g.values[idx];
        v.dtype = w->dtype;
        Shape shape;
        for (int64_t d : w->dims) shape.push_back(Dim::of(d));
        v.shape = std::move(shape);
        v.weight = static_cast<int>(g.weights.size());
        g.weights.push_back(std::move(*w));
    });
}

wg_status add_node(wg_graph_builder* b, const wg_node_desc* desc, uint64_t* node_index,
                   wg_error* err) noexcept {
    return guarded(err, [&] {
        session_of(b);
        require(desc && desc->struct_size >= abi_1_0::kNodeDesc, "node desc missing or too small");
        require(desc->op_type && *desc->op_type, "node without an op type");
        require(desc->input_count == 0 || desc->inputs, "node inputs missing");
        require(desc->output_count == 0 || desc->outputs, "node outputs missing");
        Graph& g = *b->graph;
        Node n;
        n.op_type = desc->op_type;
        n.domain = str(desc->domain);
        n.name = str(desc->name);
        if (n.name.empty()) n.name = n.op_type + "_" + std::to_string(g.nodes.size());
        auto intern = [&](const char* value_name) {
            return value_name && *value_name ? g.intern_value(value_name) : -1;
        };
        for (uint64_t i = 0; i < desc->input_count; ++i) n.inputs.push_back(intern(desc->inputs[i]));
        for (uint64_t i = 0; i < desc->output_count; ++i) n.outputs.push_back(intern(desc->outputs[i]));
        if (node_index) *node_index = g.nodes.size();
        g.nodes.push_back(std::move(n));
    });
}

Node& node_at(wg_graph_builder* b, uint64_t node_index) {
    require(node_index < b->graph->nodes.size(), "node index " + std::to_string(node_index) + " out of range");
    return b->graph->nodes[node_index];
}

wg_status set_attribute(wg_graph_builder* b, uint64_t node_index, const wg_attr_desc* a,
                        wg_error* err) noexcept {
    return guarded(err, [&] {
        ImportSession& s = session_of(b);
        require(a && a->struct_size >= abi_1_0::kAttrDesc, "attribute desc missing or too small");
        require(a->name && *a->name, "attribute without a name");
        Node& node = node_at(b, node_index);
        Attribute attr;
        attr.name = a->name;
        auto need_array = [&](const void* p) {
            require(a->count == 0 || p, "attribute '" + attr.name + "' has no elements array");
        };
        switch (a->type) {
            case WG_ATTR_FLOAT: attr.kind = Attribute::Kind::Float; attr.f = a->f; break;
            case WG_ATTR_INT: attr.kind = Attribute::Kind::Int; attr.i = a->i; break;
            case WG_ATTR_STRING:
                require(a->s_size == 0 || a->s, "attribute '" + attr.name + "' has no string data");
                attr.kind = Attribute::Kind::String;
                attr.s.assign(a->s ? a->s : "", a->s_size);
                break;
            case WG_ATTR_FLOATS:
                need_array(a->floats);
                attr.kind = Attribute::Kind::Floats;
                attr.floats.assign(a->floats, a->floats + a->count);
                break;
            case WG_ATTR_INTS:
                need_array(a->ints);
                attr.kind = Attribute::Kind::Ints;
                attr.ints.assign(a->ints, a->ints + a->count);
                break;
            case WG_ATTR_STRINGS:
                need_array(a->strings);
                attr.kind = Attribute::Kind::Strings;
                for (uint64_t i = 0; i < a->count; ++i) attr.strings.push_back(str(a->strings[i]));
                break;
            case WG_ATTR_TENSOR:
                require(a->tensor != nullptr, "tensor attribute '" + attr.name + "' without data");
                attr.kind = Attribute::Kind::Tensor;
                attr.tensor = make_weight(s, node.name + "." + attr.name, *a->tensor);
                break;
            default:
                throw BadCall("attribute '" + attr.name + "' has type " + std::to_string(a->type) +
                              " (graphs are added with begin_subgraph)");
        }
        node.attributes.push_back(std::move(attr));
    });
}

wg_status begin_subgraph(wg_graph_builder* b, uint64_t node_index, const char* attr_name,
                         wg_graph_builder** sub, wg_error* err) noexcept {
    return guarded(err, [&] {
        ImportSession& s = session_of(b);
        require(attr_name && *attr_name && sub, "subgraph needs an attribute name and an out pointer");
        Node& node = node_at(b, node_index);
        Attribute attr;
        attr.name = attr_name;
        attr.kind = Attribute::Kind::Graph;
        attr.graph = std::make_shared<Graph>();
        attr.graph->parent = b->graph;
        attr.graph->name = node.name + "/" + attr.name;
        s.builders.push_back(wg_graph_builder{attr.graph.get(), &s});
        node.attributes.push_back(std::move(attr));
        *sub = &s.builders.back();
    });
}

// External data must stay inside the model's directory: no absolute paths, no "..", no symlink
// that leads out.
std::filesystem::path confined_path(const std::filesystem::path& dir, const std::string& rel) {
    namespace fs = std::filesystem;
    const fs::path p(rel);
    if (rel.empty()) throw InputError("external data with an empty location");
    if (p.is_absolute() || p.has_root_name() || p.has_root_directory())
        throw InputError("external data location '" + rel + "' is absolute; it must be relative to the model's directory");
    for (const auto& part : p)
        if (part == "..")
            throw InputError("external data location '" + rel + "' escapes the model's directory");
    const fs::path base = fs::weakly_canonical(dir);
    const fs::path target = fs::weakly_canonical(base / p);
    const auto rel_to_base = target.lexically_relative(base);
    if (rel_to_base.empty() || *rel_to_base.begin() == "..")
        throw InputError("external data location '" + rel + "' resolves outside the model's directory");
    return target;
}

wg_status map_related_file(wg_graph_builder* b, const char* relative_path, const uint8_t** data,
                           uint64_t* size, wg_error* err) noexcept {
    return guarded(err, [&] {
        ImportSession& s = session_of(b);
        require(relative_path && data && size, "map_related_file needs a path and out pointers");
        const auto path = confined_path(s.model_dir, relative_path);
        for (const auto& region : s.regions)
            if (region->path() == path) {
                *data = region->data();
                *size = region->size();
                return;
            }
        auto file = MappedFile::open(path);
        *data = file->data();
        *size = file->size();
        s.regions.push_back(std::move(file));
    });
}

wg_status sink_write(wg_sink* sink, const void* data, uint64_t size, wg_error* err) noexcept {
    return guarded(err, [&] {
        require(sink && sink->out, "NULL sink");
        require(size == 0 || data, "sink_write with no data");
        sink->out->write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
        if (!*sink->out) throw std::runtime_error("writing the output failed");
    });
}

}  // namespace

const wg_host_api* host_api() {
    static const wg_host_api api = {
        sizeof(wg_host_api), WG_ABI_MAJOR,    WG_ABI_MINOR,   WINGLET_VERSION,
        &host_log,           &host_set_error, &set_model_meta, &declare_value,
        &add_graph_input,    &add_graph_output, &add_initializer, &add_node,
        &set_attribute,      &begin_subgraph, &map_related_file, &sink_write,
        // 1.1: plan builder (targets)
        &plan_add_unit,      &plan_set_op,    &plan_set_summary,
        // 1.2: compression results (optimizers)
        &set_compressed,
    };
    return &api;
}

ImportLogScope::ImportLogScope(ImportSession& session) : previous_(t_import) { t_import = &session; }
ImportLogScope::~ImportLogScope() { t_import = previous_; }

std::string error_text(const wg_error& err, wg_status status) {
    if (!err.message.empty()) return err.message;
    return "failed with status " + std::to_string(status) + " and no message";
}

}  // namespace winglet
