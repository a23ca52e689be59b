// RFC 4180 records for the CSV exporter; the columns are documented in ../README.md.
#pragma once

#include <winglet/plugin.h>

#include <string>
#include <string_view>

namespace winglet::csv_exporter {

// The plan of a `compile` report; nullptr for `inspect` or on a host older than ABI 1.1.
const wg_plan_summary* plan_of(const wg_report& r);

// The header record, CRLF-terminated; `compiled` adds the plan's per-op columns.
std::string header(bool compiled);

// Appends the op's record, CRLF-terminated, to `out`.
void append_row(std::string& out, const wg_op_record& op, bool compiled);

}  // namespace winglet::csv_exporter
