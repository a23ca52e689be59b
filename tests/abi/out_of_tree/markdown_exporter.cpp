// A Markdown exporter for `winglet inspect -o report.md`: a per-operation table and the model
// totals, readable on any forge. Built out of tree against the installed SDK only.
#include <winglet/plugin.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace {

// Text for a table cell: '|' would end the cell and '\' would escape what follows, so both are
// backslash-escaped; line breaks and other control characters would end the row, so they become
// spaces.
std::string cell(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c == '|' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::string or_unknown(const char* s) { return s && *s ? cell(s) : "?"; }

std::string output_shapes(const wg_op_record& op) {
    std::string out;
    for (uint64_t i = 0; i < op.output_count; ++i) {
        if (i) out += ' ';
        out += winglet::sdk::ReportView::shape_to_string(op.output_shapes[i]);
    }
    return cell(out);
}

void row(std::string& out, std::initializer_list<std::string> cells) {
    out += '|';
    for (const std::string& c : cells) out += ' ' + c + " |";
    out += '\n';
}

class MarkdownExporter : public winglet::sdk::Exporter {
public:
    static constexpr winglet::sdk::PluginInfo info{"markdown", MARKDOWN_EXPORTER_VERSION,
                                                   "inspect report as Markdown tables"};
    static constexpr winglet::sdk::ExporterInfo exporter{"markdown", "md", "text/markdown"};

    explicit MarkdownExporter(const winglet::sdk::Host&) {}

    void export_report(const winglet::sdk::ReportView& report, winglet::sdk::Sink& sink) override {
        const wg_report& r = report.raw();
        std::string out = "# winglet report\n\n";
        out += "- model: " + or_unknown(r.model_path) + "\n";
        if (r.meta)
            out += "- format: " + or_unknown(r.meta->format) + " (IR " + std::to_string(r.meta->ir_version) +
                   "), producer " + or_unknown(r.meta->producer_name) + " " + or_unknown(r.meta->producer_version) +
                   "\n";
        out += "- content hash: " + or_unknown(r.content_hash) + "\n";
        out += "- winglet: " + or_unknown(r.tool_version) + "\n\n";

        out += "## Operations\n\n";
        row(out, {"#", "name", "op type", "output shapes", "MACs", "params"});
        out += "| ---: | :--- | :--- | :--- | ---: | ---: |\n";
        for (uint64_t i = 0; i < report.op_count(); ++i) {
            const wg_op_record& op = report.op(i);
            const bool costed = op.flags & WG_OP_HAS_COST_RULE;
            row(out, {std::to_string(i + 1), cell(op.name ? op.name : ""), or_unknown(op.op_type),
                      output_shapes(op), costed ? std::to_string(op.macs) : "n/a", std::to_string(op.params)});
        }

        if (const wg_totals* t = r.totals) {
            out += "\n## Totals\n\n";
            row(out, {"metric", "value"});
            out += "| :--- | ---: |\n";
            row(out, {"ops", std::to_string(t->op_count)});
            row(out, {"MACs", std::to_string(t->macs)});
            row(out, {"FLOPs", std::to_string(t->flops)});
            row(out, {"params", std::to_string(t->params)});
            row(out, {"weight bytes", std::to_string(t->weight_bytes)});
            row(out, {"peak activation bytes", std::to_string(t->peak_activation_bytes)});
            row(out, {"ops without a cost rule", std::to_string(t->ops_without_cost_rule)});
        }

        if (r.warning_count) {
            out += "\n## Warnings\n\n";
            for (uint64_t i = 0; i < r.warning_count; ++i) out += "- " + cell(r.warnings[i]) + "\n";
        }
        sink.write(out);
    }
};

}  // namespace

WINGLET_PLUGIN(MarkdownExporter)
