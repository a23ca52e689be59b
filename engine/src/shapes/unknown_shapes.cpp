#include "shapes/unknown_shapes.hpp"

#include "graph/topology.hpp"

#include <map>
#include <memory>
#include <unordered_map>
#include <unordered_set>

namespace winglet::shapes {

bool is_onnx_domain(const std::string& domain) { return domain.empty() || domain == "ai.onnx"; }

std::string op_label(const Node& node) {
    return is_onnx_domain(node.domain) ? node.op_type : node.domain + ":" + node.op_type;
}

std::string op_description(const Graph& graph, int index) {
    const Node& node = graph.nodes[index];
    std::string label = "'" + (node.name.empty() ? "#" + std::to_string(index) : node.name) + "' (" + op_label(node) + ")";
    if (graph.parent) label += " in subgraph '" + graph.name + "'";
    return label;
}

std::string node_label(const Graph& graph, int index) { return "node " + op_description(graph, index); }

namespace {

// Some dim is not a number (a named dim counts as not known here).
bool shape_incomplete(const Value& v) {
    if (!v.shape) return true;
    for (const Dim& d : *v.shape)
        if (!d.known()) return true;
    return false;
}

// The rank is unknown, or a dim is neither a number nor a named dim: nothing the user can name
// (--dim) fixes it. Named dims alone are reported as assumed dims, not here.
bool unresolved(const Value& v) {
    if (!v.shape) return true;
    for (const Dim& d : *v.shape)
        if (!d.known() && d.symbol.empty()) return true;
    return false;
}

bool is_integer_or_bool(DType t) {
    return t != DType::Undefined && t != DType::String && !dtype_is_float(t);
}

// Where unknown dims start: an op whose inputs all have known shapes, or a graph input.
struct Root {
    std::set<std::string> shape_inputs;     // main-graph inputs whose (incomplete) shape is the cause
    std::set<std::string> content_inputs;   // main-graph inputs whose contents would decide it
    uint64_t values = 0;                    // unknown values that follow from this root
};

// Ops whose output size depends on the data itself, not on any small tensor.
bool data_dependent(const Node& node) {
    static const std::set<std::string> ops{"NonZero", "NonMaxSuppression", "Unique", "Compress", "StringSplit"};
    return is_onnx_domain(node.domain) && ops.count(node.op_type) > 0;
}

class Explainer {
public:
    Explainer(const Graph& root, const PassState& state, const std::set<std::string>& ops_without_rule)
        : state_(state), ops_without_rule_(ops_without_rule) {
        index_owners(root);
        for (int i : root.inputs) main_inputs_.insert(&root.values[i]);
    }

    void explain(const Graph& graph, ShapeInferenceStats& stats) {
        if (!explained_.insert(&graph).second) return;
        for (int n : topological_order(graph)) {
            const Node& node = graph.nodes[n];
            for (int out : node.outputs) {
                if (out < 0 || !unresolved(graph.values[out])) continue;
                const Value& v = graph.values[out];
                auto [reason, root] = cause(graph, n);
                ++root->values;
                root_of_[&v] = root;
                stats.unknown.push_back(UnknownShape{v.name, op_description(graph, n), std::move(reason)});
            }
            for (const Attribute& a : node.attributes)
                if (a.graph) explain(*a.graph, stats);
        }
    }

    std::vector<std::string> suggestions() const {
        std::map<std::string, uint64_t> shapes, contents;
        for (const auto& r : roots_) {
            for (const std::string& name : r->shape_inputs) shapes[name] += r->values;
            for (const std::string& name : r->content_inputs) contents[name] += r->values;
        }
        // An input with an unnamed or unknown dim needs --input even when nothing downstream is
        // listed (its consumers may carry declared named dims).
        for (const Value* v : main_inputs_)
            if (unresolved(*v)) shapes.emplace(v->name, 0);
        std::vector<std::string> out;
        for (const auto& [name, count] : shapes) {
            const Value* input = main_input(name);
            out.push_back("--input " + name + "=DIMS: its shape " + shape_to_string(input ? input->shape : std::nullopt) +
                          " is not fully known" +
                          (count ? " (" + std::to_string(count) + " value(s) follow from it)" : std::string()));
        }
        for (const auto& [name, count] : contents)
            out.push_back("--input-value " + name + "=V[,V...]: " + std::to_string(count) +
                          " value(s) have shapes computed from its contents");
        return out;
    }

private:
    using RootPtr = std::shared_ptr<Root>;

    void index_owners(const Graph& g) {
        for (size_t n = 0; n < g.nodes.size(); ++n) {
            for (int out : g.nodes[n].outputs)
                if (out >= 0) owner_[&g.values[out]] = {&g, static_cast<int>(n)};
            for (const Attribute& a : g.nodes[n].attributes)
                if (a.graph) index_owners(*a.graph);
        }
    }

