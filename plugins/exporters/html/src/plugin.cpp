// The HTML exporter plugin: one self-contained, offline page with the report's table, graph,
// what-if panel and charts (`compile -o report.html`), or a comparison of several reports
// (`winglet compare A.json B.json -o diff.html`).
#include "document.hpp"
#include "page.hpp"

#include <nlohmann/json.hpp>

namespace {

namespace html = winglet::html_exporter;
namespace sdk = winglet::sdk;

class HtmlExporter : public sdk::Exporter {
public:
    static constexpr sdk::PluginInfo info{"html", WINGLET_PLUGIN_VERSION,
                                          "interactive report: table, graph, what-if panel and charts in one offline file"};
    static constexpr sdk::ExporterInfo exporter{"html", "html", "text/html"};

    explicit HtmlExporter(const sdk::Host&) {}

    void export_report(const sdk::ReportView& report, sdk::Sink& sink) override {
        sink.write(html::kPageHead);
        sink.write(R"({"kind":"report","report":)");
        winglet::json_exporter::write_document(
            report, [&](std::string_view bytes) { sink.write(html::script_safe(bytes)); },
            winglet::json_exporter::Layout::Compact);
        sink.write("}");
        sink.write(html::kPageTail);
    }

    void export_comparison(const std::vector<LabelledDocument>& documents, sdk::Sink& sink) override {
        if (documents.size() < 2)
            throw sdk::Error(WG_ERR_INVALID_ARGUMENT, "a comparison needs at least two reports");
        sink.write(html::kPageHead);
        sink.write(R"({"kind":"compare","reports":[)");
        for (size_t i = 0; i < documents.size(); ++i) {
            const nlohmann::json label = documents[i].label;
            sink.write(html::script_safe((i ? R"(,{"label":)" : R"({"label":)") + label.dump() + R"(,"report":)"));
            sink.write(html::script_safe(documents[i].json));
            sink.write("}");
        }
        sink.write("]}");
        sink.write(html::kPageTail);
    }
};

}  // namespace

WINGLET_PLUGIN(HtmlExporter)
