// The CSV exporter plugin: `winglet inspect -o FILE --format csv`.
#include "rows.hpp"

#include <winglet/plugin.hpp>

#include <string>

namespace {

class CsvExporter : public winglet::sdk::Exporter {
public:
    static constexpr winglet::sdk::PluginInfo info{
        "csv", WINGLET_PLUGIN_VERSION, "per-op inspect (or compile) table as RFC 4180 CSV"};
    static constexpr winglet::sdk::ExporterInfo exporter{"csv", "csv", "text/csv"};

    explicit CsvExporter(const winglet::sdk::Host&) {}

    void export_report(const winglet::sdk::ReportView& report, winglet::sdk::Sink& sink) override {
        const wg_report& r = report.raw();
        if (r.op_count && (!r.ops || r.op_stride < sizeof(wg_op_record)))
            throw winglet::sdk::Error(WG_ERR_INVALID_ARGUMENT, "malformed report: bad op table");
        constexpr size_t kChunk = 1 << 16;  // bytes handed to the sink at a time
        const bool compiled = winglet::csv_exporter::plan_of(r) != nullptr;
        std::string buf = winglet::csv_exporter::header(compiled);
        for (uint64_t i = 0; i < report.op_count(); ++i) {
            winglet::csv_exporter::append_row(buf, report.op(i), compiled);
            if (buf.size() >= kChunk) {
                sink.write(buf);
                buf.clear();
            }
        }
        sink.write(buf);
    }
};

}  // namespace

WINGLET_PLUGIN(CsvExporter)
