// The engine's graph IR: what a model is, independent of the file format it came from.
//
// Values are identified by index within their graph; a subgraph (If/Loop/Scan body) may read
// values of enclosing graphs by name (ONNX scoping), resolved through `parent`.
#pragma once

#include "core/dtype.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace winglet {

struct Dim {
    int64_t value = -1;   // >= 0 when known
    std::string symbol;   // name of a symbolic dim ("batch"), "" when anonymous or known
    bool known() const { return value >= 0; }
    static Dim of(int64_t v) { return Dim{v, {}}; }
    static Dim named(std::string s) { return Dim{-1, std::move(s)}; }
};

using Shape = std::vector<Dim>;

// Element count of a shape whose dims are all known; nullopt if any is unknown or it overflows.
std::optional<uint64_t> element_count(const Shape& shape);
std::string shape_to_string(const std::optional<Shape>& shape);

// Bytes of a weight, either borrowed from a mapping kept alive by `owner` or owned by it.
struct TensorData {
    std::shared_ptr<const void> owner;
    const uint8_t* data = nullptr;
    uint64_t size = 0;
};

struct Weight {
    std::string name;
    DType dtype = DType::Undefined;
    std::vector<int64_t> dims;
    TensorData bytes;
    uint64_t elements() const;
};

class Graph;

struct Attribute {
    enum class Kind { Float, Int, String, Tensor, Graph, Floats, Ints, Strings };
    std::string name;
    Kind kind = Kind::Int;
    double f = 0;
    int64_t i = 0;
    std::string s;
    std::vector<double> floats;
    std::vector<int64_t> ints;
    std::vector<std::string> strings;
    std::shared_ptr<Weight> tensor;   // Kind::Tensor (e.g. Constant's value)
    std::shared_ptr<Graph> graph;     // Kind::Graph (If/Loop/Scan bodies)
};

struct Value {
    std::string name;
    DType dtype = DType::Undefined;
    std::optional<Shape> shape;       // nullopt: rank unknown
    int producer = -1;                // node index, -1 for graph inputs, weights and outer values
    std::vector<int> consumers;       // node indices, one entry per use
    int weight = -1;                  // index into Graph::weights when the value is an initializer
    std::shared_ptr<Weight> constant; // set when produced by a Constant node (treated as a weight)
    bool is_graph_input = false;
    bool is_graph_output = false;
    bool is_weight() const { return weight >= 0 || constant != nullptr; }
    // Nothing in this graph defines it: inside a subgraph, a read of an enclosing scope's value.
    bool is_outer_read() const { return producer < 0 && !is_graph_input && !is_weight(); }
};

// What the shape pass learnt about a control-flow node by evaluating the small tensors it depends
// on, for the inputs this import was given (--input, --input-value): not part of the model file.
struct ControlFacts {
    std::optional<bool> condition;      // If: its condition, when it evaluates
    std::optional<int64_t> trip_count;  // Loop: its M input, when it evaluates
};

struct Node {
    std::string name;
    std::string op_type;
    std::string domain;               // "" is the default ONNX domain
    std::vector<int> inputs;          // value indices; -1 for an absent optional input
    std::vector<int> outputs;         // value indices; -1 for an absent optional output
    std::vector<Attribute> attributes;
    ControlFacts evaluated;

    const Attribute* attribute(const std::string& attr_name) const;
    int64_t attr_int(const std::string& attr_name, int64_t fallback) const;
    double attr_float(const std::string& attr_name, double fallback) const;
    std::string attr_string(const std::string& attr_name, const std::string& fallback) const;
    std::vector<int64_t> attr_ints(const std::string& attr_name) const;
};

class Graph {
public:
    Graph() = default;
    // Moving re-points the subgraphs' `parent` at the new address; copying would share the
    // subgraphs between two parents, so it is not offered.
    Graph(Graph&& other) noexcept;
    Graph& operator=(Graph&& other) noexcept;
    Graph(const Graph&) = delete;
    Graph& operator=(const Graph&) = delete;

    std::string name;
    std::vector<Node> nodes;
    std::vector<Value> values;
    std::vector<Weight> weights;
    std::vector<int> inputs;   // value indices (graph inputs that are not weights)
    std::vector<int> outputs;
    const Graph* parent = nullptr;

    // Index of the value with this name in this graph, creating an untyped one if absent.
    int intern_value(const std::string& value_name);
    std::optional<int> find_value(const std::string& value_name) const;
    // Resolves a name through enclosing graphs (ONNX scoping) for read-only lookups.
    const Value* lookup(const std::string& value_name) const;

    // Weight read through a value: initializer or Constant-node tensor; nullptr otherwise.
    const Weight* weight_of(int value_index) const;

    // Rebuilds producer/consumer links from nodes; throws InputError when two nodes write one value.
    void link();

private:
    std::unordered_map<std::string, int> index_;
};

struct ModelInfo {
    std::string path;
    std::string format;
    std::string content_hash;
    int64_t ir_version = 0;
    std::string producer_name;
    std::string producer_version;
    std::string graph_name;
    std::map<std::string, int64_t> opsets;   // domain -> version
    uint64_t file_size = 0;
    std::vector<std::string> data_files;     // external data the model read besides its file
    // What this analysis was given for the inputs (--input NAME=DIMS, --input-value NAME=V,...):
    // the numbers hold for these inputs only.
    std::map<std::string, std::vector<int64_t>> given_input_shapes;
    std::map<std::string, std::vector<std::string>> given_input_values;
};

// "1x512" ("scalar" for rank 0), as --input takes it; "16000" or "1,2,3", as --input-value does.
std::string dims_text(const std::vector<int64_t>& dims);
std::string values_text(const std::vector<std::string>& values);

// A value whose shape stays (partly) unknown after import, and why.
struct UnknownShape {
    std::string value;   // the value's name
    std::string op;      // the op that writes it: "'name' (Op)", with " in subgraph 'g'" inside one
    std::string reason;  // e.g. "no shape rule for MysteryOp", "depends on the contents of 'n', ..."
};

struct Model {
    ModelInfo info;
    Graph graph;
    std::vector<std::string> warnings;   // import-time notes shown to the user
    std::vector<UnknownShape> unknown_shapes;
    // Command-line options that would resolve some unknown shapes ("--input-value sr=V...: ...").
    std::vector<std::string> shape_suggestions;
};

}  // namespace winglet
