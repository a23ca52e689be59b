#include "rows.hpp"

#include <charconv>
#include <cstddef>

namespace winglet::csv_exporter {
namespace {

std::string_view str(const char* s) { return s ? s : ""; }

// ONNX spells the default domain ""; the CSV names it, as the JSON does.
std::string_view domain_name(const char* d) { return d && *d ? d : "ai.onnx"; }

void append_number(std::string& out, uint64_t v) {
    char buf[24];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

// Shortest text that reads back as the same double.
void append_number(std::string& out, double v) {
    char buf[32];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

void append_shape(std::string& out, const wg_shape_view& s) {
    if (s.rank == WG_RANK_UNKNOWN) {
        out.push_back('?');
        return;
    }
    if (s.rank == 0) {
        out.append("scalar");
        return;
    }
    for (uint32_t i = 0; i < s.rank; ++i) {
        if (i) out.push_back('x');
        const wg_dim& d = s.dims[i];
        if (d.value >= 0)
            append_number(out, static_cast<uint64_t>(d.value));
        else
            out.append(d.symbol && *d.symbol ? d.symbol : "?");
    }
}

// One field, quoted (quotes doubled) when it holds a comma, a quote, CR or LF.
void append_field(std::string& out, std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
        out.append(value);
        return;
    }
    out.push_back('"');
    for (char c : value) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

// "1x3x224x224;1x10": outputs joined by ';', dims by 'x'; a symbolic dim by its name, an
// anonymous unknown dim or an unknown rank as '?', a scalar as "scalar".
std::string shapes_text(const wg_op_record& op) {
    std::string out;
    for (uint64_t i = 0; i < op.output_count; ++i) {
        if (i) out.push_back(';');
        append_shape(out, op.output_shapes[i]);
    }
    return out;
}

std::string_view bound_name(uint32_t bound) {
    switch (bound) {
        case WG_BOUND_COMPUTE: return "compute";
        case WG_BOUND_MEMORY: return "memory";
        case WG_BOUND_OVERHEAD: return "overhead";
        default: return "";
    }
}

// The plan's columns; empty fields on a 1.0 host's record, which has none of them.
void append_compiled(std::string& out, const wg_op_record& op) {
    if (op.struct_size < offsetof(wg_op_record, bound) + sizeof op.bound) {
        out.append(",,,,,,,,,");
        return;
    }
    out.push_back(',');
    append_field(out, str(op.unit));
    out.push_back(',');
    append_field(out, str(op.fallback_reason));
    out.push_back(',');
    if (op.group >= 0) append_number(out, static_cast<uint64_t>(op.group));  // -1: not fused
    for (double v : {op.start_us, op.latency_us, op.energy_uj}) {
        out.push_back(',');
        append_number(out, v);
    }
    out.push_back(',');
    append_number(out, op.memory_traffic_bytes);
    out.push_back(',');
    out.append(bound_name(op.bound));
    if (op.struct_size < offsetof(wg_op_record, critical) + sizeof op.critical) {  // a 1.1 host's record
        out.append(",,");
        return;
    }
    out.append(op.critical ? ",true," : ",false,");
    if (op.arena_offset >= 0) append_number(out, static_cast<uint64_t>(op.arena_offset));
}

}  // namespace

const wg_plan_summary* plan_of(const wg_report& r) {
    // `&r` is never NULL; WG_HAS_FIELD's NULL test is for pointers, so check the size directly.
    return r.struct_size >= offsetof(wg_report, plan) + sizeof r.plan ? r.plan : nullptr;
}

std::string header(bool compiled) {
    std::string h = "name,op_type,domain,scope,output_shapes,macs,flops,params,weight_bytes,input_bytes,"
                    "output_bytes,cost_rule,in_subgraph,assumed_dims,multiplier";
    if (compiled) h += ",unit,fallback_reason,group,start_us,latency_us,energy_uj,memory_traffic_bytes,bound,critical,arena_offset";
    return h + "\r\n";
}

void append_row(std::string& out, const wg_op_record& op, bool compiled) {
    const auto text = [&](std::string_view v) {
        out.push_back(',');
        append_field(out, v);
    };
    const auto number = [&](auto v) {
        out.push_back(',');
        append_number(out, v);
    };
    const auto flag = [&](uint32_t bit) { out.append(op.flags & bit ? ",true" : ",false"); };
    // Without a cost rule MACs and FLOPs are unknown: empty fields, not zeros.
    const bool costed = op.flags & WG_OP_HAS_COST_RULE;

    append_field(out, str(op.name));
    text(str(op.op_type));
    text(domain_name(op.domain));
    text(str(op.scope));
    text(shapes_text(op));
    if (costed) {
        number(op.macs);
        number(op.flops);
    } else {
        out.append(",,");
    }
    number(op.params);
    number(op.weight_bytes);
    number(op.input_bytes);
    number(op.output_bytes);
    text(costed && op.cost_rule ? op.cost_rule : "none");
    flag(WG_OP_IN_SUBGRAPH);
    flag(WG_OP_ASSUMED_DIMS);
    number(op.multiplier);
    if (compiled) append_compiled(out, op);
    out.append("\r\n");  // RFC 4180 ends every record with CRLF
}

}  // namespace winglet::csv_exporter
