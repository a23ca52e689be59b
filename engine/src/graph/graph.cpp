#include "graph/graph.hpp"

#include "core/errors.hpp"

#include <limits>

namespace winglet {

std::optional<uint64_t> element_count(const Shape& shape) {
    uint64_t n = 1;
    for (const Dim& d : shape) {
        if (!d.known()) return std::nullopt;
        const auto v = static_cast<uint64_t>(d.value);
        if (v != 0 && n > std::numeric_limits<uint64_t>::max() / v) return std::nullopt;
        n *= v;
    }
    return n;
}

std::string shape_to_string(const std::optional<Shape>& shape) {
    if (!shape) return "?";
    std::string out = "[";
    for (size_t i = 0; i < shape->size(); ++i) {
        if (i) out += ",";
        const Dim& d = (*shape)[i];
        out += d.known() ? std::to_string(d.value) : (d.symbol.empty() ? "?" : d.symbol);
    }
    return out + "]";
}

uint64_t Weight::elements() const {
    uint64_t n = 1;
    for (int64_t d : dims) n *= static_cast<uint64_t>(d < 0 ? 0 : d);
    return n;
}

const Attribute* Node::attribute(const std::string& attr_name) const {
    for (const Attribute& a : attributes)
        if (a.name == attr_name) return &a;
    return nullptr;
}

int64_t Node::attr_int(const std::string& attr_name, int64_t fallback) const {
    const Attribute* a = attribute(attr_name);
    return a && a->kind == Attribute::Kind::Int ? a->i : fallback;
}

double Node::attr_float(const std::string& attr_name, double fallback) const {
    const Attribute* a = attribute(attr_name);
    return a && a->kind == Attribute::Kind::Float ? a->f : fallback;
}

std::string Node::attr_string(const std::string& attr_name, const std::string& fallback) const {
    const Attribute* a = attribute(attr_name);
    return a && a->kind == Attribute::Kind::String ? a->s : fallback;
}

std::vector<int64_t> Node::attr_ints(const std::string& attr_name) const {
    const Attribute* a = attribute(attr_name);
    return a && a->kind == Attribute::Kind::Ints ? a->ints : std::vector<int64_t>{};
}

Graph::Graph(Graph&& other) noexcept { *this = std::move(other); }

Graph& Graph::operator=(Graph&& other) noexcept {
    name = std::move(other.name);
    nodes = std::move(other.nodes);
    values = std::move(other.values);
    weights = std::move(other.weights);
    inputs = std::move(other.inputs);
    outputs = std::move(other.outputs);
    parent = other.parent;
    index_ = std::move(other.index_);
    for (Node& n : nodes)
        for (Attribute& a : n.attributes)
            if (a.graph) a.graph->parent = this;
    return *this;
}

int Graph::intern_value(const std::string& value_name) {
    auto it = index_.find(value_name);
    if (it != index_.end()) return it->second;
    const int idx = static_cast<int>(values.size());
    values.push_back(Value{});
    values.back().name = value_name;
    index_.emplace(value_name, idx);
    return idx;
}

std::optional<int> Graph::find_value(const std::string& value_name) const {
    auto it = index_.find(value_name);
    if (it == index_.end()) return std::nullopt;
    return it->second;
}

const Value* Graph::lookup(const std::string& value_name) const {
    for (const Graph* g = this; g; g = g->parent)
        if (auto idx = g->find_value(value_name)) {
            const Value& v = g->values[*idx];
            // A value only referenced here (no producer, no type) may live in an outer graph.
            if (g->parent && v.is_outer_read() && !v.shape)
                continue;
            return &v;
        }
    return nullptr;
}

const Weight* Graph::weight_of(int value_index) const {
    if (value_index < 0 || value_index >= static_cast<int>(values.size())) return nullptr;
    const Value& v = values[value_index];
    if (v.weight >= 0) return &weights[v.weight];
    if (v.constant) return v.constant.get();
    if (parent && v.producer < 0 && !v.is_graph_input) {
        // Outer-scope weight read by a subgraph.
        if (const Value* outer = parent->lookup(v.name)) {
            if (outer->constant) return outer->constant.get();
            for (const Graph* g = parent; g; g = g->parent)
                if (auto idx = g->find_value(v.name); idx && g->values[*idx].weight >= 0)
                    return &g->weights[g->values[*idx].weight];
        }
    }
    return nullptr;
}

void Graph::link() {
    for (Value& v : values) {
        v.producer = -1;
        v.consumers.clear();
    }
    for (size_t n = 0; n < nodes.size(); ++n) {
        for (int in : nodes[n].inputs)
            if (in >= 0) values[in].consumers.push_back(static_cast<int>(n));
        for (int out : nodes[n].outputs) {
            if (out < 0) continue;
            Value& v = values[out];
            if (v.producer >= 0)
                throw InputError("value '" + v.name + "' is produced by two nodes ('" +
                                 nodes[v.producer].name + "' and '" + nodes[n].name + "')");
            if (v.weight >= 0 || v.is_graph_input)
                throw InputError("node '" + nodes[n].name + "' writes '" + v.name +
                                 "', which is a graph input or initializer");
            v.producer = static_cast<int>(n);
        }
    }
}

std::string dims_text(const std::vector<int64_t>& dims) {
    if (dims.empty()) return "scalar";
    std::string text;
    for (int64_t d : dims) text += (text.empty() ? "" : "x") + std::to_string(d);
    return text;
}

std::string values_text(const std::vector<std::string>& values) {
    std::string text;
    for (const std::string& v : values) text += (text.empty() ? "" : ",") + v;
    return text;
}

}  // namespace winglet
