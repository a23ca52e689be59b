// The ABI 1.2 additions of a report made with a recipe: each op's `compression` (technique,
// options, error, bits) and `before`, the same op in the uncompressed model; `totals.before`.
#pragma once

#include "compiled.hpp"

namespace winglet::json_exporter {

// The uncompressed report, or nullptr (no recipe, or a host older than 1.2).
const wg_report* baseline_of(const wg_report& r);

// Adds `compression` when the op's weight was compressed, and `before` when there is a baseline.
void add_compression_op(Json& op, const wg_op_record& o, const wg_op_record* before);
// Adds `before`: the baseline's weight bytes, MACs, FLOPs and, when compiled, latency, energy, memory.
void add_totals_before(Json& totals, const wg_report& baseline);

}  // namespace winglet::json_exporter
