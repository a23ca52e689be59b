// The JSON exporter plugin: `winglet inspect --json` and `--format json`.
#include "document.hpp"

namespace {

class JsonExporter : public winglet::sdk::Exporter {
public:
    static constexpr winglet::sdk::PluginInfo info{
        "json", WINGLET_PLUGIN_VERSION, "inspect report as a versioned JSON document"};
    static constexpr winglet::sdk::ExporterInfo exporter{"json", "json", "application/json"};

    explicit JsonExporter(const winglet::sdk::Host&) {}

    void export_report(const winglet::sdk::ReportView& report, winglet::sdk::Sink& sink) override {
        winglet::json_exporter::write_document(report, [&](std::string_view bytes) { sink.write(bytes); });
    }
};

}  // namespace

WINGLET_PLUGIN(JsonExporter)
