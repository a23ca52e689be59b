#include "toml_fields.hpp"

namespace winglet::measured {

void TomlFields::problem_at(const toml::node* at, std::string_view key, const std::string& message) {
    const toml::source_region where = at ? at->source() : table_.source();
    std::string line = origin_;
    if (where.begin.line > 0) line += ":" + std::to_string(where.begin.line) + ":" + std::to_string(where.begin.column);
    problems_.push_back(line + ": key '" + prefix_ + std::string(key) + "': " + message);
}

void TomlFields::problem(std::string_view key, const std::string& message) { problem_at(table_.get(key), key, message); }

const toml::node* TomlFields::get(std::string_view key, bool required, std::string_view expected) {
    seen_.emplace(key);
    const toml::node* node = table_.get(key);
    if (!node && required) problem_at(nullptr, key, "missing (expected " + std::string(expected) + ")");
    return node;
}

std::optional<std::string> TomlFields::string(std::string_view key, bool required) {
    const toml::node* node = get(key, required, "a string");
    if (!node) return std::nullopt;
    if (const auto* s = node->as_string()) return s->get();
    problem_at(node, key, "expected a string");
    return std::nullopt;
}

std::optional<int64_t> TomlFields::integer(std::string_view key, bool required, int64_t min, int64_t max) {
    const std::string range = "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
    const toml::node* node = get(key, required, range);
    if (!node) return std::nullopt;
    const auto* i = node->as_integer();
    if (!i || i->get() < min || i->get() > max) {
        problem_at(node, key, "expected " + range);
        return std::nullopt;
    }
    return i->get();
}

std::optional<double> TomlFields::positive_number(std::string_view key, bool required) {
    const toml::node* node = get(key, required, "a positive number");
    if (!node) return std::nullopt;
    std::optional<double> v;
    if (const auto* i = node->as_integer()) v = double(i->get());
    if (const auto* f = node->as_floating_point()) v = f->get();
    if (!v || !(*v > 0) || *v > 1e9) {
        problem_at(node, key, "expected a positive number");
        return std::nullopt;
    }
    return v;
}

std::optional<std::vector<std::string>> TomlFields::strings(std::string_view key, bool required) {
    const toml::node* node = get(key, required, "an array of strings");
    if (!node) return std::nullopt;
    const auto* array = node->as_array();
    std::vector<std::string> out;
    if (array)
        for (const toml::node& item : *array) {
            if (!item.as_string()) {
                array = nullptr;
                break;
            }
            out.push_back(item.as_string()->get());
        }
    if (!array || out.empty()) {
        problem_at(node, key, "expected a non-empty array of strings");
        return std::nullopt;
    }
    return out;
}

std::optional<TomlFields> TomlFields::table(std::string_view key, bool required) {
    const toml::node* node = get(key, required, "a table");
    if (!node) return std::nullopt;
    if (const auto* t = node->as_table()) return TomlFields(*t, origin_, prefix_ + std::string(key) + ".", problems_);
    problem_at(node, key, "expected a table");
    return std::nullopt;
}

void TomlFields::finish() {
    for (const auto& [key, node] : table_)
        if (seen_.find(key.str()) == seen_.end()) problem_at(&node, key.str(), "unknown key");
}

}  // namespace winglet::measured
