#include "decode_graph.hpp"

#include "tensors.hpp"

namespace winglet::onnx_model {
namespace {

// Opsets where an operator's attribute became an input.
constexpr int64_t kSliceInputsOpset = 10;      // starts/ends/axes
constexpr int64_t kSplitInputOpset = 13;       // split

}  // namespace

void add_ints_attribute(onnx::NodeProto& node, const std::string& name, const std::vector<int64_t>& values) {
    onnx::AttributeProto* a = node.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t v : values) a->add_ints(v);
}

DecodeGraph::DecodeGraph(int64_t opset, std::unordered_set<std::string> used) : opset_(opset), used_(std::move(used)) {}

std::string DecodeGraph::fresh(const std::string& base) {
    std::string name = base;
    for (uint64_t i = 1; used_.count(name); ++i) name = base + "_" + std::to_string(i);
    used_.insert(name);
    return name;
}

std::string DecodeGraph::initializer(const std::string& base, int32_t dtype, const std::vector<int64_t>& dims,
                                     const void* data, size_t bytes) {
    const std::string name = fresh(base);
    initializers_.push_back(make_tensor(name, dtype, dims, data, bytes));
    initializer_names_.insert(name);
    return name;
}

std::string DecodeGraph::int64_constant(const std::string& base, const std::vector<int64_t>& values,
                                        const std::vector<int64_t>& dims) {
    auto [it, added] = int64_constants_.try_emplace({values, dims});
    if (added)
        it->second = initializer(base, onnx::TensorProto::INT64, dims, values.data(), values.size() * sizeof(int64_t));
    return it->second;
}

onnx::NodeProto& DecodeGraph::node(Section section, const std::string& op, const std::vector<std::string>& inputs,
                                   const std::vector<std::string>& outputs) {
    auto& list = section == Section::Unpack ? unpack_nodes_ : tensor_nodes_;
    list.push_back(make_node(op, inputs, outputs, std::string()));
    list.back().clear_name();
    return list.back();
}

std::string DecodeGraph::cast(Section s, const std::string& x, int32_t to, const std::string& output) {
    add_int_attribute(node(s, "Cast", {x}, output), "to", to);
    return output;
}

std::string DecodeGraph::reshape(Section s, const std::string& x, const std::vector<int64_t>& dims,
                                 const std::string& output) {
    node(s, "Reshape", {x, int64_list("winglet_shape", dims)}, output);
    return output;
}

std::string DecodeGraph::slice(Section s, const std::string& x, int64_t axis, int64_t start, int64_t end,
                               const std::string& output) {
    if (opset_ >= kSliceInputsOpset) {
        node(s, "Slice",
             {x, int64_list("winglet_slice_start", {start}), int64_list("winglet_slice_end", {end}),
              int64_list("winglet_axis", {axis})},
             output);
    } else {
        onnx::NodeProto& n = node(s, "Slice", {x}, output);
        add_ints_attribute(n, "axes", {axis});
        add_ints_attribute(n, "starts", {start});
        add_ints_attribute(n, "ends", {end});
    }
    return output;
}

void DecodeGraph::split(Section s, const std::string& x, const std::vector<int64_t>& sizes,
                        const std::vector<std::string>& outputs) {
    if (opset_ >= kSplitInputOpset) {
        node(s, "Split", {x, int64_list("winglet_split", sizes)}, outputs);
    } else {
        onnx::NodeProto& n = node(s, "Split", {x}, outputs);
        add_ints_attribute(n, "split", sizes);
    }
}

std::vector<onnx::NodeProto> DecodeGraph::take_nodes() {
    std::vector<onnx::NodeProto> all = std::move(unpack_nodes_);
    for (onnx::NodeProto& n : tensor_nodes_) all.push_back(std::move(n));
    unpack_nodes_.clear();
    tensor_nodes_.clear();
    return all;
}

}  // namespace winglet::onnx_model
