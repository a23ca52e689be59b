#include "analysis/op_walk.hpp"

#include "analysis/op_context.hpp"
#include "analysis/shape_math.hpp"
#include "core/errors.hpp"
#include "graph/topology.hpp"

#include <cstring>
#include <limits>
#include <string>
#include <tuple>

namespace winglet::analysis {

namespace {

// Joins two scope paths with exactly one '/' between them.
std::string join_scope(const std::string& a, const std::string& b) {
    if (a.empty()) return b;
    if (b.empty()) return a;
    const bool a_slash = a.back() == '/', b_slash = b.front() == '/';
    if (a_slash && b_slash) return a + b.substr(1);
    return a_slash || b_slash ? a + b : a + "/" + b;
}

std::string display_name(const Node& node, size_t index) {
    return node.name.empty() ? node.op_type + "#" + std::to_string(index) : node.name;
}

// The value of a one-element integer weight (ONNX stores it little-endian, as this host does).
std::optional<int64_t> constant_scalar(const Graph& graph, int value_index) {
    const Weight* w = graph.weight_of(value_index);
    if (!w || !w->bytes.data || weight_elements(*w) != 1) return std::nullopt;
    if (w->dtype == DType::Int64 && w->bytes.size >= sizeof(int64_t)) {
        int64_t v = 0;
        std::memcpy(&v, w->bytes.data, sizeof v);
        return v;
    }
    if (w->dtype == DType::Int32 && w->bytes.size >= sizeof(int32_t)) {
        int32_t v = 0;
        std::memcpy(&v, w->bytes.data, sizeof v);
        return v;
    }
    return std::nullopt;
}

bool has_subgraph(const Node& node) {
    for (const Attribute& a : node.attributes)
        if (a.graph) return true;
    return false;
}

class Walker {
public:
    explicit Walker(AnalysisNotes& notes) : notes_(notes) {}

    void walk(const Graph& graph, const std::vector<int>& order, const std::string& prefix,
              uint64_t runs, bool in_subgraph, std::vector<ScheduledOp>& out) {
        for (int n : order) {
            const Node& node = graph.nodes[n];
            ScheduledOp op{cost_op(graph, node, notes_), &graph, &node, runs};
            op.report.scope = join_scope(prefix, scope_of(node.name));
            op.report.in_subgraph = in_subgraph;
            op.report.multiplier = static_cast<double>(runs);
            op.report.branch = branch_;
            out.push_back(std::move(op));
            if (!has_subgraph(node)) continue;
            const std::string sub_prefix = join_scope(prefix, display_name(node, n));
            if (is_onnx_op(node, "If"))
                walk_branches(graph, node, sub_prefix, runs, out);
            else
                walk_bodies(graph, node, sub_prefix, runs, out);
        }
    }

private:
    void walk_subgraph(const Attribute& a, const std::string& prefix, uint64_t runs,
                       std::vector<ScheduledOp>& out) {
        walk(*a.graph, topological_order(*a.graph), join_scope(prefix, a.name), runs, true, out);
    }

    void walk_bodies(const Graph& graph, const Node& node, const std::string& prefix, uint64_t runs,
                     std::vector<ScheduledOp>& out) {
        const std::string label = OpContext(graph, node).label();
        const auto total = checked_mul(runs, iterations(graph, node, label));
        if (!total) throw InputError(label + ": execution count overflows 64 bits");
        for (const Attribute& a : node.attributes)
            if (a.graph) walk_subgraph(a, prefix, *total, out);
    }

