// Builds small IR graphs by hand for the analysis tests (no ONNX file involved).
#pragma once

#include "analysis/analyzer.hpp"
#include "graph/graph.hpp"

#include <cstring>
#include <stdexcept>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

namespace winglet::test {

inline Shape shape(std::initializer_list<int64_t> dims) {
    Shape s;
    for (int64_t d : dims) s.push_back(Dim::of(d));
    return s;
}

inline Attribute make_attr(const std::string& name, Attribute::Kind kind) {
    Attribute a;
    a.name = name;
    a.kind = kind;
    return a;
}

// clang-format off
inline Attribute int_attr(const std::string& name, int64_t v) {
    Attribute a = make_attr(name, Attribute::Kind::Int); a.i = v; return a;
}
inline Attribute float_attr(const std::string& name, double v) {
    Attribute a = make_attr(name, Attribute::Kind::Float); a.f = v; return a;
}
inline Attribute ints_attr(const std::string& name, std::vector<int64_t> v) {
    Attribute a = make_attr(name, Attribute::Kind::Ints); a.ints = std::move(v); return a;
}
inline Attribute string_attr(const std::string& name, const std::string& v) {
    Attribute a = make_attr(name, Attribute::Kind::String); a.s = v; return a;
}
inline Attribute strings_attr(const std::string& name, std::vector<std::string> v) {
    Attribute a = make_attr(name, Attribute::Kind::Strings); a.strings = std::move(v); return a;
}
inline Attribute graph_attr(const std::string& name, std::shared_ptr<Graph> g) {
    Attribute a = make_attr(name, Attribute::Kind::Graph); a.graph = std::move(g); return a;
}
// clang-format on

// Adds values, weights and nodes to a graph; call link() (or done()) when finished.
class GraphBuilder {
public:
    explicit GraphBuilder(Graph& graph) : g_(graph) {}

    // Declares (or re-types) a value; unknown dims via Dim::named.
    GraphBuilder& value(const std::string& name, Shape s, DType dtype = DType::Float32) {
        Value& v = g_.values[g_.intern_value(name)];
        v.shape = std::move(s);
        v.dtype = dtype;
        return *this;
    }

    GraphBuilder& input(const std::string& name, Shape s, DType dtype = DType::Float32) {
        value(name, std::move(s), dtype);
        const int idx = g_.intern_value(name);
        g_.values[idx].is_graph_input = true;
        g_.inputs.push_back(idx);
        return *this;
    }

    GraphBuilder& output(const std::string& name) {
        const int idx = g_.intern_value(name);
        g_.values[idx].is_graph_output = true;
        g_.outputs.push_back(idx);
        return *this;
    }

    // An initializer without data (the analysis reads only dtype and dims).
    GraphBuilder& weight(const std::string& name, std::vector<int64_t> dims,
                         DType dtype = DType::Float32) {
        Weight w;
        w.name = name;
        w.dtype = dtype;
        w.dims = dims;
        return add_weight(std::move(w));
    }

    // A one-element int64 initializer with its data (a Loop trip count).
    GraphBuilder& scalar_i64(const std::string& name, int64_t v) {
        auto bytes = std::make_shared<std::vector<uint8_t>>(sizeof v);
        std::memcpy(bytes->data(), &v, sizeof v);
        Weight w;
        w.name = name;
        w.dtype = DType::Int64;
        w.bytes.data = bytes->data();
        w.bytes.size = bytes->size();
        w.bytes.owner = bytes;
        return add_weight(std::move(w));
    }

    // "" in `inputs` is an absent optional input.
    GraphBuilder& node(const std::string& op_type, const std::string& name,
                       const std::vector<std::string>& inputs,
                       const std::vector<std::string>& outputs,
                       std::vector<Attribute> attributes = {}, const std::string& domain = "") {
        Node n;
        n.op_type = op_type;
        n.name = name;
        for (const std::string& in : inputs)
            n.inputs.push_back(in.empty() ? -1 : g_.intern_value(in));
        for (const std::string& out : outputs) n.outputs.push_back(g_.intern_value(out));
        n.attributes = std::move(attributes);
        n.domain = domain;
        g_.nodes.push_back(std::move(n));
        return *this;
    }

    // A Constant node whose output is treated as a weight (as the importer does).
    GraphBuilder& constant(const std::string& name, const std::string& out,
                           std::vector<int64_t> dims, DType dtype = DType::Float32) {
        auto w = std::make_shared<Weight>();
        w->name = out;
        w->dtype = dtype;
        w->dims = dims;
        node("Constant", name, {}, {out});
        Value& v = g_.values[g_.intern_value(out)];
        v.constant = w;
        v.dtype = dtype;
        v.shape = Shape{};
        for (int64_t d : dims) v.shape->push_back(Dim::of(d));
        return *this;
    }

    Graph& graph() { return g_; }

    Graph& link() {
        g_.link();
        return g_;
    }

private:
    GraphBuilder& add_weight(Weight w) {
        const int idx = g_.intern_value(w.name);
        Value& v = g_.values[idx];
        v.dtype = w.dtype;
        v.shape = Shape{};
        for (int64_t d : w.dims) v.shape->push_back(Dim::of(d));
        v.weight = static_cast<int>(g_.weights.size());
        g_.weights.push_back(std::move(w));
        return *this;
    }

    Graph& g_;
};

// Analyzes a model whose graph `build` fills.
template <typename Build>
Report analyze_graph(Build build) {
    Model model;
    GraphBuilder builder(model.graph);
    build(builder);
    builder.link();
    return analyze(model);
}

// The report of the single op called `name`; fails the test when absent.
inline const OpReport& op_named(const Report& r, const std::string& name) {
    for (const OpReport& op : r.ops)
        if (op.name == name) return op;
    throw std::runtime_error("no op named " + name);
}

}  // namespace winglet::test
