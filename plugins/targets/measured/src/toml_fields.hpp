// Checked reading of one TOML table: each getter validates type and range, every problem is
// collected as "FILE:LINE:COLUMN: key 'PATH': what is wrong" (one run reports all mistakes), and
// finish() reports the keys nobody asked for, which are typos.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace winglet::measured {

class TomlFields {
public:
    // `prefix` is the table's dotted path ("runner.copy."; empty at top level).
    TomlFields(const toml::table& table, std::string origin, std::string prefix, std::vector<std::string>& problems)
        : table_(table), origin_(std::move(origin)), prefix_(std::move(prefix)), problems_(problems) {}

    std::optional<std::string> string(std::string_view key, bool required);
    std::optional<int64_t> integer(std::string_view key, bool required, int64_t min, int64_t max);
    std::optional<double> positive_number(std::string_view key, bool required);
    // A non-empty array of strings.
    std::optional<std::vector<std::string>> strings(std::string_view key, bool required);
    std::optional<TomlFields> table(std::string_view key, bool required);
    void finish();

    void problem(std::string_view key, const std::string& message);
    void problem_at(const toml::node* at, std::string_view key, const std::string& message);

private:
    const toml::node* get(std::string_view key, bool required, std::string_view expected);
    const toml::table& table_;
    std::string origin_;
    std::string prefix_;
    std::vector<std::string>& problems_;
    std::set<std::string, std::less<>> seen_;
};

}  // namespace winglet::measured
