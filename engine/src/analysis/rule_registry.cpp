#include "analysis/rule_registry.hpp"

#include <stdexcept>

namespace winglet::analysis {

namespace {

std::string_view canonical_domain(std::string_view domain) {
    return domain == "ai.onnx" ? kOnnxDomain : domain;
}

RuleTable build_table() {
    RuleTable table;
    add_conv_rules(table);
    add_matmul_rules(table);
    add_einsum_rules(table);
    add_rnn_rules(table);
    add_norm_rules(table);
    add_pool_rules(table);
    add_reduce_rules(table);
    add_resize_rules(table);
    add_elementwise_rules(table);
    add_data_movement_rules(table);
    return table;
}

}  // namespace

void RuleTable::add(std::string_view domain, std::string_view op_type, const CostRule& rule) {
    const std::string canonical(canonical_domain(domain));
    if (!rules_[canonical].emplace(std::string(op_type), &rule).second)
        throw std::logic_error("two cost rules for " + canonical + "." + std::string(op_type));
}

void RuleTable::add(std::string_view domain, std::initializer_list<std::string_view> op_types,
                    const CostRule& rule) {
    for (std::string_view op : op_types) add(domain, op, rule);
}

const CostRule* RuleTable::find(std::string_view domain, std::string_view op_type) const {
    const auto ops = rules_.find(canonical_domain(domain));
    if (ops == rules_.end()) return nullptr;
    const auto rule = ops->second.find(op_type);
    return rule == ops->second.end() ? nullptr : rule->second;
}

const CostRule* find_cost_rule(std::string_view domain, std::string_view op_type) {
    static const RuleTable table = build_table();
    return table.find(domain, op_type);
}

}  // namespace winglet::analysis
