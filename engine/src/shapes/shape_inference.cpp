#include "shapes/shape_inference.hpp"

#include "core/errors.hpp"
#include "graph/topology.hpp"
#include "shapes/rules.hpp"

#include <set>
#include <unordered_set>

namespace winglet {
namespace {

using shapes::KnownValues;
using shapes::RuleContext;
using shapes::ShapeError;
using shapes::ShapeRule;

bool is_onnx_domain(const std::string& domain) { return domain.empty() || domain == "ai.onnx"; }

std::string op_label(const Node& node) {
    return is_onnx_domain(node.domain) ? node.op_type : node.domain + ":" + node.op_type;
}

std::string node_label(const Graph& graph, int index) {
    const Node& node = graph.nodes[index];
    std::string label = "node '" + (node.name.empty() ? "#" + std::to_string(index) : node.name) +
                        "' (" + op_label(node) + ")";
    if (graph.parent) label += " in subgraph '" + graph.name + "'";
    return label;
}

bool lacks_type(const Value& v) { return !v.shape || v.dtype == DType::Undefined; }

// Initializers and Constant tensors carry their own shape; make it visible on the value.
void type_weight_values(Graph& graph) {
    for (Value& v : graph.values) {
        const Weight* w = v.weight >= 0 ? &graph.weights[v.weight] : v.constant.get();
        if (!w) continue;
        if (!v.shape) {
            Shape shape;
            for (int64_t d : w->dims) shape.push_back(d >= 0 ? Dim::of(d) : shapes::unknown_dim());
            v.shape = std::move(shape);
        }
        if (v.dtype == DType::Undefined) v.dtype = w->dtype;
    }
}

class ShapePass {
public:
    void run(Graph& graph) {
        if (!visited_.insert(&graph).second) return;   // a subgraph shared by several nodes
        type_weight_values(graph);
        for (int index : topological_order(graph)) visit(graph, index);
        for (const Node& node : graph.nodes)
            for (int out : node.outputs)
                if (out >= 0 && !graph.values[out].shape) ++stats_.still_unknown;
    }

    ShapeInferenceStats finish() {
        stats_.ops_without_rule.assign(ops_without_rule_.begin(), ops_without_rule_.end());
        return std::move(stats_);
    }

private:
    void visit(Graph& graph, int index) {
        const Node& node = graph.nodes[index];
        bool needed = false;
        uint64_t unshaped_before = 0;
        for (int out : node.outputs) {
            if (out < 0) continue;
            needed = needed || lacks_type(graph.values[out]);
            unshaped_before += graph.values[out].shape ? 0 : 1;
        }
        const ShapeRule* rule = find_rule(node);
        if (rule && (needed || rule->computes_values)) {
            RuleContext ctx(graph, index, known_, run_subgraph_);
            try {
                rule->infer(ctx);
            } catch (const ShapeError& e) {
                throw InputError("shape inference: " + node_label(graph, index) + ": " + e.what());
            }
            uint64_t unshaped_after = 0;
            for (int out : node.outputs) unshaped_after += out >= 0 && !graph.values[out].shape ? 1 : 0;
            stats_.inferred += unshaped_before - unshaped_after;
        } else if (!rule && needed) {
            ops_without_rule_.insert(op_label(node));
        }
        // Bodies the rule did not visit itself (If and Loop rules do, to read their outputs).
        for (const Attribute& a : node.attributes)
            if (a.graph) run(*a.graph);
    }

    static const ShapeRule* find_rule(const Node& node) {
        if (!is_onnx_domain(node.domain)) return nullptr;
        const auto& rules = shapes::shape_rules();
        auto it = rules.find(node.op_type);
        return it == rules.end() ? nullptr : &it->second;
    }

    ShapeInferenceStats stats_;
    KnownValues known_;
    std::set<std::string> ops_without_rule_;
    std::unordered_set<const Graph*> visited_;
    const std::function<void(Graph&)> run_subgraph_ = [this](Graph& g) { run(g); };
};

void override_dims(Graph& graph, const std::map<std::string, int64_t>& overrides,
                   std::set<std::string>& matched) {
    for (Value& v : graph.values) {
        if (!v.shape) continue;
        for (Dim& d : *v.shape) {
            if (d.known() || d.symbol.empty()) continue;
            if (auto it = overrides.find(d.symbol); it != overrides.end()) {
                matched.insert(it->first);
                d = Dim::of(it->second);
            }
        }
    }
    for (Node& node : graph.nodes)
        for (Attribute& a : node.attributes)
            if (a.graph) override_dims(*a.graph, overrides, matched);
}

}  // namespace

ShapeInferenceStats infer_missing_shapes(Graph& graph) {
    ShapePass pass;
    pass.run(graph);
    return pass.finish();
}

std::vector<std::string> apply_dim_overrides(Graph& graph, const std::map<std::string, int64_t>& overrides) {
    for (const auto& [name, size] : overrides)
        if (size < 0)
            throw UsageError("dim override " + name + "=" + std::to_string(size) + ": a size must be >= 0");
    std::set<std::string> matched;
    override_dims(graph, overrides, matched);
    std::vector<std::string> unmatched;
    for (const auto& entry : overrides)
        if (!matched.count(entry.first)) unmatched.push_back(entry.first);
    return unmatched;
}

}  // namespace winglet
