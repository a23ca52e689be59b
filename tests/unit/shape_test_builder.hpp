// Small graphs built by value name for the shape-inference tests (rules and evaluation).
#pragma once

#include <boost/test/unit_test.hpp>

#include "core/errors.hpp"
#include "graph/graph.hpp"
#include "shapes/shape_inference.hpp"

#include <memory>
#include <string>
#include <vector>

namespace winglet::test {

inline Dim d(int64_t v) { return Dim::of(v); }
inline Dim sym(const std::string& s) { return Dim::named(s); }

inline Attribute int_attr(const std::string& name, int64_t v) {
    Attribute a;
    a.name = name;
    a.kind = Attribute::Kind::Int;
    a.i = v;
    return a;
}

inline Attribute ints_attr(const std::string& name, std::vector<int64_t> v) {
    Attribute a;
    a.name = name;
    a.kind = Attribute::Kind::Ints;
    a.ints = std::move(v);
    return a;
}

inline Attribute string_attr(const std::string& name, const std::string& s) {
    Attribute a;
    a.name = name;
    a.kind = Attribute::Kind::String;
    a.s = s;
    return a;
}

inline Attribute graph_attr(const std::string& name, std::shared_ptr<Graph> g) {
    Attribute a;
    a.name = name;
    a.kind = Attribute::Kind::Graph;
    a.graph = std::move(g);
    return a;
}

// Builds small graphs by value name; "" as an input name is an absent optional input.
struct Builder {
    Graph g;

    Builder& input(const std::string& name, Shape shape, DType dtype = DType::Float32) {
        const int idx = g.intern_value(name);
        g.values[idx].shape = std::move(shape);
        g.values[idx].dtype = dtype;
        g.values[idx].is_graph_input = true;
        g.inputs.push_back(idx);
        return *this;
    }

    // A weight whose bytes are not needed (a Conv kernel): shape and dtype only.
    Builder& weight(const std::string& name, std::vector<int64_t> dims, DType dtype = DType::Float32) {
        Weight w;
        w.name = name;
        w.dtype = dtype;
        w.dims = std::move(dims);
        return add_weight(std::move(w));
    }

    template <typename T>
    Builder& constant(const std::string& name, std::vector<T> values, DType dtype, std::vector<int64_t> dims) {
        auto storage = std::make_shared<std::vector<T>>(std::move(values));
        Weight w;
        w.name = name;
        w.dtype = dtype;
        w.dims = std::move(dims);
        w.bytes.owner = storage;
        w.bytes.data = reinterpret_cast<const uint8_t*>(storage->data());   // the test host is little-endian
        w.bytes.size = storage->size() * sizeof(T);
        return add_weight(std::move(w));
    }

    Builder& ints(const std::string& name, std::vector<int64_t> values) {
        const auto n = static_cast<int64_t>(values.size());
        return constant(name, std::move(values), DType::Int64, {n});
    }

    Builder& node(const std::string& op, std::vector<std::string> inputs, std::vector<std::string> outputs,
                  std::vector<Attribute> attributes = {}, std::string name = "") {
        Node n;
        n.op_type = op;
        n.name = name.empty() ? op + "_" + outputs.at(0) : std::move(name);
        for (const auto& in : inputs) n.inputs.push_back(in.empty() ? -1 : g.intern_value(in));
        for (const auto& out : outputs) n.outputs.push_back(g.intern_value(out));
        n.attributes = std::move(attributes);
        g.nodes.push_back(std::move(n));
        return *this;
    }

    Builder& output(const std::string& name) {
        g.outputs.push_back(g.intern_value(name));
        return *this;
    }

    // Links the graph and runs the engine's shape inference on it.
    ShapeInferenceStats infer(const ShapeInferenceOptions& options = {}) {
        g.link();
        return infer_missing_shapes(g, options);
    }

    std::string shape(const std::string& name) const { return shape_to_string(value(name).shape); }
    // dtype by name, so that failures print readably.
    std::string dtype(const std::string& name) const { return std::string(dtype_name(value(name).dtype)); }
    const Value& value(const std::string& name) const {
        const auto idx = g.find_value(name);
        BOOST_REQUIRE(idx.has_value());
        return g.values[*idx];
    }

private:
    Builder& add_weight(Weight w) {
        const int idx = g.intern_value(w.name);
        g.weights.push_back(std::move(w));
        g.values[idx].weight = static_cast<int>(g.weights.size()) - 1;
        return *this;
    }
};

// Runs inference and returns the InputError's message; fails the test when nothing is thrown.
inline std::string inference_error(Builder& b) {
    try {
        b.infer();
    } catch (const InputError& e) {
        return e.what();
    }
    BOOST_FAIL("expected an InputError");
    return {};
}

}  // namespace winglet::test
