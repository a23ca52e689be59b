// The onnx-model exporter plugin: writes a compressed ONNX model (ABI 1.2 export_model), every
// edited weight stored compressed and decoded by standard ONNX operators. Writes models only:
// export_report keeps the SDK's default, which answers WG_ERR_UNSUPPORTED.
#include "rewrite.hpp"

#include <winglet/plugin.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace sdk = winglet::sdk;

class OnnxModelExporter : public sdk::Exporter {
public:
    static constexpr sdk::PluginInfo info{
        "onnx-model", WINGLET_PLUGIN_VERSION,
        "writes compressed ONNX models: quantization codes, table indices and pruning masks packed to "
        "their bit width, decoded by standard ONNX operators at the model's own opset"};
    static constexpr sdk::ExporterInfo exporter{"onnx", "onnx", "application/onnx"};

    explicit OnnxModelExporter(const sdk::Host& host) : host_(host) {}

    void export_model(const sdk::ModelEdit& edit, sdk::Sink& sink) override {
        std::vector<std::string> warnings;
        const std::string bytes =
            winglet::onnx_model::write_compressed_model(edit.raw(), WINGLET_PLUGIN_VERSION, &warnings);
        for (const std::string& w : warnings) host_.log(WG_LOG_WARN, info.name, w);
        constexpr size_t kChunk = size_t{1} << 24;  // bytes handed to the host at a time
        for (size_t at = 0; at < bytes.size(); at += kChunk)
            sink.write(std::string_view(bytes).substr(at, std::min(kChunk, bytes.size() - at)));
    }

private:
    sdk::Host host_;
};

}  // namespace

WINGLET_PLUGIN(OnnxModelExporter)
