#include "what_if.hpp"

#include <cmath>
#include <string>
#include <vector>

namespace winglet::json_exporter {
namespace {

std::string str(const char* s) { return s ? s : ""; }

Json finite_or_null(double v) { return std::isfinite(v) ? Json(v) : Json(); }

bool has_compression(const wg_op_record& o) {
    return o.struct_size >= offsetof(wg_op_record, compression) + sizeof o.compression && o.compression;
}

// Ops that some alternative compressed: the what-if candidates, in execution order.
std::vector<uint64_t> candidates(const sdk::ReportView& report, const std::vector<sdk::ReportView>& alternatives) {
    std::vector<uint64_t> ops;
    for (uint64_t i = 0; i < report.op_count(); ++i)
        for (const sdk::ReportView& alt : alternatives)
            if (has_compression(alt.op(i))) {
                ops.push_back(i);
                break;
            }
    return ops;
}

Json alternative_columns(const wg_alternative& a, const sdk::ReportView& alt, const std::vector<uint64_t>& ops) {
    Json latency = Json::array(), energy = Json::array(), weights = Json::array(), traffic = Json::array(),
         macs = Json::array(), sqnr = Json::array(), rel_l2 = Json::array(), cosine = Json::array();
    for (uint64_t i : ops) {
        const wg_op_record& o = alt.op(i);
        latency.push_back(o.latency_us);
        energy.push_back(o.energy_uj);
        weights.push_back(o.weight_bytes);
        traffic.push_back(o.memory_traffic_bytes);
        macs.push_back(o.macs);
        // Untouched by this alternative: exact.
        const bool c = has_compression(o);
        sqnr.push_back(c ? finite_or_null(o.compression->sqnr_db) : Json());
        rel_l2.push_back(c ? o.compression->rel_l2 : 0.0);
        cosine.push_back(c ? o.compression->cosine : 1.0);
    }
    return {{"id", str(a.id)},
            {"label", str(a.label)},
            {"technique", str(a.technique)},
            {"recipe", str(a.recipe)},
            {"totals", report_totals(alt.raw())},
            {"latency_us", std::move(latency)},
            {"energy_uj", std::move(energy)},
            {"weight_bytes", std::move(weights)},
            {"memory_traffic_bytes", std::move(traffic)},
            {"macs", std::move(macs)},
            {"sqnr_db", std::move(sqnr)},
            {"rel_l2", std::move(rel_l2)},
            {"cosine", std::move(cosine)}};
}

}  // namespace

Json op_inputs(const wg_op_record& o) {
    Json names = Json::array();
    for (const std::string& name : sdk::ReportView::input_names(o)) names.push_back(name);
    return names;
}

Json what_if_object(const sdk::ReportView& report) {
    std::vector<const wg_alternative*> records;
    std::vector<sdk::ReportView> views;
    for (uint64_t k = 0; k < report.alternative_count(); ++k) {
        const wg_alternative& a = report.alternative(k);
        // Only an alternative that lists the same ops can be read column by column.
        if (a.struct_size < offsetof(wg_alternative, report) + sizeof a.report || !a.report || !a.report->totals ||
            a.report->op_count != report.op_count() || (a.report->op_count && !a.report->ops))
            continue;
        records.push_back(&a);
        views.emplace_back(a.report);
    }
    if (records.empty()) return nullptr;
    const std::vector<uint64_t> ops = candidates(report, views);
    Json alternatives = Json::array();
    for (size_t k = 0; k < records.size(); ++k) alternatives.push_back(alternative_columns(*records[k], views[k], ops));
    return {{"ops", ops}, {"alternatives", std::move(alternatives)}};
}

}  // namespace winglet::json_exporter
