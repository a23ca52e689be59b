// RFC 4180 records for the CSV exporter; the columns are documented in ../README.md.
#pragma once

#include <winglet/plugin.h>

#include <string>
#include <string_view>

namespace winglet::csv_exporter {

// The header record, CRLF-terminated.
std::string_view header();

// Appends the op's record, CRLF-terminated, to `out`.
void append_row(std::string& out, const wg_op_record& op);

}  // namespace winglet::csv_exporter
