#include "compression/recipe.hpp"

#include "core/errors.hpp"
#include "io/content_hash.hpp"

#include <toml++/toml.h>

#include <fstream>
#include <set>
#include <sstream>

namespace winglet {
namespace {

std::string at(const std::filesystem::path& path, const toml::source_region& where) {
    return path.string() + ":" + std::to_string(where.begin.line) + ":" + std::to_string(where.begin.column);
}

[[noreturn]] void fail(const std::filesystem::path& path, const toml::node& node, const std::string& problem) {
    throw InputError(at(path, node.source()) + ": " + problem);
}

std::string option_text(const std::filesystem::path& path, const std::string& key, const toml::node& value) {
    if (auto s = value.value<std::string>(); s && value.is_string()) return *s;
    if (value.is_boolean()) return *value.value<bool>() ? "true" : "false";
    if (value.is_integer()) return std::to_string(*value.value<int64_t>());
    if (value.is_floating_point()) {
        std::ostringstream out;
        out.precision(17);
        out << *value.value<double>();
        return out.str();
    }
    fail(path, value, "option '" + key + "' must be a string, number or boolean");
}

const std::set<std::string> kSelectorKeys = {"name", "scope", "op_type", "top_latency"};

RecipeEntry entry_of(const std::filesystem::path& path, const toml::table& table, const std::string& what) {
    RecipeEntry e;
    e.where = path.string() + ":" + std::to_string(table.source().begin.line);
    const toml::node* technique = table.get("technique");
    if (!technique || !technique->is_string()) fail(path, table, what + " needs technique = \"quantize\" | \"palettize\" | \"prune\" | \"none\"");
    e.technique = *technique->value<std::string>();
    for (const auto& [key, value] : table) {
        const std::string k(key.str());
        if (k == "technique" || kSelectorKeys.count(k)) continue;
        e.options[k] = option_text(path, k, value);
    }
    if (e.technique == "none" && !e.options.empty())
        fail(path, table, what + ": technique \"none\" takes no options");
    return e;
}

RecipeSelector selector_of(const std::filesystem::path& path, const toml::table& table) {
    std::vector<std::string> present;
    for (const std::string& k : kSelectorKeys)
        if (table.contains(k)) present.push_back(k);
    if (present.size() != 1)
        fail(path, table, "an [[override]] needs exactly one of name, scope, op_type, top_latency (found " +
                              std::to_string(present.size()) + ")");
    const std::string& k = present[0];
    const toml::node& v = *table.get(k);
    RecipeSelector s;
    if (k == "top_latency") {
        if (!v.is_integer() || *v.value<int64_t>() < 1) fail(path, v, "top_latency must be an integer >= 1");
        s.kind = RecipeSelector::Kind::TopLatency;
        s.count = *v.value<int64_t>();
        return s;
    }
    if (!v.is_string() || v.value<std::string>()->empty()) fail(path, v, k + " must be a non-empty string");
    s.pattern = *v.value<std::string>();
    s.kind = k == "name" ? RecipeSelector::Kind::Name : k == "scope" ? RecipeSelector::Kind::Scope : RecipeSelector::Kind::OpType;
    return s;
}

}  // namespace

std::string RecipeSelector::text() const {
    switch (kind) {
        case Kind::Name: return "name = \"" + pattern + "\"";
        case Kind::Scope: return "scope = \"" + pattern + "\"";
        case Kind::OpType: return "op_type = \"" + pattern + "\"";
        case Kind::TopLatency: return "top_latency = " + std::to_string(count);
    }
    return "";
}

Recipe parse_recipe(const std::string& text, const std::filesystem::path& path) {
    toml::table doc;
    try {
        doc = toml::parse(text, path.string());
    } catch (const toml::parse_error& e) {
        throw InputError(at(path, e.source()) + ": " + std::string(e.description()));
    }
    Recipe r;
    r.path = path;
    ContentHasher h;
    h.update(text.data(), text.size());
    r.content_hash = h.hex();
    for (const auto& [key, value] : doc) {
        const std::string k(key.str());
        if (k == "default") {
            if (!value.is_table()) fail(path, value, "[default] must be a table");
            r.default_entry = entry_of(path, *value.as_table(), "[default]");
        } else if (k == "override") {
            if (!value.is_array_of_tables()) fail(path, value, "override must be an array of tables: [[override]]");
            for (const toml::node& item : *value.as_array()) {
                const toml::table& t = *item.as_table();
                r.overrides.push_back({selector_of(path, t), entry_of(path, t, "[[override]]")});
            }
        } else if (k == "exclude") {
            if (!value.is_array()) fail(path, value, "exclude must be an array of strings");
            for (const toml::node& item : *value.as_array()) {
                if (!item.is_string()) fail(path, item, "exclude entries are strings: \"first\", \"last\", op names or globs");
                r.exclude.push_back(*item.value<std::string>());
            }
        } else {
            fail(path, value, "unknown key '" + k + "' (a recipe has [default], [[override]] and exclude)");
        }
    }
    if (!r.default_entry && r.overrides.empty()) throw InputError(path.string() + ": the recipe has neither [default] nor [[override]]");
    return r;
}

Recipe load_recipe(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError("cannot read recipe '" + path.string() + "'");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_recipe(text.str(), path);
}

}  // namespace winglet
