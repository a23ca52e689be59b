// The initializers and nodes the writer adds to a model's main graph to decode compressed weights,
// named so that nothing of the model collides, with the opset-dependent spellings of the
// operators whose attributes became inputs (Slice, Split).
#pragma once

#include "onnx/onnx_pb.h"

#include <cstdint>
#include <map>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace winglet::onnx_model {

class DecodeGraph {
public:
    // Unpack nodes (shared by many tensors) come first in the graph, then the per-tensor decodes
    // that read them; both read only initializers and each other, so the order stays topological.
    enum class Section { Unpack, Tensor };

    // `used`: every name of the model (values, initializers, nodes, in any graph).
    DecodeGraph(int64_t opset, std::unordered_set<std::string> used);

    int64_t opset() const { return opset_; }

    // `base`, or base_1, base_2, ...: a name nothing in the model or the decode uses yet.
    std::string fresh(const std::string& base);

    // A new initializer named fresh(base), its payload `bytes` little-endian bytes in raw_data.
    std::string initializer(const std::string& base, int32_t dtype, const std::vector<int64_t>& dims, const void* data,
                            size_t bytes);
    // An int64 initializer shared by every decode that asks for the same values and dims (the
    // first asker's `base` names it): shapes, shifts, axes cost their bytes once per model.
    std::string int64_constant(const std::string& base, const std::vector<int64_t>& values,
                               const std::vector<int64_t>& dims);
    std::string int64_scalar(const std::string& base, int64_t value) { return int64_constant(base, {value}, {}); }
    std::string int64_list(const std::string& base, const std::vector<int64_t>& values) {
        return int64_constant(base, values, {static_cast<int64_t>(values.size())});
    }
    // A value computed once per model for every decode that asks with the same `key`: `make`
    // adds its nodes the first time and returns its name.
    template <class Make>
    std::string shared_value(const std::string& key, Make make) {
        const auto it = shared_values_.find(key);
        if (it != shared_values_.end()) return it->second;
        std::string name = make();
        shared_values_.emplace(key, name);
        return name;
    }

    // A node of `section` with the given outputs. Decode nodes carry no name (ONNX does not need
    // one, and every byte of the decode counts against the reported storage).
    onnx::NodeProto& node(Section section, const std::string& op, const std::vector<std::string>& inputs,
                          const std::vector<std::string>& outputs);
    // One-output node whose output is `output` (a name from fresh(), or the decoded tensor's own).
    onnx::NodeProto& node(Section section, const std::string& op, const std::vector<std::string>& inputs,
                          const std::string& output) {
        return node(section, op, inputs, std::vector<std::string>{output});
    }

    // Opset-aware spellings; each returns `output`.
    std::string cast(Section s, const std::string& x, int32_t to, const std::string& output);
    std::string reshape(Section s, const std::string& x, const std::vector<int64_t>& dims, const std::string& output);
    // x[start:end] along `axis`.
    std::string slice(Section s, const std::string& x, int64_t axis, int64_t start, int64_t end,
                      const std::string& output);
    // Splits a 1-D tensor into pieces of `sizes` along axis 0, one output each.
    void split(Section s, const std::string& x, const std::vector<int64_t>& sizes, const std::vector<std::string>& outputs);

    // What finish() puts in the model, in graph order.
    std::vector<onnx::TensorProto>& initializers() { return initializers_; }
    std::vector<onnx::NodeProto> take_nodes();
    const std::unordered_set<std::string>& initializer_names() const { return initializer_names_; }

private:
    int64_t opset_;
    std::unordered_set<std::string> used_;
    std::vector<onnx::TensorProto> initializers_;
    std::unordered_set<std::string> initializer_names_;
    std::vector<onnx::NodeProto> unpack_nodes_, tensor_nodes_;
    std::map<std::pair<std::vector<int64_t>, std::vector<int64_t>>, std::string> int64_constants_;
    std::map<std::string, std::string> shared_values_;
};

void add_ints_attribute(onnx::NodeProto& node, const std::string& name, const std::vector<int64_t>& values);

}  // namespace winglet::onnx_model