    // The value input `i` of node `n` reads, resolved through enclosing graphs.
    static const Value* input_value(const Graph& g, const Node& node, size_t i) {
        if (i >= node.inputs.size() || node.inputs[i] < 0) return nullptr;
        const Value& local = g.values[node.inputs[i]];
        if (!g.parent) return &local;
        const Value* resolved = g.lookup(local.name);
        return resolved ? resolved : &local;
    }

    const Value* main_input(const std::string& name) const {
        for (const Value* v : main_inputs_)
            if (v->name == name) return v;
        return nullptr;
    }

    // Every element a number: a symbolic size (seq) does not decide a shape argument.
    bool contents_known(const Value& v) const {
        if (v.is_weight()) return true;
        const auto it = state_.known.find(&v);
        if (it == state_.known.end()) return false;
        for (const Element& e : it->second)
            if (!e.known()) return false;
        return true;
    }

    RootPtr new_root() {
        roots_.push_back(std::make_shared<Root>());
        return roots_.back();
    }

    // The root behind an input whose shape is unknown: the root recorded for it, or the input
    // itself when it is a main-graph input (or a subgraph's own input).
    RootPtr root_behind(const Value& v) {
        if (auto it = root_of_.find(&v); it != root_of_.end()) return it->second;
        RootPtr r = new_root();
        if (main_inputs_.count(&v)) r->shape_inputs.insert(v.name);
        root_of_[&v] = r;
        return r;
    }

    // Main-graph inputs the contents of `v` come from: directly, or through their shape (Shape,
    // Size), following producers across subgraph boundaries.
    void trace_inputs(const Value& v, Root& root, std::unordered_set<const Value*>& seen) {
        if (!seen.insert(&v).second || seen.size() > 10000) return;
        if (main_inputs_.count(&v)) {
            root.content_inputs.insert(v.name);
            return;
        }
        const auto it = owner_.find(&v);
        if (it == owner_.end()) return;   // a weight, or a subgraph's own input
        const Graph& g = *it->second.first;
        const Node& node = g.nodes[it->second.second];
        const bool reads_shape_only = is_onnx_domain(node.domain) && (node.op_type == "Shape" || node.op_type == "Size");
        for (size_t i = 0; i < node.inputs.size(); ++i) {
            const Value* in = input_value(g, node, i);
            if (!in || contents_known(*in)) continue;
            if (reads_shape_only) {
                if (main_inputs_.count(in) && shape_incomplete(*in)) root.shape_inputs.insert(in->name);
            } else {
                trace_inputs(*in, root, seen);
            }
        }
    }

    std::pair<std::string, RootPtr> cause(const Graph& g, int n) {
        const Node& node = g.nodes[n];
        for (size_t i = 0; i < node.inputs.size(); ++i) {
            const Value* in = input_value(g, node, i);
            if (in && unresolved(*in))
                return {"input '" + in->name + "' has an unknown shape", root_behind(*in)};
        }
        RootPtr root = new_root();
        if (!is_onnx_domain(node.domain) || ops_without_rule_.count(op_label(node)))
            return {"no shape rule for " + op_label(node), root};
        if (data_dependent(node)) return {"its output size depends on the data, known only at run time", root};
        // Integer inputs whose contents are unknown: a shape, an axis, a count, a condition.
        std::string unknown_contents;
        std::unordered_set<const Value*> seen;
        for (size_t i = 0; i < node.inputs.size(); ++i) {
            const Value* in = input_value(g, node, i);
            if (!in || !is_integer_or_bool(in->dtype) || contents_known(*in)) continue;
            unknown_contents += (unknown_contents.empty() ? "'" : ", '") + in->name + "'";
            trace_inputs(*in, *root, seen);
        }
        if (!unknown_contents.empty()) {
            const std::string what = node.op_type == "If" ? "its condition " : "the contents of ";
            return {"depends on " + what + unknown_contents + ", not known from the inputs", root};
        }
        return {"the shape rule for " + op_label(node) + " cannot tell it from the inputs' shapes", root};
    }

    const PassState& state_;
    const std::set<std::string>& ops_without_rule_;
    std::unordered_map<const Value*, std::pair<const Graph*, int>> owner_;
    std::unordered_set<const Value*> main_inputs_;
    std::unordered_map<const Value*, RootPtr> root_of_;
    std::vector<RootPtr> roots_;
    std::unordered_set<const Graph*> explained_;
};

}  // namespace

void explain_unknown_shapes(const Graph& root, const PassState& state, const std::set<std::string>& ops_without_rule,
                            ShapeInferenceStats& stats) {
    Explainer explainer(root, state, ops_without_rule);
    explainer.explain(root, stats);
    stats.suggestions = explainer.suggestions();
}

}  // namespace winglet::shapes
