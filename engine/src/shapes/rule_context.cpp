#include "shapes/rule_context.hpp"

#include <cstring>
#include <limits>

namespace winglet::shapes {
namespace {

// Little-endian unsigned integer of `width` bytes at `p`, independent of the host's byte order.
uint64_t read_le(const uint8_t* p, size_t width) {
    uint64_t v = 0;
    for (size_t b = 0; b < width; ++b) v |= static_cast<uint64_t>(p[b]) << (8 * b);
    return v;
}

int64_t sign_extend(uint64_t v, size_t width) {
    if (width == 8) return static_cast<int64_t>(v);
    const uint64_t sign = uint64_t{1} << (8 * width - 1);
    return static_cast<int64_t>((v ^ sign) - sign);
}

// Whether the weight's bytes are present and hold all its elements of `width` bytes; an empty
// tensor (empty axes, no scales) needs no bytes.
bool readable(const Weight& w, size_t width) {
    const uint64_t n = w.elements();
    return n <= kMaxValueElements && (n == 0 || (w.bytes.data && w.bytes.size >= n * width));
}

}  // namespace

std::optional<std::vector<int64_t>> small_int_contents(const Weight& w) {
    bool is_signed = true;
    size_t width = 0;
    switch (w.dtype) {
        case DType::Int64: width = 8; break;
        case DType::Int32: width = 4; break;
        case DType::Int16: width = 2; break;
        case DType::Int8: width = 1; break;
        case DType::UInt64: width = 8; is_signed = false; break;
        case DType::UInt32: width = 4; is_signed = false; break;
        case DType::UInt16: width = 2; is_signed = false; break;
        case DType::UInt8: case DType::Bool: width = 1; is_signed = false; break;
        default: return std::nullopt;
    }
    if (!readable(w, width)) return std::nullopt;
    const uint8_t* p = w.bytes.data;
    std::vector<int64_t> out(w.elements());
    for (size_t i = 0; i < out.size(); ++i) {
        const uint64_t raw = read_le(p + i * width, width);
        if (!is_signed && raw > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
        out[i] = is_signed ? sign_extend(raw, width) : static_cast<int64_t>(raw);
    }
    return out;
}

namespace {

std::optional<std::vector<double>> small_float_contents(const Weight& w) {
    const size_t width = w.dtype == DType::Float32 ? 4 : w.dtype == DType::Float64 ? 8 : 0;
    if (width == 0 || w.elements() > kMaxRealElements) return std::nullopt;
    if (!readable(w, width)) return std::nullopt;
    const uint8_t* p = w.bytes.data;
    std::vector<double> out(w.elements());
    for (size_t i = 0; i < out.size(); ++i) {
        const uint64_t raw = read_le(p + i * width, width);
        if (width == 4) {
            const auto bits = static_cast<uint32_t>(raw);
            float f;
            std::memcpy(&f, &bits, sizeof f);
            out[i] = f;
        } else {
            std::memcpy(&out[i], &raw, sizeof raw);
        }
    }
    return out;
}

}  // namespace

std::optional<Elements> small_contents(const Weight& w) {
    Elements out;
    if (auto ints = small_int_contents(w)) {
        out.reserve(ints->size());
        for (int64_t v : *ints) out.push_back(Element::of(v));
        return out;
    }
    if (auto reals = small_float_contents(w)) {
        out.reserve(reals->size());
        for (double v : *reals) out.push_back(Element::of_real(v));
        return out;
    }
    return std::nullopt;
}

RuleContext::RuleContext(Graph& graph, int node_index, PassState& state,
                         const std::function<void(Graph&)>& infer_subgraph)
    : graph_(graph), node_index_(node_index), state_(state), infer_subgraph_(infer_subgraph) {}

const Value* RuleContext::input(size_t i) const {
    if (i >= input_count() || node().inputs[i] < 0) return nullptr;
    const Value& local = graph_.values[node().inputs[i]];
    if (!graph_.parent) return &local;
    const Value* resolved = graph_.lookup(local.name);   // a subgraph may read outer values
    return resolved ? resolved : &local;
}

const std::optional<Shape>& RuleContext::input_shape(size_t i) const {
    static const std::optional<Shape> none;
    const Value* v = input(i);
    return v ? v->shape : none;
}

DType RuleContext::input_dtype(size_t i) const {
    const Value* v = input(i);
    return v ? v->dtype : DType::Undefined;
}

std::optional<Elements> RuleContext::input_values(size_t i) const {
    const Value* v = input(i);
    if (!v) return std::nullopt;
    if (auto it = state_.known.find(v); it != state_.known.end()) return it->second;
    // A weight of this graph, or of an enclosing one read by name from a subgraph.
    const Weight* w = graph_.weight_of(node().inputs[i]);
    return w ? small_contents(*w) : std::nullopt;
}

std::optional<Elements> RuleContext::values_of(const Value& v) const {
    if (auto it = state_.known.find(&v); it != state_.known.end()) return it->second;
    const Weight* w = v.weight >= 0 ? nullptr : v.constant.get();
    return w ? small_contents(*w) : std::nullopt;
}

std::optional<std::vector<int64_t>> RuleContext::input_ints(size_t i) const {
    auto values = input_values(i);
    return values ? known_ints(*values) : std::nullopt;
}

std::optional<std::vector<double>> RuleContext::input_numbers(size_t i) const {
    const auto values = input_values(i);
    if (!values) return std::nullopt;
    std::vector<double> out;
    out.reserve(values->size());
    for (const Element& e : *values) {
        if (e.real) out.push_back(*e.real);
        else if (e.value) out.push_back(static_cast<double>(*e.value));
        else return std::nullopt;
    }
    return out;
}

std::optional<std::vector<int64_t>> RuleContext::ints_from_attr_or_input(const std::string& attr, size_t i) const {
    if (const Attribute* a = node().attribute(attr); a && a->kind == Attribute::Kind::Ints) return a->ints;
    if (!has_input(i)) return std::vector<int64_t>{};
    return input_ints(i);
}

void RuleContext::set_output(size_t i, std::optional<Shape> shape, DType dtype) {
    if (!has_output(i)) return;
    Value& v = graph_.values[node().outputs[i]];
    if (v.dtype == DType::Undefined) v.dtype = dtype;
    if (!shape) return;
    if (!v.shape) {
        v.shape = std::move(shape);
        return;
    }
    bool contradicts = v.shape->size() != shape->size();
    for (size_t d = 0; !contradicts && d < shape->size(); ++d) {
        Dim& have = (*v.shape)[d];
        const Dim& computed = (*shape)[d];
        if (have.known()) {
            contradicts = computed.known() && computed.value != have.value;
        } else if (computed.known() || (have.symbol.empty() && !computed.symbol.empty())) {
            have = computed;
        }
    }
    if (contradicts) state_.conflicts.push_back(ShapeConflict{&graph_, node_index_, v.name, *v.shape, *shape});
}

void RuleContext::set_output_values(size_t i, Elements values) {
    if (!has_output(i) || values.size() > kMaxValueElements) return;
    state_.known[&graph_.values[node().outputs[i]]] = std::move(values);
}

const std::optional<Shape>& RuleContext::output_shape(size_t i) const {
    static const std::optional<Shape> none;
    return has_output(i) ? graph_.values[node().outputs[i]].shape : none;
}

DType RuleContext::output_dtype(size_t i) const {
    return has_output(i) ? graph_.values[node().outputs[i]].dtype : DType::Undefined;
}

}  // namespace winglet::shapes
