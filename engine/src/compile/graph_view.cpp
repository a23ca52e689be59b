#include "compile/graph_view.hpp"

#include "analysis/shape_math.hpp"
#include "graph/topology.hpp"

#include <stdexcept>

namespace winglet {
namespace {

// Storage bytes with unknown dims taken as 1 (the analysis' own, overflow-checked); 0 for an
// unknown rank.
uint64_t storage_bytes(const Value& v) {
    return v.shape ? analysis::value_bytes(v, "graph view") : 0;
}

}  // namespace

GraphCView::GraphCView(const Model& model, const Report& report)
    : report_(report), report_view_(report) {
    add_graph(model.graph);
    if (ops_.size() != report.ops.size())
        throw std::logic_error("graph view has " + std::to_string(ops_.size()) + " ops, the report " +
                               std::to_string(report.ops.size()));
    mark_compression(model.graph);
    view_.struct_size = sizeof(view_);
    view_.report = report_view_.get();
    view_.op_count = ops_.size();
    view_.op_stride = sizeof(wg_op_view);
    view_.ops = ops_.data();
    view_.value_count = values_.size();
    view_.value_stride = sizeof(wg_value_view);
    view_.values = values_.data();
}

// Same order as analysis::walk_ops: topological order, each op followed by its subgraphs' ops,
// subgraphs in attribute order (If branches included).
void GraphCView::add_graph(const Graph& graph) {
    add_values(graph);
    for (int n : topological_order(graph)) {
        add_op(graph, n);
        for (const Attribute& a : graph.nodes[n].attributes)
            if (a.graph) add_graph(*a.graph);
    }
}

void GraphCView::add_values(const Graph& graph) {
    std::vector<int64_t>& index = value_index_[&graph];
    index.reserve(graph.values.size());
    for (const Value& v : graph.values) {
        if (v.is_outer_read())
            if (const Graph* outer = graph.parent) {
                int64_t found = -1;
                for (; outer && found < 0; outer = outer->parent)
                    if (auto i = outer->find_value(v.name)) found = value_index_.at(outer)[*i];
                if (found >= 0) {
                    index.push_back(found);
                    continue;
                }
            }
        wg_value_view vv{};
        vv.struct_size = sizeof(vv);
        vv.flags = (v.is_weight() ? WG_VALUE_WEIGHT : 0u) | (v.is_graph_input ? WG_VALUE_GRAPH_INPUT : 0u) |
                   (v.is_graph_output ? WG_VALUE_GRAPH_OUTPUT : 0u);
        vv.name = v.name.c_str();
        vv.dtype = static_cast<wg_dtype>(v.dtype);
        vv.shape = wg_shape_view{WG_RANK_UNKNOWN, nullptr};
        if (v.shape) {
            auto& dims = dims_.emplace_back();
            for (const Dim& d : *v.shape) dims.push_back(wg_dim{d.value, d.symbol.c_str()});
            vv.shape = wg_shape_view{static_cast<uint32_t>(dims.size()), dims.data()};
        }
        vv.producer = -1;  // set by add_op
        vv.bytes = storage_bytes(v);
        index.push_back(static_cast<int64_t>(values_.size()));
        values_.push_back(vv);
    }
}

// A recipe's effect, in the value fields targets read (ABI 1.2): the compressed weight of each op,
// and its activations when the recipe marked them for int8 execution.
void GraphCView::mark_compression(const Graph& main) {
    const std::vector<int64_t>& index = value_index_.at(&main);
    for (size_t i = 0; i < report_.ops.size(); ++i) {
        const auto& c = report_.ops[i].compression;
        if (!c) continue;
        if (auto local = main.find_value(c->tensor)) {
            wg_value_view& v = values_[static_cast<size_t>(index[static_cast<size_t>(*local)])];
            const CompressedTensor& t = *c->compressed;
            v.storage_bits = t.storage_bits;
            v.compute_dtype = t.compute_dtype;
            v.decode = t.decode;
            v.sparsity_pattern = t.sparsity_pattern;
            v.sparsity_n = t.sparsity_n;
            v.sparsity_m = t.sparsity_m;
            v.sparsity = t.sparsity;
        }
        if (!c->activations_int8) continue;
        const wg_op_view& op = ops_[i];
        for (uint64_t k = 0; k < op.input_count + op.output_count; ++k) {
            const int64_t value = k < op.input_count ? op.inputs[k] : op.outputs[k - op.input_count];
            if (value >= 0 && !(values_[static_cast<size_t>(value)].flags & WG_VALUE_WEIGHT))
                values_[static_cast<size_t>(value)].compute_dtype = WG_DTYPE_INT8;
        }
    }
}

const int64_t* GraphCView::indices(const Graph& graph, const std::vector<int>& local) {
    const std::vector<int64_t>& index = value_index_.at(&graph);
    auto& out = edges_.emplace_back();
    for (int v : local) out.push_back(v < 0 ? -1 : index.at(static_cast<size_t>(v)));
    return out.data();
}

void GraphCView::add_op(const Graph& graph, int node_index) {
    const Node& node = graph.nodes[node_index];
    const size_t i = ops_.size();
    if (i >= report_.ops.size() || report_.ops[i].op_type != node.op_type)
        throw std::logic_error("graph view and report disagree at op " + std::to_string(i));
    wg_op_view op{};
    op.struct_size = sizeof(op);
    op.record = report_view_.get()->ops + i;
    op.input_count = node.inputs.size();
    op.inputs = indices(graph, node.inputs);
    op.output_count = node.outputs.size();
    op.outputs = indices(graph, node.outputs);
    for (uint64_t o = 0; o < op.output_count; ++o)
        if (op.outputs[o] >= 0) values_[static_cast<size_t>(op.outputs[o])].producer = static_cast<int64_t>(i);
    op.attributes = attributes(node, op.attribute_count);
    ops_.push_back(op);
}

// Scalars and lists only: tensors and graphs do not cross into a target (see wg_op_view).
const wg_attr_desc* GraphCView::attributes(const Node& node, uint64_t& count) {
    auto& out = attrs_.emplace_back();
    for (const Attribute& a : node.attributes) {
        wg_attr_desc d{};
        d.struct_size = sizeof(d);
        d.name = a.name.c_str();
        switch (a.kind) {
            case Attribute::Kind::Float: d.type = WG_ATTR_FLOAT; d.f = a.f; break;
            case Attribute::Kind::Int: d.type = WG_ATTR_INT; d.i = a.i; break;
            case Attribute::Kind::String:
                d.type = WG_ATTR_STRING;
                d.s = a.s.c_str();
                d.s_size = a.s.size();
                break;
            case Attribute::Kind::Floats:
                d.type = WG_ATTR_FLOATS;
                d.count = a.floats.size();
                d.floats = a.floats.data();
                break;
            case Attribute::Kind::Ints:
                d.type = WG_ATTR_INTS;
                d.count = a.ints.size();
                d.ints = a.ints.data();
                break;
            case Attribute::Kind::Strings: {
                auto& ptrs = strings_.emplace_back();
                for (const std::string& s : a.strings) ptrs.push_back(s.c_str());
                d.type = WG_ATTR_STRINGS;
                d.count = ptrs.size();
                d.strings = ptrs.data();
                break;
            }
            default: continue;
        }
        out.push_back(d);
    }
    count = out.size();
    return out.data();
}

}  // namespace winglet
