#include "document.hpp"

#include "compiled.hpp"
#include "compression.hpp"
#include "memory.hpp"
#include "what_if.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

namespace winglet::json_exporter {
namespace {


std::string str(const char* s) { return s ? s : ""; }

// ONNX spells the default domain ""; the document always names it.
std::string domain_name(const char* d) { return d && *d ? d : "ai.onnx"; }

void require(bool ok, const char* what) {
    if (!ok) throw sdk::Error(WG_ERR_INVALID_ARGUMENT, std::string("malformed report: ") + what);
}

Json strings(uint64_t count, const char* const* items) {
    Json out = Json::array();
    for (uint64_t i = 0; i < count; ++i) out.push_back(str(items[i]));
    return out;
}

// Known dims as integers, symbolic dims by name, anonymous unknown dims as null; null for an
// unknown rank.
Json shape(const wg_shape_view& s) {
    if (s.rank == WG_RANK_UNKNOWN) return nullptr;
    Json dims = Json::array();
    for (uint32_t i = 0; i < s.rank; ++i) {
        const wg_dim& d = s.dims[i];
        if (d.value >= 0)
            dims.push_back(d.value);
        else if (d.symbol && *d.symbol)
            dims.push_back(d.symbol);
        else
            dims.push_back(nullptr);
    }
    return dims;
}

// A value given with --input-value as a JSON number when it reads as one, else as its text.
Json given_value(const std::string& text) {
    const Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    return parsed.is_number() ? parsed : Json(text);
}

// (1.4) The inputs the analysis was given: [{name, shape, values}], shape and values null when
// not given.
Json given_inputs(const wg_report& r) {
    Json out = Json::array();
    if (!WINGLET_HAS_FIELD(r, wg_report, given_input_values)) return out;
    for (uint64_t i = 0; i < r.given_input_count; ++i) {
        Json shape_dims, values;
        const std::string shape_text = str(r.given_input_shapes[i]), values_text = str(r.given_input_values[i]);
        if (shape_text == "scalar") shape_dims = Json::array();
        else if (!shape_text.empty()) {
            shape_dims = Json::array();
            for (size_t from = 0, to; from <= shape_text.size(); from = to + 1) {
                to = std::min(shape_text.find('x', from), shape_text.size());
                shape_dims.push_back(given_value(shape_text.substr(from, to - from)));
            }
        }
        if (!values_text.empty()) {
            values = Json::array();
            for (size_t from = 0, to; from <= values_text.size(); from = to + 1) {
                to = std::min(values_text.find(',', from), values_text.size());
                values.push_back(given_value(values_text.substr(from, to - from)));
            }
        }
        out.push_back({{"name", str(r.given_input_names[i])}, {"shape", std::move(shape_dims)}, {"values", std::move(values)}});
    }
    return out;
}

Json model(const wg_report& r) {
    const wg_model_meta& m = *r.meta;
    Json opsets = Json::object();
    for (uint64_t i = 0; i < m.opset_count; ++i)
        opsets[domain_name(m.opset_domains[i])] = m.opset_versions[i];
    return {{"path", str(r.model_path)},
            {"content_hash", str(r.content_hash)},
            {"format", str(m.format)},
            {"ir_version", m.ir_version},
            {"producer_name", str(m.producer_name)},
            {"producer_version", str(m.producer_version)},
            {"graph_name", str(m.graph_name)},
            {"opsets", std::move(opsets)},
            {"given_inputs", given_inputs(r)}};
}

// (1.4) Values whose shape stays unknown, with the op that writes each and why.
Json unknown_shapes(const wg_report& r) {
    Json out = Json::array();
    if (!WINGLET_HAS_FIELD(r, wg_report, unknown_shape_reasons)) return out;
    for (uint64_t i = 0; i < r.unknown_shape_count; ++i)
        out.push_back({{"value", str(r.unknown_shape_values[i])},
                       {"op", str(r.unknown_shape_ops[i])},
                       {"reason", str(r.unknown_shape_reasons[i])}});
    return out;
}

Json shape_suggestions(const wg_report& r) {
    if (!WINGLET_HAS_FIELD(r, wg_report, shape_suggestions)) return Json::array();
    return strings(r.shape_suggestion_count, r.shape_suggestions);
}

Json totals(const wg_totals& t) {
    return {{"op_count", t.op_count},
            {"macs", t.macs},
            {"flops", t.flops},
            {"params", t.params},
            {"weight_bytes", t.weight_bytes},
            {"peak_activation_bytes", t.peak_activation_bytes},
            {"ops_without_cost_rule", t.ops_without_cost_rule}};
}

Json op(const wg_op_record& o) {
    // Without a cost rule MACs and FLOPs are unknown, not zero.
    const bool costed = o.flags & WG_OP_HAS_COST_RULE;
    Json shapes = Json::array();
    for (uint64_t i = 0; i < o.output_count; ++i) shapes.push_back(shape(o.output_shapes[i]));
    return {{"name", str(o.name)},
            {"op_type", str(o.op_type)},
            {"domain", domain_name(o.domain)},
            {"scope", str(o.scope)},
            {"macs", costed ? Json(o.macs) : Json()},
            {"flops", costed ? Json(o.flops) : Json()},
            {"params", o.params},
            {"weight_bytes", o.weight_bytes},
            {"input_bytes", o.input_bytes},
            {"output_bytes", o.output_bytes},
            {"output_names", strings(o.output_count, o.output_names)},
            {"output_shapes", std::move(shapes)},
            {"cost_rule", costed && o.cost_rule ? o.cost_rule : "none"},
            {"in_subgraph", (o.flags & WG_OP_IN_SUBGRAPH) != 0},
            {"assumed_dims", (o.flags & WG_OP_ASSUMED_DIMS) != 0},
            {"multiplier", o.multiplier}};
}

// (1.4) Whether the totals count an op inside an If branch; absent outside If branches.
void add_branch(Json& record, const wg_op_record& o) {
    if (WINGLET_HAS_FIELD(o, wg_op_record, branch) && o.branch && *o.branch) record["branch"] = o.branch;
}

// Writes JSON to the sink in chunks: pretty-printed (two-space indent, as nlohmann's dump(2)) or
// compact (no whitespace at all, for embedding).
class Writer {
public:
    Writer(const ByteWriter& write, bool pretty) : write_(write), pretty_(pretty) {}

