// The Chrome trace exporter plugin: `winglet compile ... -o FILE --format trace`.
#include "events.hpp"

namespace {

class TraceExporter : public winglet::sdk::Exporter {
public:
    static constexpr winglet::sdk::PluginInfo info{
        "trace", WINGLET_PLUGIN_VERSION, "compiled plan's simulated timeline as a Chrome trace (Perfetto)"};
    static constexpr winglet::sdk::ExporterInfo exporter{"trace", "json", "application/json"};

    explicit TraceExporter(const winglet::sdk::Host&) {}

    void export_report(const winglet::sdk::ReportView& report, winglet::sdk::Sink& sink) override {
        sink.write(winglet::trace_exporter::trace_document(report).dump(1, ' ', false,
                                                                         nlohmann::json::error_handler_t::replace) + "\n");
    }
};

}  // namespace

WINGLET_PLUGIN(TraceExporter)
