// How the rule families (one file each) add their rules to the table `find_cost_rule` reads.
// Internal to the analysis library.
#pragma once

#include "analysis/cost_rules.hpp"

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

namespace winglet::analysis {

inline constexpr std::string_view kOnnxDomain = "";
inline constexpr std::string_view kMicrosoftDomain = "com.microsoft";

class RuleTable {
public:
    // Registers `rule` (static storage) for each op type; a second rule for one op is a bug.
    void add(std::string_view domain, std::initializer_list<std::string_view> op_types,
             const CostRule& rule);
    void add(std::string_view domain, std::string_view op_type, const CostRule& rule);
    const CostRule* find(std::string_view domain, std::string_view op_type) const;

private:
    // domain -> op type -> rule; transparent comparators so lookups do not allocate.
    std::map<std::string, std::map<std::string, const CostRule*, std::less<>>, std::less<>> rules_;
};

// One per family file.
void add_conv_rules(RuleTable& table);
void add_matmul_rules(RuleTable& table);
void add_einsum_rules(RuleTable& table);
void add_rnn_rules(RuleTable& table);
void add_norm_rules(RuleTable& table);
void add_pool_rules(RuleTable& table);
void add_reduce_rules(RuleTable& table);
void add_resize_rules(RuleTable& table);
void add_elementwise_rules(RuleTable& table);
void add_data_movement_rules(RuleTable& table);

}  // namespace winglet::analysis
