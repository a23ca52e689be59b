#include "compression.hpp"

#include <cmath>
#include <cstddef>
#include <string>

namespace winglet::json_exporter {
namespace {

std::string str(const char* s) { return s ? s : ""; }

// JSON has no infinity: an exact (lossless) tensor's SQNR is written as null.
Json finite_or_null(double v) { return std::isfinite(v) ? Json(v) : Json(); }

bool has_1_2(const wg_op_record& o) { return o.struct_size >= offsetof(wg_op_record, compression) + sizeof o.compression; }

}  // namespace

const wg_report* baseline_of(const wg_report& r) {
    return r.struct_size >= offsetof(wg_report, baseline) + sizeof r.baseline ? r.baseline : nullptr;
}

void add_compression_op(Json& op, const wg_op_record& o, const wg_op_record* before) {
    if (has_1_2(o) && o.compression && o.compression->struct_size >= offsetof(wg_op_compression, activations_int8) + 4) {
        const wg_op_compression& c = *o.compression;
        op["compression"] = {{"tensor", str(c.tensor)},
                             {"technique", str(c.technique)},
                             {"options", str(c.options)},
                             {"sqnr_db", finite_or_null(c.sqnr_db)},
                             {"rel_l2", finite_or_null(c.rel_l2)},
                             {"cosine", c.cosine},
                             {"max_abs_error", c.max_abs_error},
                             {"bits", c.storage_bits},
                             {"original_bits", c.original_bits},
                             {"sparsity", c.sparsity},
                             {"activations_int8", c.activations_int8 != 0}};
    }
    if (!before) return;
    Json b = {{"weight_bytes", before->weight_bytes}, {"macs", before->macs}, {"flops", before->flops}};
    if (before->struct_size >= offsetof(wg_op_record, bound) + sizeof before->bound && before->unit) {
        b["latency_us"] = before->latency_us;
        b["energy_uj"] = before->energy_uj;
        b["memory_traffic_bytes"] = before->memory_traffic_bytes;
        b["unit"] = str(before->unit);
    }
    op["before"] = std::move(b);
}

void add_totals_before(Json& totals, const wg_report& baseline) { totals["before"] = report_totals(baseline); }

}  // namespace winglet::json_exporter