    void raw(std::string_view text) { buf_.append(text); }
    // Whitespace that only the pretty layout has.
    void space(std::string_view text) {
        if (pretty_) buf_.append(text);
    }

    // `value` dumped as if nested `depth` levels deep: each line it starts gets the extra indent.
    void value(const Json& value, int depth) {
        const std::string text = value.dump(pretty_ ? 2 : -1, ' ', false, Json::error_handler_t::replace);
        if (!pretty_) {
            buf_.append(text);
        } else {
            const std::string newline = "\n" + std::string(2 * depth, ' ');
            for (size_t from = 0, to = 0; from < text.size(); from = to + 1) {
                to = std::min(text.find('\n', from), text.size());
                buf_.append(text, from, to - from);
                if (to < text.size()) buf_.append(newline);
            }
        }
        if (buf_.size() >= kChunk) flush();
    }

    // A top-level member; keys are plain ASCII and need no escaping.
    void member(std::string_view key, const Json& v, bool last = false) {
        space("  ");
        raw("\"");
        raw(key);
        raw("\":");
        space(" ");
        value(v, 1);
        if (!last) raw(",");
        space("\n");
    }

    void flush() {
        write_(buf_);
        buf_.clear();
    }

private:
    static constexpr size_t kChunk = 1 << 16;  // bytes handed to the sink at a time
    const ByteWriter& write_;
    const bool pretty_;
    std::string buf_;
};

}  // namespace

void write_document(const sdk::ReportView& report, const ByteWriter& write, Layout layout) {
    const wg_report& r = report.raw();
    require(r.meta && r.totals, "no model meta or totals");
    require(r.op_count == 0 || (r.ops && r.op_stride >= sizeof(wg_op_record)), "bad op table");

    Json op_types = Json::array();
    for (uint64_t i = 0; i < r.op_type_count; ++i)
        op_types.push_back({{"op_type", str(r.op_types[i].key)}, {"count", r.op_types[i].count}});

    Writer out(write, layout == Layout::Pretty);
    out.raw("{");
    out.space("\n");
    out.member("schema_version", kSchemaVersion);
    out.member("tool", {{"name", "winglet"}, {"version", str(r.tool_version)}});
    out.member("model", model(r));
    const wg_plan_summary* plan = plan_of(r);
    Json sums = totals(*r.totals);
    if (plan) add_compiled_totals(sums, *plan);
    const wg_report* baseline = baseline_of(r);
    if (baseline && baseline->op_count != r.op_count) baseline = nullptr;  // not op for op: ignore it
    if (baseline) add_totals_before(sums, *baseline);
    out.member("totals", sums);
    out.member("op_types", op_types);
    // One op at a time, so memory stays flat however large the model.
    out.space("  ");
    out.raw("\"ops\":");
    out.space(" ");
    out.raw("[");
    const SpillIndex spills = plan ? spills_of(*plan) : SpillIndex{};
    for (uint64_t i = 0; i < report.op_count(); ++i) {
        if (i) out.raw(",");
        out.space("\n    ");
        Json record = op(report.op(i));
        add_branch(record, report.op(i));
        if (plan) add_compiled_op(record, report.op(i), plan);
        if (plan) add_spill_op(record, *plan, spills, i);
        add_compression_op(record, report.op(i), baseline ? &sdk::ReportView(baseline).op(i) : nullptr);
        record["inputs"] = op_inputs(report.op(i));
        out.value(record, 2);
    }
    if (report.op_count()) out.space("\n  ");
    out.raw("],");
    out.space("\n");
    out.member("warnings", strings(r.warning_count, r.warnings));
    const Json what_if = what_if_object(report);
    out.member("assumed_dims", strings(r.assumed_dim_count, r.assumed_dims));
    out.member("unknown_shapes", unknown_shapes(r));
    out.member("shape_suggestions", shape_suggestions(r), /*last=*/!plan && what_if.is_null());
    if (plan) out.member("plan", plan_object(*plan), /*last=*/what_if.is_null());
    if (!what_if.is_null()) out.member("what_if", what_if, /*last=*/true);
    out.raw("}\n");
    out.flush();
}

}  // namespace winglet::json_exporter
