#include "shapes/shape_inference.hpp"

#include "core/errors.hpp"
#include "graph/topology.hpp"
#include "shapes/element_math.hpp"
#include "shapes/rules.hpp"
#include "shapes/unknown_shapes.hpp"

#include <set>
#include <unordered_set>

namespace winglet {
namespace {

using shapes::Element;
using shapes::Elements;
using shapes::explain_unknown_shapes;
using shapes::is_onnx_domain;
using shapes::node_label;
using shapes::op_label;
using shapes::PassState;
using shapes::RuleContext;
using shapes::ShapeError;
using shapes::ShapeRule;

bool incomplete(const Value& v) {
    if (!v.shape || v.dtype == DType::Undefined) return true;
    for (const Dim& d : *v.shape)
        if (!d.known()) return true;
    return false;
}

bool same_shape(const std::optional<Shape>& a, const std::optional<Shape>& b) {
    if (!a || !b) return !a && !b;
    if (a->size() != b->size()) return false;
    for (size_t i = 0; i < a->size(); ++i)
        if ((*a)[i].value != (*b)[i].value || (*a)[i].symbol != (*b)[i].symbol) return false;
    return true;
}

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

std::string input_names(const Graph& graph) {
    std::string names;
    for (int i : graph.inputs) names += (names.empty() ? "" : ", ") + graph.values[i].name;
    return names.empty() ? "none" : names;
}

// The main-graph input `name` that option `flag` names; a UsageError listing the inputs otherwise.
Value& named_input(Graph& graph, const std::string& flag, const std::string& name) {
    for (int i : graph.inputs)
        if (graph.values[i].name == name) return graph.values[i];
    throw UsageError(flag + " " + name + ": the model has no input named '" + name + "' (inputs: " + input_names(graph) +
                     ")");
}

// One --input-value element as the input's dtype reads it.
Element parse_element(const std::string& input, const std::string& text, DType dtype) {
    const auto bad = [&](const char* what) {
        return UsageError("--input-value " + input + ": '" + text + "' is not " + what + " (the input is " +
                          std::string(dtype_name(dtype)) + ")");
    };
    if (dtype == DType::Bool) {
        if (text == "true" || text == "1") return Element::of(1);
        if (text == "false" || text == "0") return Element::of(0);
        throw bad("true, false, 1 or 0");
    }
    size_t used = 0;
    try {
        if (dtype_is_float(dtype)) {
            const double v = std::stod(text, &used);
            if (used == text.size()) return Element::of_real(v);
        } else if (dtype != DType::String && dtype != DType::Undefined) {
            const long long v = std::stoll(text, &used);
            if (used == text.size()) return shapes::cast_element(Element::of(v), dtype);
        }
    } catch (const std::exception&) {
    }
    throw bad(dtype_is_float(dtype) ? "a number" : "an integer");
}

// Seeds the contents of main-graph inputs given with --input-value; a rank-1 input of unknown
// length takes the number of values given.
void seed_input_values(Graph& graph, const std::map<std::string, std::vector<std::string>>& given, PassState& state) {
    for (const auto& [name, texts] : given) {
        Value* input = &named_input(graph, "--input-value", name);
        if (texts.empty() || texts.size() > shapes::kMaxValueElements)
            throw UsageError("--input-value " + name + ": give 1 to " + std::to_string(shapes::kMaxValueElements) +
                             " values");
        Elements values;
        for (const std::string& t : texts) values.push_back(parse_element(name, t, input->dtype));
        if (input->shape && input->shape->size() == 1 && !(*input->shape)[0].known())
            (*input->shape)[0] = Dim::of(static_cast<int64_t>(values.size()));
        const auto count = input->shape ? element_count(*input->shape) : std::nullopt;
        if (!count || *count != values.size())
            throw UsageError("--input-value " + name + ": " + std::to_string(values.size()) + " value(s) for an input of shape " +
                             shape_to_string(input->shape) + (count ? "" : " (give its shape with --input " + name + "=DIMS)"));
        state.known[input] = std::move(values);
    }
}

class ShapePass {
public:
    explicit ShapePass(PassState& state) : state_(state) {}

    void run(Graph& graph) {
        if (!visited_.insert(&graph).second) return;   // a subgraph shared by several nodes
        type_weight_values(graph);
        for (int index : topological_order(graph)) visit(graph, index);
    }

