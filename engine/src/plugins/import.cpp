#include "plugins/import.hpp"

#include "core/errors.hpp"
#include "graph/topology.hpp"
#include "io/content_hash.hpp"
#include "plugins/host_api.hpp"
#include "plugins/loaded_plugin.hpp"
#include "shapes/shape_inference.hpp"

#include <spdlog/spdlog.h>

#include <cstring>
#include <future>

namespace winglet {
namespace fs = std::filesystem;
namespace {

const LoadedPlugin& choose_importer(const PluginRegistry& registry, const fs::path& path,
                                    const MappedFile& file, const std::string& format) {
    if (!format.empty()) {
        for (const LoadedPlugin* p : registry.plugins(WG_KIND_IMPORTER))
            if (p->record().format == format) return *p;
        throw PluginError("no importer plugin for format '" + format + "'");
    }
    const uint64_t head = std::min<uint64_t>(file.size(), 4096);
    if (const LoadedPlugin* p = registry.importer_for(path, file.data(), head)) return *p;
    if (registry.plugins(WG_KIND_IMPORTER).empty())
        throw PluginError("no importer plugins are loaded (check --plugin-path, WINGLET_PLUGIN_PATH, "
                          "and `winglet plugins`)");
    throw PluginError("no importer recognises '" + path.string() + "'");
}

// Weight of a Constant node given as value_float(s) / value_int(s) rather than a tensor.
std::shared_ptr<Weight> constant_from_scalars(const Node& node) {
    auto owned = [](const void* src, uint64_t size) {
        std::shared_ptr<uint8_t[]> buf(new uint8_t[size ? size : 1]);
        if (size) std::memcpy(buf.get(), src, size);
        return TensorData{buf, buf.get(), size};
    };
    for (const Attribute& a : node.attributes) {
        auto w = std::make_shared<Weight>();
        w->name = node.name + "." + a.name;
        if (a.name == "value_float" || a.name == "value_floats") {
            std::vector<float> v;
            if (a.kind == Attribute::Kind::Float) v.push_back(static_cast<float>(a.f));
            for (double d : a.floats) v.push_back(static_cast<float>(d));
            w->dtype = DType::Float32;
            if (a.kind == Attribute::Kind::Floats) w->dims = {static_cast<int64_t>(v.size())};
            w->bytes = owned(v.data(), v.size() * sizeof(float));
            return w;
        }
        if (a.name == "value_int" || a.name == "value_ints") {
            std::vector<int64_t> v = a.ints;
            if (a.kind == Attribute::Kind::Int) v.push_back(a.i);
            w->dtype = DType::Int64;
            if (a.kind == Attribute::Kind::Ints) w->dims = {static_cast<int64_t>(v.size())};
            w->bytes = owned(v.data(), v.size() * sizeof(int64_t));
            return w;
        }
    }
    return nullptr;
}

// Completes what the builder cannot know while nodes arrive one by one: Constant outputs become
// weights, initializers listed as inputs (IR < 4) stop being inputs, links and a cycle check.
void finalize(Graph& g) {
    for (Node& node : g.nodes) {
        for (const Attribute& a : node.attributes)
            if (a.graph) finalize(*a.graph);
        if (node.op_type != "Constant" || !node.domain.empty() || node.outputs.empty() || node.outputs[0] < 0)
            continue;
        std::shared_ptr<Weight> w;
        if (const Attribute* value = node.attribute("value"); value && value->tensor) w = value->tensor;
        if (!w) w = constant_from_scalars(node);
        if (!w) continue;
        Value& out = g.values[node.outputs[0]];
        out.constant = w;
        out.dtype = w->dtype;
        Shape shape;
        for (int64_t d : w->dims) shape.push_back(Dim::of(d));
        out.shape = std::move(shape);
    }
    std::vector<int> inputs;
    for (int idx : g.inputs) {
        if (g.values[idx].weight >= 0)
            g.values[idx].is_graph_input = false;
        else
            inputs.push_back(idx);
    }
    g.inputs = std::move(inputs);
    g.link();
    topological_order(g);  // throws InputError on a cycle
}

[[noreturn]] void import_failed(const LoadedPlugin& plugin, const fs::path& path, wg_status st,
                                const wg_error& err) {
    const std::string text = "cannot import '" + path.string() + "': " + error_text(err, st);
    if (st == WG_ERR_FORMAT || st == WG_ERR_IO || st == WG_ERR_UNSUPPORTED || st == WG_ERR_INVALID_ARGUMENT)
        throw InputError(text);
    throw PluginError(text + " (importer '" + plugin.record().name + "')");
}

}  // namespace

Model import_model(const PluginRegistry& registry, const fs::path& path, const ImportOptions& options) {
    auto file = MappedFile::open(path);
    if (file->size() == 0) throw InputError("model file '" + path.string() + "' is empty");
    const LoadedPlugin& importer = choose_importer(registry, path, *file, options.format);

    Model model;
    model.info.path = path.string();
    model.info.file_size = file->size();
    ImportSession session;
    session.model = &model;
    session.model_dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    session.regions.push_back(file);

    std::vector<const char*> dim_names;
    std::vector<int64_t> dim_values;
    for (const auto& [name, value] : options.dim_overrides) {
        dim_names.push_back(name.c_str());
        dim_values.push_back(value);
    }
    std::vector<const char*> input_names;
    std::vector<uint32_t> input_ranks;
    std::vector<const int64_t*> input_dims;
    for (const auto& [name, dims] : options.input_shapes) {
        input_names.push_back(name.c_str());
        input_ranks.push_back(static_cast<uint32_t>(dims.size()));
        input_dims.push_back(dims.data());
    }
    wg_import_request request{};
    request.struct_size = sizeof(request);
    const std::string path_text = path.string();
    request.path = path_text.c_str();
    request.data = file->data();
    request.size = file->size();
    request.dim_override_count = dim_names.size();
    request.dim_override_names = dim_names.data();
    request.dim_override_values = dim_values.data();
    request.input_shape_count = input_names.size();
    request.input_shape_names = input_names.data();
    request.input_shape_ranks = input_ranks.data();
    request.input_shape_dims = input_dims.data();

    // Hashing streams the whole file; on a second core it hides behind the import.
    auto model_digest = std::async(std::launch::async, [file] {
        ContentHasher hasher;
        hasher.update(file->data(), file->size());
        return hasher.hex();
    });

    wg_graph_builder root{&model.graph, &session};
    wg_error err;
    wg_status st;
    {
        ImportLogScope log_scope(session);
        st = importer.importer()->import_model(importer.state(), &request, &root, &err);
    }
    if (st != WG_OK) import_failed(importer, path, st, err);

    finalize(model.graph);
    // Importers apply the overrides before their own shape inference and report names that match
    // nothing; this pass only catches symbols an importer left in place. The input shapes are set
    // again here for importers older than ABI 1.4, which do not read them.
    apply_dim_overrides(model.graph, options.dim_overrides);
    apply_input_shapes(model.graph, options.input_shapes);
    model.info.given_input_shapes = options.input_shapes;
    model.info.given_input_values = options.input_values;
    ShapeInferenceOptions shape_options;
    shape_options.input_values = options.input_values;
    ShapeInferenceStats stats = infer_missing_shapes(model.graph, shape_options);
    if (stats.inferred > 0)
        model.warnings.push_back("the engine's own shape rules filled in or refined " + std::to_string(stats.inferred) +
                                 " value shapes the importer left (partly) unknown");
    for (const std::string& note : stats.notes) model.warnings.push_back(note);
    if (stats.still_unknown > 0) {
        std::string ops;
        for (const std::string& op : stats.ops_without_rule) ops += (ops.empty() ? "" : ", ") + op;
        model.warnings.push_back(std::to_string(stats.still_unknown) + " values have (partly) unknown shapes" +
                                 (ops.empty() ? std::string() : " (no shape rule for " + ops + ")") +
                                 "; the report lists each with the reason");
    }
    model.unknown_shapes = std::move(stats.unknown);
    model.shape_suggestions = std::move(stats.suggestions);

    model.info.content_hash = model_digest.get();
    if (session.regions.size() > 1) {
        // External data is part of the model: fold it in after the model file's digest.
        ContentHasher hasher;
        hasher.update(model.info.content_hash.data(), model.info.content_hash.size());
        for (size_t i = 1; i < session.regions.size(); ++i) {
            hasher.update(session.regions[i]->data(), session.regions[i]->size());
            model.info.data_files.push_back(session.regions[i]->path().string());
        }
        model.info.content_hash = hasher.hex();
    }
    return model;
}

}  // namespace winglet
