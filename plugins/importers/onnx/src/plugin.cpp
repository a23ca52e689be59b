// winglet's ONNX importer plugin.
//
// Import = slim_model_bytes (wire-format pass that leaves every large weight payload where it lies
// in the mapped file) -> ParseFromArray of the small remainder on an arena -> --dim overrides ->
// libonnx shape inference (guarded) -> conversion through the host's graph builder, borrowing
// weight bytes from the mapped file. Weight bytes are never copied or even read.
#include "convert.hpp"
#include "dim_overrides.hpp"
#include "infer.hpp"
#include "probe.hpp"
#include "slim_model.hpp"

#include <google/protobuf/arena.h>

#include <winglet/plugin.hpp>

#include <chrono>
#include <climits>
#include <cstddef>
#include <cstdio>
#include <map>
#include <string>

namespace winglet::onnx_importer {
namespace {

using sdk::Error;

constexpr const char* kPluginName = "onnx";

std::string seconds_ms(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f ms", s * 1e3);
    return buf;
}

class OnnxImporter : public sdk::Importer {
public:
    static constexpr sdk::PluginInfo info{
        kPluginName, "1.0.0",
        "ONNX models (libonnx 1.12 shape inference; weights borrowed from the mapped file, "
        "external data supported)"};
    static constexpr sdk::ImporterInfo importer{"onnx", "onnx"};

    explicit OnnxImporter(const sdk::Host& host) : host_(host) {}

    int32_t probe(const uint8_t* head, uint64_t size) override { return probe_onnx(head, size); }

    void import_model(const wg_import_request& request, sdk::GraphBuilder& builder) override {
        using clock = std::chrono::steady_clock;
        const auto t0 = clock::now();
        if (request.size == 0) throw Error(WG_ERR_FORMAT, "not an ONNX model: the file is empty");
        if (!request.data) throw Error(WG_ERR_INVALID_ARGUMENT, "import request without data");

        std::map<std::string, int64_t> overrides;
        const bool has_overrides =
            request.struct_size >= offsetof(wg_import_request, dim_override_values) +
                                       sizeof(request.dim_override_values);
        if (has_overrides)
            for (uint64_t i = 0; i < request.dim_override_count; ++i) {
                if (!request.dim_override_names || !request.dim_override_values ||
                    !request.dim_override_names[i])
                    throw Error(WG_ERR_INVALID_ARGUMENT, "malformed --dim override list");
                const int64_t v = request.dim_override_values[i];
                if (v < 0)
                    throw Error(WG_ERR_INVALID_ARGUMENT,
                                std::string("--dim ") + request.dim_override_names[i] + "=" +
                                    std::to_string(v) + ": the value must be >= 0");
                overrides[request.dim_override_names[i]] = v;
            }

        std::map<std::string, std::vector<int64_t>> input_shapes;
        if (WINGLET_HAS_FIELD(request, wg_import_request, input_shape_dims))
            for (uint64_t i = 0; i < request.input_shape_count; ++i) {
                if (!request.input_shape_names || !request.input_shape_ranks || !request.input_shape_dims ||
                    !request.input_shape_names[i] || (request.input_shape_ranks[i] && !request.input_shape_dims[i]))
                    throw Error(WG_ERR_INVALID_ARGUMENT, "malformed --input shape list");
                const int64_t* dims = request.input_shape_dims[i];
                std::vector<int64_t> shape(dims, dims + request.input_shape_ranks[i]);
                for (int64_t d : shape)
                    if (d < 0)
                        throw Error(WG_ERR_INVALID_ARGUMENT,
                                    std::string("--input ") + request.input_shape_names[i] + ": a size must be >= 0");
                input_shapes[request.input_shape_names[i]] = std::move(shape);
            }

        // 1. Slim copy: the model without its large weight payloads (offsets into request.data).
        SlimResult slim;
        try {
            slim = slim_model_bytes(request.data, request.size);
        } catch (const WireFormatError& e) {
            throw Error(WG_ERR_FORMAT, std::string("not an ONNX model: ") + e.what());
        }
        const auto t1 = clock::now();

        // 2. Parse the structure.
        if (slim.bytes.size() > static_cast<size_t>(INT_MAX))
            throw Error(WG_ERR_FORMAT,
                        "model structure is " + std::to_string(slim.bytes.size()) +
                            " bytes without its weights, beyond protobuf's 2 GiB message limit");
        google::protobuf::Arena arena;
        auto* model = google::protobuf::Arena::CreateMessage<onnx::ModelProto>(&arena);
        if (!model->ParseFromArray(slim.bytes.data(), static_cast<int>(slim.bytes.size())))
            throw Error(WG_ERR_FORMAT, "not an ONNX model: protobuf parse failed");
        const uint64_t slim_size = slim.bytes.size();
        std::string().swap(slim.bytes);
        if (!model->has_graph())
            throw Error(WG_ERR_FORMAT, "not an ONNX model: the model has no graph");
        if (model->graph().node_size() == 0 && model->graph().input_size() == 0 &&
            model->graph().output_size() == 0 && model->graph().initializer_size() == 0)
            throw Error(WG_ERR_FORMAT, "the model's graph is empty (no nodes, inputs or outputs)");
        if (!model->has_ir_version())
            warn("the model does not state its IR version");
        const auto t2 = clock::now();

        // 3. --dim and --input overrides, then shape inference.
        for (const auto& name : apply_dim_overrides(*model, overrides))
            warn("--dim " + name + ": the model has no dimension named '" + name + "'");
        const std::vector<std::string> zero_dims = unknown_zero_input_dims(*model, input_shapes);
        apply_input_shapes(*model, input_shapes);
        if (!zero_dims.empty()) {
            std::string list;
            for (const std::string& d : zero_dims) list += (list.empty() ? "" : ", ") + d;
            warn("the model stores size 0 for " + list + ", which exporters write for a dynamic dim; taken as " +
                 "unknown (fix the input's shape with --input NAME=DIMS)");
        }
        const InferenceResult inference =
            infer_shapes_guarded(*model, [this](const std::string& m) { warn(m); });
        const auto t3 = clock::now();

        // 4. Hand it to the engine.
        Converter converter(request, builder, [this](const std::string& m) { warn(m); });
        converter.convert(*model);
        const auto t4 = clock::now();

        const ConvertStats& s = converter.stats();
        auto secs = [](clock::duration d) { return std::chrono::duration<double>(d).count(); };
        host_.log(WG_LOG_DEBUG, kPluginName,
                  "imported " + std::to_string(s.nodes) + " nodes in " + std::to_string(s.graphs) +
                      " graph(s); weights: " + std::to_string(s.tensors_borrowed) + " borrowed (" +
                      std::to_string(s.bytes_borrowed) + " bytes), " +
                      std::to_string(s.tensors_copied) + " copied (" +
                      std::to_string(s.bytes_copied) + " bytes); structure " +
                      std::to_string(slim_size) + " of " + std::to_string(request.size) +
                      " bytes; slim " + seconds_ms(secs(t1 - t0)) + ", parse " +
                      seconds_ms(secs(t2 - t1)) + ", shape inference " +
                      (inference.ran ? seconds_ms(secs(t3 - t2)) : std::string("skipped")) +
                      ", convert " + seconds_ms(secs(t4 - t3)));
    }

private:
    // Warnings logged during an import become the model's warnings on the host side.
    void warn(const std::string& message) const { host_.log(WG_LOG_WARN, kPluginName, message); }

    sdk::Host host_;
};

}  // namespace
}  // namespace winglet::onnx_importer

WINGLET_PLUGIN(winglet::onnx_importer::OnnxImporter)
