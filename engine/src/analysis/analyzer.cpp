#include "analysis/analyzer.hpp"

#include "analysis/liveness.hpp"
#include "analysis/op_walk.hpp"
#include "analysis/shape_math.hpp"
#include "analysis/weight_attribution.hpp"
#include "graph/topology.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace winglet {

namespace {

using analysis::checked_add;
using analysis::checked_mul;
using analysis::must_fit;
using analysis::ScheduledOp;

enum class Count { PerInference, Once };

// Sum of `field` over the ops; PerInference multiplies each op's value by its executions.
uint64_t sum_over(const std::vector<ScheduledOp>& ops, uint64_t OpReport::*field, Count count,
                  const std::string& what) {
    uint64_t sum = 0;
    for (const ScheduledOp& op : ops) {
        const uint64_t value = op.report.*field;
        const uint64_t term =
            count == Count::Once ? value : must_fit(checked_mul(value, op.runs), what);
        sum = must_fit(checked_add(sum, term), what);
    }
    return sum;
}

std::vector<std::pair<std::string, uint64_t>> histogram(const std::vector<ScheduledOp>& ops) {
    std::map<std::string, uint64_t> counts;
    for (const ScheduledOp& op : ops) ++counts[op.report.op_type];
    std::vector<std::pair<std::string, uint64_t>> sorted(counts.begin(), counts.end());
    // Most frequent first; the map already orders ties by name and stable_sort keeps it.
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    return sorted;
}

std::string qualified_type(const OpReport& op) {
    return op.domain.empty() || op.domain == "ai.onnx" ? op.op_type : op.domain + "." + op.op_type;
}

// "no cost rule for 3 ops (MyOp x2, Foo x1): ..."; empty when every op has a rule.
std::string missing_rules_warning(const std::vector<ScheduledOp>& ops) {
    std::map<std::string, uint64_t> missing;
    uint64_t count = 0;
    for (const ScheduledOp& op : ops)
        if (!op.report.has_cost_rule) {
            ++missing[qualified_type(op.report)];
            ++count;
        }
    if (!count) return {};
    std::string types;
    for (const auto& [type, n] : missing)
        types += (types.empty() ? "" : ", ") + type + " x" + std::to_string(n);
    return "no cost rule for " + std::to_string(count) + " op(s) (" + types +
           "): their MACs and FLOPs are not counted";
}

// Names the first few symbols; Report::assumed_dims has them all.
std::string assumed_dims_warning(const std::set<std::string>& symbols) {
    constexpr size_t kNamed = 8;
    std::string names;
    size_t shown = 0;
    for (const std::string& s : symbols) {
        if (shown++ == kNamed) break;
        names += (names.empty() ? "" : ", ") + s;
    }
    if (symbols.size() > kNamed)
        names += " and " + std::to_string(symbols.size() - kNamed) + " more";
    return "unknown dims taken as 1 (" + names + "); set them with --dim NAME=VALUE";
}

}  // namespace

Report analyze(const Model& model) {
    Report report;
    report.model = model.info;
    report.warnings = model.warnings;
    report.unknown_shapes = model.unknown_shapes;
    report.shape_suggestions = model.shape_suggestions;

    analysis::AnalysisNotes notes;
    const std::vector<int> order = topological_order(model.graph);
    std::vector<ScheduledOp> ops = analysis::walk_ops(model.graph, order, notes);
    analysis::attribute_weights(ops);

    Totals& totals = report.totals;
    totals.op_count = ops.size();
    totals.macs = sum_over(ops, &OpReport::macs, Count::PerInference, "model MACs");
    totals.flops = sum_over(ops, &OpReport::flops, Count::PerInference, "model FLOPs");
    totals.params = sum_over(ops, &OpReport::params, Count::Once, "model parameters");
    totals.weight_bytes = sum_over(ops, &OpReport::weight_bytes, Count::Once, "model weight bytes");
    totals.ops_without_cost_rule = static_cast<uint64_t>(std::count_if(
        ops.begin(), ops.end(), [](const ScheduledOp& op) { return !op.report.has_cost_rule; }));
    const analysis::PeakMemory peak = analysis::peak_activation_memory(model.graph, order);
    totals.peak_activation_bytes = peak.bytes;

    report.op_types = histogram(ops);
    report.warnings.insert(report.warnings.end(), notes.warnings.begin(), notes.warnings.end());
    if (std::string w = missing_rules_warning(ops); !w.empty()) report.warnings.push_back(w);
    if (!notes.assumed_dims.empty())
        report.warnings.push_back(assumed_dims_warning(notes.assumed_dims));
    report.assumed_dims.assign(notes.assumed_dims.begin(), notes.assumed_dims.end());

    report.ops.reserve(ops.size());
    for (ScheduledOp& op : ops) report.ops.push_back(std::move(op.report));
    return report;
}

}  // namespace winglet
