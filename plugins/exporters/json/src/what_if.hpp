// The ABI 1.3 additions: each op's `inputs` (the graph's edges) and the report's `what_if`: the
// precomputed alternatives, column by column over the ops that have a compressible weight.
#pragma once

#include "compiled.hpp"

#include <winglet/plugin.hpp>

namespace winglet::json_exporter {

// The activation tensors the op reads; an empty array from an older host.
Json op_inputs(const wg_op_record& o);

// The `what_if` object, or null when the host precomputed no alternatives (or none is op for op).
Json what_if_object(const sdk::ReportView& report);

}  // namespace winglet::json_exporter
