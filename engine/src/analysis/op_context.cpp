#include "analysis/op_context.hpp"

#include "core/errors.hpp"

namespace winglet::analysis {

OpContext::OpContext(const Graph& graph, const Node& node) : graph_(graph), node_(node) {}

std::string OpContext::label() const {
    return "op '" + node_.name + "' (" + (node_.domain.empty() ? "" : node_.domain + ".") +
           node_.op_type + ")";
}

const Value* OpContext::resolve(int value_index) const {
    if (value_index < 0 || value_index >= static_cast<int>(graph_.values.size())) return nullptr;
    const Value& local = graph_.values[value_index];
    if (!graph_.parent) return &local;
    // In a subgraph a name may stand for a value of an enclosing graph (ONNX scoping).
    const Value* resolved = graph_.lookup(local.name);
    return resolved ? resolved : &local;
}

const Value* OpContext::input(size_t i) const {
    return i < node_.inputs.size() ? resolve(node_.inputs[i]) : nullptr;
}

const Value* OpContext::output(size_t i) const {
    return i < node_.outputs.size() ? resolve(node_.outputs[i]) : nullptr;
}

Dims OpContext::input_dims(size_t i) const {
    const Value* v = input(i);
    return v ? known_dims(v->shape) : Dims{};
}

Dims OpContext::output_dims(size_t i) const {
    const Value* v = output(i);
    return v ? known_dims(v->shape) : Dims{};
}

uint64_t OpContext::broadcast_output_elements(size_t i) const {
    Dims dims;
    for (size_t in = 0; in < input_count(); ++in) dims = broadcast(dims, input_dims(in));
    const Value* out = output(i);
    if (out && out->shape) {
        // The IR's rank wins; the broadcast only fills the dims it does not know.
        if (out->shape->size() != dims.size()) return output_elements(i);
        for (size_t d = 0; d < dims.size(); ++d)
            if ((*out->shape)[d].known()) dims[d] = static_cast<uint64_t>((*out->shape)[d].value);
    }
    return product(dims);
}

void OpContext::overflow() const {
    std::string shapes;
    for (size_t i = 0; i < input_count(); ++i) {
        const Value* v = input(i);
        if (!v) continue;
        shapes += (shapes.empty() ? "" : ", ") + v->name + "=" + shape_to_string(v->shape);
    }
    throw InputError(label() + ": cost overflows 64 bits for input shapes " + shapes);
}

uint64_t OpContext::mul(uint64_t a, uint64_t b) const {
    if (auto r = checked_mul(a, b)) return *r;
    overflow();
}

uint64_t OpContext::add(uint64_t a, uint64_t b) const {
    if (auto r = checked_add(a, b)) return *r;
    overflow();
}

uint64_t OpContext::product(const Dims& dims) const { return product(dims, 0, dims.size()); }

uint64_t OpContext::product(const Dims& dims, size_t begin, size_t end) const {
    if (auto r = checked_product(dims, begin, end)) return *r;
    overflow();
}

uint64_t OpContext::product(std::initializer_list<uint64_t> factors) const {
    uint64_t n = 1;
    for (uint64_t f : factors) n = mul(n, f);
    return n;
}

}  // namespace winglet::analysis
