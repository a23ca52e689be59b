// Reading one [[unit]] table. Cross-references to other parts of the spec (sources, placement,
// fusions) are checked in parse.cpp once everything is read.
#include "parse_parts.hpp"

#include <algorithm>

namespace winglet::device_spec::detail {

namespace {

// Per-dtype tables ([unit.peak_ops], [unit.energy_pj_per_mac]).
std::map<DType, Quantity> dtype_quantities(TableReader& unit, std::string_view key, bool required) {
    std::map<DType, Quantity> out;
    const toml::table* t = unit.table(key, required);
    if (!t) return out;
    TableReader r = unit.child(*t, key);
    for (auto&& [k, v] : *t) {
        std::string name(k.str());
        r.get(name);
        auto dtype = parse_dtype(name);
        if (!dtype) {
            r.problem(&v, name, "unknown dtype '" + name + "' (expected one of fp32, fp16, bf16, int8, int4)");
            continue;
        }
        if (auto q = r.quantity_node(v, name, Check::positive)) out.emplace(*dtype, *q);
    }
    if (t->empty()) unit.problem(t, key, "must list at least one dtype");
    return out;
}

OpConstraint read_constraint(TableReader& r, const Unit& unit) {
    OpConstraint c;
    for (const std::string& d : r.strings("dtypes", false)) {
        auto dtype = parse_dtype(d);
        if (!dtype) r.problem(r.get("dtypes"), "dtypes", "unknown dtype '" + d + "' (expected one of fp32, fp16, bf16, int8, int4)");
        else if (!unit.supports(*dtype)) r.problem(r.get("dtypes"), "dtypes", "dtype '" + d + "' has no peak_ops entry on this unit");
        else c.dtypes.push_back(*dtype);
    }
    c.kernel_max = r.integer("kernel_max", 1, 1 << 20);
    c.rank_max = r.integer("rank_max", 0, 64);
    c.dynamic_shapes = r.boolean("dynamic_shapes", true);
    // A limit is a claim about the hardware or its compiler, so it needs a citation too.
    c.source = r.cite(c.kernel_max || c.rank_max || !c.dtypes.empty() || !c.dynamic_shapes);
    r.finish();
    return c;
}

void read_constraints(TableReader& ur, Unit& unit) {
    const toml::table* t = ur.table("constraints", false);
    if (!t) return;
    TableReader cr = ur.child(*t, "constraints");
    for (auto&& [k, v] : *t) {
        std::string op(k.str());
        cr.get(op);
        const toml::table* ct = v.as_table();
        if (!ct) {
            cr.problem(&v, op, "expected a table of limits, got " + std::string(type_name(v)));
            continue;
        }
        if (!unit.supports_op(op)) cr.problem(&v, op, "constraint for op '" + op + "' which the unit does not list in 'ops'");
        TableReader r = cr.child(*ct, op);
        unit.constraints[op] = read_constraint(r, unit);
    }
}

void read_efficiency(TableReader& ur, Unit& unit) {
    const toml::table* t = ur.table("efficiency", true);
    if (!t) return;
    TableReader r = ur.child(*t, "efficiency");
    const auto& classes = efficiency_classes();
    for (auto&& [k, v] : *t) {
        std::string cls(k.str());
        r.get(cls);
        if (std::find(classes.begin(), classes.end(), cls) == classes.end()) {
            std::string list;
            for (const auto& c : classes) list += (list.empty() ? "" : ", ") + c;
            r.problem(&v, cls, "unknown op class '" + cls + "' (expected one of " + list + ")");
            continue;
        }
        if (auto e = r.efficiency_node(v, cls)) unit.efficiency.emplace(cls, *e);
    }
    if (!t->contains("default")) r.problem(t, "default", "missing required key");
}

// decode_ops_per_element = { lut = {...}, dequantize = {...} }: either key may be left out.
void read_decode_ops(TableReader& ur, Unit& unit) {
    const toml::table* t = ur.table("decode_ops_per_element", false);
    if (!t) return;
    TableReader r = ur.child(*t, "decode_ops_per_element");
    unit.decode_ops_lut = r.quantity("lut", Check::non_negative, false);
    unit.decode_ops_dequantize = r.quantity("dequantize", Check::non_negative, false);
    if (t->empty()) ur.problem(t, "decode_ops_per_element", "must give lut, dequantize or both");
    r.finish();
}

// sparsity_2_4 = true (every dtype of the unit) or a list of the dtypes whose path exploits it
// (Ampere: the Tensor Cores' fp16/bf16/int8/int4, not the CUDA cores' fp32).
void read_sparsity_2_4(TableReader& ur, Unit& unit) {
    const toml::node* n = ur.get("sparsity_2_4");
    if (!n) return;
    if (const auto b = n->as_boolean()) {
        unit.sparsity_2_4 = b->get();
        return;
    }
    if (!n->is_array()) {
        ur.problem(n, "sparsity_2_4", "expected true, false or an array of dtypes, got " + std::string(type_name(*n)));
        return;
    }
    for (const std::string& d : ur.strings("sparsity_2_4", false)) {
        const auto dtype = parse_dtype(d);
        if (!dtype) ur.problem(n, "sparsity_2_4", "unknown dtype '" + d + "' (expected one of fp32, fp16, bf16, int8, int4)");
        else if (!unit.supports(*dtype)) ur.problem(n, "sparsity_2_4", "dtype '" + d + "' has no peak_ops entry on this unit");
        else unit.sparsity_2_4_dtypes.push_back(*dtype);
    }
    if (n->as_array()->empty()) ur.problem(n, "sparsity_2_4", "must list at least one dtype (or write false)");
    unit.sparsity_2_4 = !unit.sparsity_2_4_dtypes.empty();
}

void read_ops(TableReader& ur, Unit& unit) {
    std::vector<std::string> ops = ur.strings("ops", true);
    const toml::node* at = ur.get("ops");
    if (at && at->is_array() && ops.empty()) ur.problem(at, "ops", "must list at least one op, or \"*\" for all");
    unit.all_ops = std::find(ops.begin(), ops.end(), "*") != ops.end();
    if (unit.all_ops && ops.size() > 1) ur.problem(at, "ops", "\"*\" means every op; list nothing else beside it");
    if (!unit.all_ops) unit.ops = std::move(ops);
}

}  // namespace

bool valid_name(std::string_view s) {
    if (s.empty() || s.size() > 64) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    });
}