    ShapeInferenceStats finish(Graph& root) {
        ShapeInferenceStats stats;
        stats.inferred = changed_;
        stats.ops_without_rule.assign(ops_without_rule_.begin(), ops_without_rule_.end());
        explain_unknown_shapes(root, state_, ops_without_rule_, stats);
        if (!unevaluated_.empty()) {
            std::string list;
            for (size_t i = 0; i < unevaluated_.size() && i < 3; ++i) list += (i ? ", " : "") + unevaluated_[i];
            if (unevaluated_.size() > 3) list += " and " + std::to_string(unevaluated_.size() - 3) + " more";
            stats.notes.push_back("the contents of " + list + " were not evaluated: integer tensors of more than " +
                                      std::to_string(shapes::kMaxValueElements) +
                                      " elements are never materialised; shapes computed from them stay unknown");
        }
        stats.still_unknown = stats.unknown.size();
        for (const shapes::ShapeConflict& c : state_.conflicts)
            stats.notes.push_back(node_label(*c.graph, c.node) + ": value '" + c.value + "' is " +
                                      shape_to_string(c.kept) + " in the model; the engine computes " +
                                      shape_to_string(c.computed) + " (kept the model's)");
        return stats;
    }

private:
    void visit(Graph& graph, int index) {
        const Node& node = graph.nodes[index];
        bool needed = false;
        std::vector<std::optional<Shape>> before;   // to count the outputs this node's rule changes
        for (int out : node.outputs) {
            if (out < 0) continue;
            needed = needed || incomplete(graph.values[out]);
            before.push_back(graph.values[out].shape);
        }
        const ShapeRule* rule = find_rule(node);
        if (rule && (needed || rule->records_values())) {
            RuleContext ctx(graph, index, state_, run_subgraph_);
            try {
                rule->infer(ctx);
                if (rule->evaluate) rule->evaluate(ctx);
            } catch (const ShapeError& e) {
                throw InputError("shape inference: " + node_label(graph, index) + ": " + e.what());
            }
            size_t k = 0;
            for (int out : node.outputs)
                if (out >= 0) changed_ += same_shape(before[k++], graph.values[out].shape) ? 0 : 1;
            if (rule->records_values() && node.op_type != "Constant") note_unevaluated(graph, index);
        } else if (!rule && needed) {
            ops_without_rule_.insert(op_label(node));
        }
        // Bodies the rule did not visit itself (If and Loop rules do, to read their outputs).
        for (const Attribute& a : node.attributes)
            if (a.graph) run(*a.graph);
    }

    // Integer outputs (shape-like contents) too large to evaluate: a later shape that depends on
    // them stays unknown, and the user should know why.
    void note_unevaluated(const Graph& graph, int index) {
        for (int out : graph.nodes[index].outputs) {
            if (out < 0) continue;
            const Value& v = graph.values[out];
            if (dtype_is_float(v.dtype) || v.dtype == DType::Undefined || v.dtype == DType::String || !v.shape) continue;
            const auto count = element_count(*v.shape);
            if (count && *count > shapes::kMaxValueElements && state_.known.count(&v) == 0)
                unevaluated_.push_back("'" + v.name + "' from " + shapes::op_description(graph, index) + " (" +
                                       std::to_string(*count) + " elements)");
        }
    }

    static const ShapeRule* find_rule(const Node& node) {
        if (!is_onnx_domain(node.domain)) return nullptr;
        const auto& rules = shapes::shape_rules();
        auto it = rules.find(node.op_type);
        return it == rules.end() ? nullptr : &it->second;
    }

    PassState& state_;
    uint64_t changed_ = 0;   // node outputs whose shape this pass filled in or refined
    std::vector<std::string> unevaluated_;
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

ShapeInferenceStats infer_missing_shapes(Graph& graph, const ShapeInferenceOptions& options) {
    PassState state;
    seed_input_values(graph, options.input_values, state);
    ShapePass pass(state);
    pass.run(graph);
    return pass.finish(graph);
}

void apply_input_shapes(Graph& graph, const std::map<std::string, std::vector<int64_t>>& shapes) {
    for (const auto& [name, dims] : shapes) {
        Value* input = &named_input(graph, "--input", name);
        Shape shape;
        for (int64_t d : dims) {
            if (d < 0) throw UsageError("--input " + name + ": a size must be >= 0");
            shape.push_back(Dim::of(d));
        }
        input->shape = std::move(shape);
    }
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