    // Lists both branches; the one that does not run (or, when the condition is not known, the
    // cheaper one) gets multiplier 0 (see op_walk.hpp).
    void walk_branches(const Graph& graph, const Node& node, const std::string& prefix,
                       uint64_t runs, std::vector<ScheduledOp>& out) {
        struct Branch {
            const Attribute* attribute;
            std::vector<ScheduledOp> ops;
            std::tuple<uint64_t, uint64_t> cost{0, 0};  // FLOPs, MACs, saturating
        };
        std::vector<Branch> branches;
        for (const Attribute& a : node.attributes)
            if (a.graph) branches.push_back(Branch{&a, {}, {}});
        const std::optional<bool> condition = node.evaluated.condition;
        size_t counted = 0;
        if (condition) {
            const std::string taken = *condition ? "then_branch" : "else_branch";
            for (size_t i = 0; i < branches.size(); ++i)
                if (branches[i].attribute->name == taken) counted = i;
        }
        const std::string outer = branch_;
        for (size_t i = 0; i < branches.size(); ++i) {
            Branch& b = branches[i];
            // Inside a branch that does not count, every nested op says so too.
            const bool inherits = outer == "not taken" || outer == "not counted";
            branch_ = inherits ? outer : condition ? (i == counted ? "taken" : "not taken") : "counted";
            walk_subgraph(*b.attribute, prefix, runs, b.ops);
            for (const ScheduledOp& op : b.ops)
                b.cost = {saturating_add(std::get<0>(b.cost), op.report.flops, op.runs),
                          saturating_add(std::get<1>(b.cost), op.report.macs, op.runs)};
        }
        branch_ = outer;
        if (!condition)
            for (size_t i = 1; i < branches.size(); ++i)
                if (branches[i].cost > branches[counted].cost) counted = i;
        for (size_t i = 0; i < branches.size(); ++i) {
            if (i != counted) {
                for (ScheduledOp& op : branches[i].ops) {
                    op.runs = 0;
                    op.report.multiplier = 0;
                    if (!condition && op.report.branch == "counted") op.report.branch = "not counted";
                }
                if (!condition && branches[i].cost != branches[counted].cost)
                    notes_.warnings.push_back(
                        OpContext(graph, node).label() + ": its condition is not known from the inputs, so the totals "
                        "count the costlier branch '" + branches[counted].attribute->name + "', not '" +
                        branches[i].attribute->name + "' (give the inputs it depends on with --input-value)");
            }
            for (ScheduledOp& op : branches[i].ops) out.push_back(std::move(op));
        }
    }

    static uint64_t saturating_add(uint64_t sum, uint64_t cost, uint64_t runs) {
        const auto term = checked_mul(cost, runs);
        const auto total = term ? checked_add(sum, *term) : std::nullopt;
        return total.value_or(std::numeric_limits<uint64_t>::max());
    }

    // Executions of a node's bodies per execution of the node.
    uint64_t iterations(const Graph& graph, const Node& node, const std::string& label) {
        if (is_onnx_op(node, "Loop")) {
            // Evaluated by the shape pass (from constants and the given inputs), else a constant.
            const auto trip = node.evaluated.trip_count ? node.evaluated.trip_count
                              : node.inputs.empty() ? std::nullopt
                                                    : constant_scalar(graph, node.inputs[0]);
            const bool unbounded = trip && (*trip == std::numeric_limits<int64_t>::max() ||
                                            *trip == std::numeric_limits<int32_t>::max());
            if (trip && !unbounded) return *trip > 0 ? static_cast<uint64_t>(*trip) : 0;
            notes_.warnings.push_back(label + ": trip count is not known from constants or the inputs; its body is "
                                              "counted once (give the inputs it depends on with --input-value)");
            return 1;
        }
        if (is_onnx_op(node, "Scan")) return scan_length(graph, node, label);
        notes_.warnings.push_back(label + ": subgraph counted once per execution");
        return 1;
    }

    // Scan inputs: N initial states, then num_scan_inputs scanned tensors.
    uint64_t scan_length(const Graph& graph, const Node& node, const std::string& label) {
        const int64_t scanned = node.attr_int("num_scan_inputs", 0);
        const std::vector<int64_t> axes = node.attr_ints("scan_input_axes");
        const OpContext op(graph, node);
        const Value* first = scanned > 0 && static_cast<size_t>(scanned) <= node.inputs.size()
                                 ? op.input(node.inputs.size() - static_cast<size_t>(scanned))
                                 : nullptr;
        if (first && first->shape && !first->shape->empty()) {
            const int64_t rank = static_cast<int64_t>(first->shape->size());
            int64_t axis = axes.empty() ? 0 : axes[0];
            if (axis < 0) axis += rank;
            if (axis >= 0 && axis < rank && (*first->shape)[axis].known())
                return static_cast<uint64_t>((*first->shape)[axis].value);
        }
        notes_.warnings.push_back(label + ": scan length unknown; its body is counted once");
        return 1;
    }

    AnalysisNotes& notes_;
    std::string branch_;   // the OpReport::branch of the ops being walked
};

}  // namespace

std::vector<ScheduledOp> walk_ops(const Graph& graph, const std::vector<int>& order,
                                  AnalysisNotes& notes) {
    std::vector<ScheduledOp> ops;
    ops.reserve(graph.nodes.size());
    Walker(notes).walk(graph, order, "", 1, false, ops);
    return ops;
}

}  // namespace winglet::analysis
