// Validating access to toml++ tables. Every problem is recorded (not thrown) with the file,
// line:column and key path, so one run reports all mistakes in a spec; reading never throws.
#pragma once

#include "device_spec.hpp"

#include <toml++/toml.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace winglet::device_spec::detail {

class Diagnostics {
public:
    explicit Diagnostics(std::string origin) : origin_(std::move(origin)) {}
    // `at` may be null (then no line:column is given).
    void add(const toml::node* at, const std::string& message);
    void add_at(const toml::source_region& at, const std::string& message);
    const std::string& origin() const { return origin_; }
    const std::vector<std::string>& problems() const { return problems_; }

private:
    std::string origin_;
    std::vector<std::string> problems_;
};

// A `source = "key"` reference, checked once all [[source]] entries are known.
struct Citation {
    std::string key;
    const toml::node* at;
};

enum class Check { positive, non_negative, fraction };

// Where a table sits: scope names the thing ("unit 'npu'"; empty at top level) and prefix is the
// dotted key path inside it ("memory.", "peak_ops.").
struct Scope {
    std::string label;
    std::string prefix;
    std::string where(std::string_view key) const;  // "unit 'npu' key 'bandwidth'"
};

std::string format_number(double v);
std::string_view type_name(const toml::node& n);

class TableReader {
public:
    TableReader(const toml::table& table, Scope scope, Diagnostics& diag, std::vector<Citation>& cites)
        : table_(table), scope_(std::move(scope)), diag_(diag), cites_(cites) {}

    // Each getter marks `key` as known; finish() reports every key nobody asked for (typos).
    const toml::node* get(std::string_view key);
    std::string string(std::string_view key, bool required);
    std::optional<Quantity> quantity(std::string_view key, Check check, bool required);
    std::optional<Quantity> quantity_node(const toml::node& n, const std::string& key, Check check);
    std::optional<Efficiency> efficiency_node(const toml::node& n, const std::string& key);
    bool boolean(std::string_view key, bool fallback);
    std::optional<int64_t> integer(std::string_view key, int64_t lo, int64_t hi);
    std::vector<std::string> strings(std::string_view key, bool required);
    const toml::table* table(std::string_view key, bool required);
    const toml::array* tables(std::string_view key, bool required);  // array of tables
    std::string cite(bool required);  // this table's own `source` key
    void finish();

    TableReader child(const toml::table& t, std::string_view key) const;
    TableReader element(const toml::table& t, std::string label) const;
    void set_label(std::string label) { scope_.label = std::move(label); }
    const toml::table& raw() const { return table_; }
    const Scope& scope() const { return scope_; }
    Diagnostics& diag() const { return diag_; }
    void problem(const toml::node* at, std::string_view key, const std::string& what) const;

private:
    bool check_value(const toml::node& at, const std::string& key, double v, Check check);
    const toml::table& table_;
    Scope scope_;
    Diagnostics& diag_;
    std::vector<Citation>& cites_;
    std::set<std::string, std::less<>> seen_;
};

}  // namespace winglet::device_spec::detail
