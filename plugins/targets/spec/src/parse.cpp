// parse_device_spec: TOML text -> validated DeviceSpec. Reads each section, then checks the
// references between sections (sources cited, units named in placement/fusion/transition).
#include "parse_parts.hpp"

#include <algorithm>
#include <set>

namespace winglet::device_spec {

using namespace detail;

namespace {

void read_device(TableReader& top, DeviceSpec& spec) {
    const toml::table* t = top.table("device", true);
    if (!t) return;
    TableReader r = top.child(*t, "device");
    spec.id = r.string("id", true);
    if (!spec.id.empty() && !valid_name(spec.id)) r.problem(r.get("id"), "id", "must be 1-64 characters of a-z 0-9 - _ .");
    spec.name = r.string("name", true);
    spec.vendor = r.string("vendor", true);
    spec.description = r.string("description", false);
    r.finish();
}

// What [memory] says about the weights' placement; checked once the units are known, because the
// default depends on their kinds.
struct WeightsKeys {
    std::optional<std::string> weights_in;    // absent: the default for the device's kind
    const toml::node* weights_in_at = nullptr;
    const toml::node* read_bandwidth_at = nullptr;
};

// weights_in = "storage", or cited: { value = "storage", source = "<key>", derived = "<why>" (optional) }.
void read_weights_in(TableReader& r, WeightsKeys& keys, Memory& m) {
    const toml::node* n = r.get("weights_in");
    keys.weights_in_at = n;
    if (!n) return;
    if (const auto* text = n->as_string()) {
        keys.weights_in = text->get();
    } else if (const toml::table* t = n->as_table()) {
        TableReader wr = r.child(*t, "weights_in");
        const std::string value = wr.string("value", true);
        if (const toml::node* v = wr.get("value"); v && v->is_string()) keys.weights_in = value;  // else reported above
        if (t->contains("source"))
            m.weights_in_source = wr.cite(true);
        else
            r.problem(n, "weights_in", "without a source: write { value = \"" + value +
                                           "\", source = \"<key of a [[source]]>\" }, or the bare string");
        m.weights_in_derivation = wr.string("derived", false);
        wr.finish();
    } else {
        r.problem(n, "weights_in", "expected \"storage\", \"ram\" or { value = \"storage\", source = \"<key>\" }, got " +
                                       std::string(type_name(*n)));
    }
}

WeightsKeys read_memory(TableReader& top, Memory& m) {
    WeightsKeys keys;
    const toml::table* t = top.table("memory", true);
    if (!t) return keys;
    TableReader r = top.child(*t, "memory");
    m.ram_bytes = r.quantity("ram_bytes", Check::positive, true).value_or(Quantity{});
    m.storage_bytes = r.quantity("storage_bytes", Check::positive, false);
    m.ram_bandwidth = r.quantity("ram_bandwidth", Check::positive, true).value_or(Quantity{});
    read_weights_in(r, keys, m);
    m.storage_read_bandwidth = r.quantity("storage_read_bandwidth", Check::positive, false);
    keys.read_bandwidth_at = r.get("storage_read_bandwidth");
    if (const toml::table* e = r.table("energy_pj_per_byte", true)) {
        TableReader er = r.child(*e, "energy_pj_per_byte");
        for (auto&& [k, v] : *e) {
            std::string level(k.str());
            er.get(level);
            auto lv = parse_memory_level(level);
            if (!lv) er.problem(&v, level, "unknown memory level '" + level + "' (expected one of dram, sram, flash)");
            else if (auto q = er.quantity_node(v, level, Check::positive)) m.energy_pj_per_byte.emplace(*lv, *q);
        }
        if (e->empty()) r.problem(e, "energy_pj_per_byte", "must give at least one memory level");
    }
    r.finish();
    return keys;
}

// Resolves memory.weights_in (given, or the default for the device's kind) and checks the keys
// that depend on it.
void resolve_weights_in(TableReader& top, const WeightsKeys& keys, DeviceSpec& spec) {
    Memory& m = spec.memory;
    if (keys.weights_in) {
        const std::optional<WeightsIn> w = parse_weights_in(*keys.weights_in);
        if (!w) {
            top.problem(keys.weights_in_at, "memory.weights_in",
                        "unknown value '" + *keys.weights_in +
                            "' (expected \"storage\": read in place from flash, or \"ram\": copied to RAM at load)");
            return;
        }
        m.weights_in = *w;
        m.weights_in_defaulted = false;
    } else {
        // An MCU runs its weights from flash (X-CUBE-AI, TensorFlow Lite Micro); others load them.
        const bool mcu = std::any_of(spec.units.begin(), spec.units.end(),
                                     [](const Unit& u) { return u.kind == UnitKind::mcu; });
        m.weights_in = mcu && m.storage_bytes ? WeightsIn::storage : WeightsIn::ram;
    }
    if (m.weights_in == WeightsIn::storage && !m.storage_bytes)
        top.problem(keys.weights_in_at, "memory.weights_in",
                    "\"storage\" needs memory.storage_bytes (the capacity the weights are checked against)");
    if (m.weights_in == WeightsIn::ram && m.storage_read_bandwidth)
        top.problem(keys.read_bandwidth_at, "memory.storage_read_bandwidth",
                    std::string("is used only when weights are read in place (weights_in = \"storage\"); "
                                "weights here are copied to RAM") +
                        (m.weights_in_defaulted ? " (the default for a device without an mcu unit and storage_bytes)" : ""));
}

std::vector<Source> read_sources(TableReader& top) {
    std::vector<Source> out;
    const toml::array* a = top.tables("source", true);
    if (!a) return out;
    std::set<std::string> keys;
    for (size_t i = 0; i < a->size(); ++i) {
        TableReader r = top.element(*a->get(i)->as_table(), "source #" + std::to_string(i + 1));
        Source s;
        s.key = r.string("key", true);
        if (!s.key.empty()) r.set_label("source '" + s.key + "'");
        if (!s.key.empty() && !valid_name(s.key)) r.problem(r.get("key"), "key", "must be 1-64 characters of a-z 0-9 - _ .");
        if (!s.key.empty() && !keys.insert(s.key).second) r.problem(r.get("key"), "key", "defined twice");
        s.title = r.string("title", true);
        // A source without a url is an in-house assumption; its `says` must explain it.
        s.url = r.string("url", false);
        if (!s.url.empty() && s.url.rfind("https://", 0) != 0 && s.url.rfind("http://", 0) != 0)
            r.problem(r.get("url"), "url", "must start with https:// or http://");
        s.says = r.string("says", true);
        r.finish();
        out.push_back(std::move(s));
    }
    return out;
}

// Checks that `name` is a unit; returns false (after reporting) if not.
bool known_unit(const DeviceSpec& spec, TableReader& r, std::string_view key, const std::string& name) {
    if (name.empty() || spec.find_unit(name)) return true;
    r.problem(r.get(key), key, "unknown unit '" + name + "'");
    return false;
}

void read_placement(TableReader& top, DeviceSpec& spec) {
    const toml::table* t = top.table("placement", true);
    if (!t) return;
    TableReader r = top.child(*t, "placement");
    spec.preference = r.strings("preference", true);
    std::set<std::string> seen;
    for (const auto& name : spec.preference) {
        known_unit(spec, r, "preference", name);
        if (!seen.insert(name).second) r.problem(r.get("preference"), "preference", "unit '" + name + "' listed twice");
    }
    for (const auto& u : spec.units)
        if (!u.name.empty() && r.get("preference") && !seen.count(u.name))
            r.problem(r.get("preference"), "preference", "unit '" + u.name + "' is missing (list every unit)");
    r.finish();
}

void read_fusions(TableReader& top, DeviceSpec& spec) {
    const toml::array* a = top.tables("fusion", false);
    if (!a) return;
    for (size_t i = 0; i < a->size(); ++i) {
        TableReader r = top.element(*a->get(i)->as_table(), "fusion #" + std::to_string(i + 1));
        Fusion f;
        f.unit = r.string("unit", true);
        f.pattern = r.strings("pattern", true);
        f.source = r.cite(false);
        r.finish();
        const Unit* u = known_unit(spec, r, "unit", f.unit) ? spec.find_unit(f.unit) : nullptr;
        if (r.get("pattern") && f.pattern.size() < 2) r.problem(r.get("pattern"), "pattern", "needs at least two ops");
        for (const auto& op : f.pattern)
            if (u && !u->supports_op(op)) r.problem(r.get("pattern"), "pattern", "op '" + op + "' is not in unit '" + f.unit + "' ops");
        spec.fusions.push_back(std::move(f));
    }
}

TransitionCost read_cost(TableReader& r) {
    TransitionCost c;
    c.fixed_us = r.quantity("fixed_us", Check::non_negative, true).value_or(Quantity{});
    c.bandwidth = r.quantity("bandwidth", Check::positive, true).value_or(Quantity{});
    return c;
}

void read_transition(TableReader& top, DeviceSpec& spec) {
    // With one unit there is nothing to move between.
    const toml::table* t = top.table("transition", spec.units.size() > 1);
    if (!t) return;
    TableReader r = top.child(*t, "transition");
    spec.transition.default_cost = read_cost(r);
    if (const toml::array* a = r.tables("pair", false)) {
        for (size_t i = 0; i < a->size(); ++i) {
            TableReader pr = r.element(*a->get(i)->as_table(), "transition.pair #" + std::to_string(i + 1));
            std::string from = pr.string("from", true), to = pr.string("to", true);
            TransitionCost c = read_cost(pr);
            pr.finish();
            bool ok = known_unit(spec, pr, "from", from) & known_unit(spec, pr, "to", to);
            if (!from.empty() && from == to) pr.problem(pr.get("to"), "to", "a transition needs two different units"), ok = false;
            if (ok && !spec.transition.pairs.emplace(std::make_pair(from, to), c).second)
                pr.problem(pr.get("to"), "to", "pair '" + from + "' -> '" + to + "' given twice");
        }
    }
    r.finish();
}

void read_units(TableReader& top, DeviceSpec& spec) {
    const toml::array* a = top.tables("unit", true);
    if (!a) return;
    for (size_t i = 0; i < a->size(); ++i) {
        TableReader r = top.element(*a->get(i)->as_table(), "");
        Unit u = read_unit(r, i);
        if (!u.name.empty() && spec.find_unit(u.name)) r.problem(r.get("name"), "name", "unit '" + u.name + "' defined twice");
        spec.units.push_back(std::move(u));
    }
}

void check_citations(const std::vector<Citation>& cites, DeviceSpec& spec, Diagnostics& diag,
                     const toml::table& root) {
    std::set<std::string> used;
    for (const auto& c : cites) {
        used.insert(c.key);
        if (!spec.find_source(c.key)) diag.add(c.at, "source '" + c.key + "' is cited but not defined in a [[source]]");
    }
    const toml::array* a = root["source"].as_array();
    for (size_t i = 0; i < spec.sources.size(); ++i)
        if (!spec.sources[i].key.empty() && !used.count(spec.sources[i].key))
            diag.add(a ? a->get(i) : nullptr, "source '" + spec.sources[i].key + "' is defined but never cited");
}

}  // namespace

DeviceSpec parse_device_spec(std::string_view text, std::string_view origin) {
    Diagnostics diag{std::string(origin)};
    toml::table root;
    try {
        root = toml::parse(text, origin);
    } catch (const toml::parse_error& e) {
        diag.add_at(e.source(), "TOML syntax error: " + std::string(e.description()));
        throw SpecError(diag.problems());
    }
    std::vector<Citation> cites;
    TableReader top(root, Scope{}, diag, cites);
    DeviceSpec spec;
    spec.origin = std::string(origin);
    spec.fingerprint = fingerprint_of(text);
    // `format` is the one uncited number: it versions this file format, not the hardware.
    if (auto f = top.integer("format", 1, 1)) spec.format = *f;
    else if (!root.contains("format")) top.problem(nullptr, "format", "missing required key (format = 1)");
    read_device(top, spec);
    const WeightsKeys weights_keys = read_memory(top, spec.memory);
    read_units(top, spec);
    resolve_weights_in(top, weights_keys, spec);
    read_placement(top, spec);
    read_fusions(top, spec);
    read_transition(top, spec);
    spec.sources = read_sources(top);
    top.finish();
    check_citations(cites, spec, diag, root);
    if (!diag.problems().empty()) throw SpecError(diag.problems());
    return spec;
}

}  // namespace winglet::device_spec