Unit read_unit(TableReader& r, size_t index) {
    Unit u;
    r.set_label("unit #" + std::to_string(index + 1));
    u.name = r.string("name", true);
    if (!u.name.empty()) {
        r.set_label("unit '" + u.name + "'");
        if (!valid_name(u.name)) r.problem(r.get("name"), "name", "must be 1-64 characters of a-z 0-9 - _ .");
    }
    std::string kind = r.string("kind", true);
    if (auto k = parse_unit_kind(kind)) u.kind = *k;
    else if (!kind.empty())
        r.problem(r.get("kind"), "kind", "unknown unit kind '" + kind + "' (expected one of cpu, gpu, npu, dsp, mcu, accelerator)");
    u.description = r.string("description", false);
    u.peak_ops = dtype_quantities(r, "peak_ops", true);
    u.energy_pj_per_mac = dtype_quantities(r, "energy_pj_per_mac", true);
    for (const auto& [d, q] : u.peak_ops)
        if (!u.energy_pj_per_mac.count(d)) r.problem(r.get("energy_pj_per_mac"), "energy_pj_per_mac", "no entry for dtype '" + std::string(to_string(d)) + "' which has a peak_ops entry");
    for (const auto& [d, q] : u.energy_pj_per_mac)
        if (!u.peak_ops.count(d)) r.problem(r.get("energy_pj_per_mac"), "energy_pj_per_mac", "entry for dtype '" + std::string(to_string(d)) + "' which has no peak_ops entry");
    u.onchip_bytes = r.quantity("onchip_bytes", Check::positive, false);
    auto bw = r.quantity("bandwidth", Check::positive, true);
    auto dispatch = r.quantity("dispatch_us", Check::non_negative, true);
    const std::string dispatch_per = r.string("dispatch", false);
    if (dispatch_per == "per_segment") u.dispatch_per_segment = true;
    else if (!dispatch_per.empty() && dispatch_per != "per_op")
        r.problem(r.get("dispatch"), "dispatch", "must be \"per_op\" (the default) or \"per_segment\", got '" + dispatch_per + "'");
    auto power = r.quantity("static_power_w", Check::non_negative, true);
    read_ops(r, u);
    read_constraints(r, u);
    read_efficiency(r, u);
    read_decode_ops(r, u);
    read_sparsity_2_4(r, u);
    u.sparsity_unstructured = r.boolean("sparsity_unstructured", false);
    r.finish();
    // Missing values were reported; keep the unit so later checks don't cascade ("unknown unit").
    u.bandwidth = bw.value_or(Quantity{});
    u.dispatch_us = dispatch.value_or(Quantity{});
    u.static_power_w = power.value_or(Quantity{});
    return u;
}

}  // namespace winglet::device_spec::detail
