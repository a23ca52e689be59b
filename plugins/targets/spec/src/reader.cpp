#include "reader.hpp"

#include <cmath>
#include <cstdio>

namespace winglet::device_spec::detail {

namespace {

// Beyond this no real device quantity lies, and products of two such numbers stay finite.
constexpr double kMaxMagnitude = 1e24;

std::optional<double> number_of(const toml::node& n) {
    if (auto i = n.as_integer()) return static_cast<double>(i->get());
    if (auto f = n.as_floating_point()) return f->get();
    return std::nullopt;
}

std::string expected(std::string_view what, const toml::node& got) {
    return "expected " + std::string(what) + ", got " + std::string(type_name(got));
}

constexpr std::string_view kCiteHint = "number without a source: write { value = ..., source = \"<key of a [[source]]>\" }";

}  // namespace

void Diagnostics::add_at(const toml::source_region& at, const std::string& message) {
    if (at.begin.line > 0)
        problems_.push_back(origin_ + ":" + std::to_string(at.begin.line) + ":" +
                            std::to_string(at.begin.column) + ": " + message);
    else
        problems_.push_back(origin_ + ": " + message);
}

void Diagnostics::add(const toml::node* at, const std::string& message) {
    add_at(at ? at->source() : toml::source_region{}, message);
}

std::string Scope::where(std::string_view key) const {
    std::string path = prefix + std::string(key);
    if (!path.empty() && path.back() == '.') path.pop_back();
    std::string quoted = "key '" + path + "'";
    return label.empty() ? quoted : label + " " + quoted;
}

std::string format_number(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    // "-5e+09" reads worse than the TOML the user wrote ("-5e9").
    std::string s = buf;
    auto e = s.find('e');
    if (e != std::string::npos) {
        std::string mant = s.substr(0, e), exp = s.substr(e + 1);
        bool neg = exp[0] == '-';
        size_t digits = exp.find_first_not_of("+-0");
        s = mant + "e" + (neg ? "-" : "") + (digits == std::string::npos ? "0" : exp.substr(digits));
    }
    return s;
}

std::string_view type_name(const toml::node& n) {
    switch (n.type()) {
        case toml::node_type::table: return "a table";
        case toml::node_type::array: return "an array";
        case toml::node_type::string: return "a string";
        case toml::node_type::integer: return "an integer";
        case toml::node_type::floating_point: return "a float";
        case toml::node_type::boolean: return "a boolean";
        case toml::node_type::date: return "a date";
        case toml::node_type::time: return "a time";
        case toml::node_type::date_time: return "a date-time";
        default: return "nothing";
    }
}

void TableReader::problem(const toml::node* at, std::string_view key, const std::string& what) const {
    diag_.add(at ? at : &table_, scope_.where(key) + ": " + what);
}

const toml::node* TableReader::get(std::string_view key) {
    seen_.emplace(key);
    return table_.get(key);
}

std::string TableReader::string(std::string_view key, bool required) {
    const toml::node* n = get(key);
    if (!n) {
        if (required) problem(nullptr, key, "missing required key");
        return {};
    }
    if (auto s = n->as_string()) return s->get();
    problem(n, key, expected("a string", *n));
    return {};
}

bool TableReader::check_value(const toml::node& at, const std::string& key, double v, Check check) {
    std::string got = ", got " + format_number(v);
    std::string bad;
    if (!std::isfinite(v)) bad = "must be a finite number" + got;
    else if (std::fabs(v) > kMaxMagnitude) bad = "must be at most 1e24 in magnitude" + got;
    else if (check == Check::positive && !(v > 0)) bad = "must be positive" + got;
    else if (check == Check::non_negative && v < 0) bad = "must not be negative" + got;
    else if (check == Check::fraction && !(v > 0 && v <= 1)) bad = "must be a fraction in (0, 1]" + got;
    if (bad.empty()) return true;
    problem(&at, key, bad);
    return false;
}

std::optional<Quantity> TableReader::quantity_node(const toml::node& n, const std::string& key, Check check) {
    const toml::table* t = n.as_table();
    if (!t) {
        problem(&n, key, n.is_number() ? std::string(kCiteHint) : expected("{ value = <number>, source = \"...\" }", n));
        return std::nullopt;
    }
    TableReader r = child(*t, key);
    Quantity q;
    bool ok = true;
    if (const toml::node* v = r.get("value")) {
        auto num = number_of(*v);
        if (!num) r.problem(v, "value", expected("a number", *v)), ok = false;
        else ok = check_value(*v, key, *num, check) && ok, q.value = num.value_or(0);
    } else {
        r.problem(nullptr, "value", "missing required key");
        ok = false;
    }
    q.source = r.cite(true);
    q.derivation = r.string("derived", false);
    r.finish();
    if (q.source.empty()) ok = false;
    return ok ? std::optional<Quantity>(q) : std::nullopt;
}

std::optional<Quantity> TableReader::quantity(std::string_view key, Check check, bool required) {
    const toml::node* n = get(key);
    if (!n) {
        if (required) problem(nullptr, key, "missing required key");
        return std::nullopt;
    }
    return quantity_node(*n, std::string(key), check);
}

std::optional<Efficiency> TableReader::efficiency_node(const toml::node& n, const std::string& key) {
    const toml::table* t = n.as_table();
    if (!t) {
        problem(&n, key, n.is_number() ? std::string(kCiteHint)
                                       : expected("{ value = <fraction>, source = \"...\" }", n));
        return std::nullopt;
    }
    TableReader r = child(*t, key);
    Efficiency e;
    bool ok = true;
    auto field = [&](std::string_view name, Check check, double& out) {
        const toml::node* v = r.get(name);
        if (!v) return false;
        auto num = number_of(*v);
        if (!num) r.problem(v, name, expected("a number", *v)), ok = false;
        else if (!check_value(*v, key + "." + std::string(name), *num, check)) ok = false;
        else out = *num;
        return true;
    };
    double value = 1;
    bool constant = field("value", Check::fraction, value);
    bool has_min = field("min", Check::fraction, e.min);
    bool has_max = field("max", Check::fraction, e.max);
    bool has_half = field("half_at_macs", Check::positive, e.half_at_macs);
    if (constant && (has_min || has_max || has_half)) {
        r.problem(t, "", "give either 'value' or 'min', 'max' and 'half_at_macs', not both"), ok = false;
    } else if (constant) {
        e.min = e.max = value;
    } else if (!(has_min && has_max && has_half)) {
        r.problem(t, "", "needs 'value', or all of 'min', 'max' and 'half_at_macs'"), ok = false;
    } else if (ok && e.min > e.max) {
        r.problem(t, "", "min (" + format_number(e.min) + ") must not exceed max (" + format_number(e.max) + ")");
        ok = false;
    }
    e.source = r.cite(true);
    e.derivation = r.string("derived", false);
    r.finish();
    if (e.source.empty()) ok = false;
    return ok ? std::optional<Efficiency>(e) : std::nullopt;
}

bool TableReader::boolean(std::string_view key, bool fallback) {
    const toml::node* n = get(key);
    if (!n) return fallback;
    if (auto b = n->as_boolean()) return b->get();
    problem(n, key, expected("a boolean", *n));
    return fallback;
}

std::optional<int64_t> TableReader::integer(std::string_view key, int64_t lo, int64_t hi) {
    const toml::node* n = get(key);
    if (!n) return std::nullopt;
    auto i = n->as_integer();
    if (!i) {
        problem(n, key, expected("an integer", *n));
        return std::nullopt;
    }
    if (i->get() < lo || i->get() > hi) {
        problem(n, key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", got " +
                            std::to_string(i->get()));
        return std::nullopt;
    }
    return i->get();
}

std::vector<std::string> TableReader::strings(std::string_view key, bool required) {
    std::vector<std::string> out;
    const toml::node* n = get(key);
    if (!n) {
        if (required) problem(nullptr, key, "missing required key");
        return out;
    }
    const toml::array* a = n->as_array();
    if (!a) {
        problem(n, key, expected("an array of strings", *n));
        return out;
    }
    for (size_t i = 0; i < a->size(); ++i) {
        const toml::node& e = *a->get(i);
        if (auto s = e.as_string()) out.push_back(s->get());
        else problem(&e, key, "element " + std::to_string(i + 1) + ": " + expected("a string", e));
    }
    return out;
}

const toml::table* TableReader::table(std::string_view key, bool required) {
    const toml::node* n = get(key);
    if (!n) {
        if (required) problem(nullptr, key, "missing required key");
        return nullptr;
    }
    if (auto t = n->as_table()) return t;
    problem(n, key, expected("a table", *n));
    return nullptr;
}

const toml::array* TableReader::tables(std::string_view key, bool required) {
    const toml::node* n = get(key);
    if (!n) {
        if (required) problem(nullptr, key, "missing required key (at least one [[" + std::string(key) + "]])");
        return nullptr;
    }
    const toml::array* a = n->as_array();
    if (!a || !a->is_array_of_tables()) {
        problem(n, key, expected("an array of tables ([[" + std::string(key) + "]])", *n));
        return nullptr;
    }
    return a;
}

std::string TableReader::cite(bool required) {
    const toml::node* n = get("source");
    if (!n) {
        if (required) problem(&table_, "", std::string(kCiteHint));
        return {};
    }
    auto s = n->as_string();
    if (!s) {
        problem(n, "source", expected("a string naming a [[source]]", *n));
        return {};
    }
    cites_.push_back({s->get(), n});
    return s->get();
}

void TableReader::finish() {
    for (auto&& [k, v] : table_)
        if (!seen_.count(k.str())) problem(&v, k.str(), "unknown key");
}

TableReader TableReader::child(const toml::table& t, std::string_view key) const {
    return TableReader(t, Scope{scope_.label, scope_.prefix + std::string(key) + "."}, diag_, cites_);
}

TableReader TableReader::element(const toml::table& t, std::string label) const {
    return TableReader(t, Scope{std::move(label), ""}, diag_, cites_);
}

}  // namespace winglet::device_spec::detail
