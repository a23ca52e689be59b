#include "shapes/rules.hpp"

namespace winglet::shapes {

const RuleTable& shape_rules() {
    static const RuleTable table = [] {
        RuleTable t;
        add_elementwise_rules(t);
        add_spatial_rules(t);
        add_linalg_rules(t);
        add_reshape_rules(t);
        add_indexing_rules(t);
        add_reduce_rules(t);
        add_generator_rules(t);
        add_recurrent_rules(t);
        add_control_flow_rules(t);
        add_value_rules(t);
        return t;
    }();
    return table;
}

void set_evaluator(RuleTable& table, std::initializer_list<const char*> op_types,
                   std::function<void(RuleContext&)> evaluate) {
    for (const char* op : op_types) table.at(op).evaluate = evaluate;   // at: a rule must exist
}

void same_as_input(RuleContext& ctx, size_t output, size_t input, DType dtype) {
    ctx.set_output(output, ctx.input_shape(input), dtype == DType::Undefined ? ctx.input_dtype(input) : dtype);
}

DType dtype_attribute(const RuleContext& ctx, const char* name, DType fallback) {
    const int64_t code = ctx.node().attr_int(name, -1);
    if (code < 0) return fallback;
    return dtype_from_code(static_cast<uint32_t>(code)).value_or(fallback);
}

std::optional<size_t> length_of_1d_input(const RuleContext& ctx, size_t input) {
    const auto& shape = ctx.input_shape(input);
    if (!shape || shape->size() != 1 || !(*shape)[0].known()) return std::nullopt;
    const auto length = static_cast<uint64_t>((*shape)[0].value);
    if (length > kMaxValueElements) return std::nullopt;
    return static_cast<size_t>(length);
}

std::optional<Shape> shape_from_input(const RuleContext& ctx, size_t input) {
    if (auto values = ctx.input_values(input)) {
        Shape shape;
        for (const Element& v : *values) {
            if (v.value && *v.value < 0) ctx.fail("shape input holds the negative size " + std::to_string(*v.value));
            shape.push_back(v.to_dim());
        }
        return shape;
    }
    if (auto length = length_of_1d_input(ctx, input)) return Shape(*length, unknown_dim());
    return std::nullopt;
}

void remap_values(RuleContext& ctx, const Shape& in, const Shape& out, const SourceIndex& source) {
    const auto in_dims = known_dims(in);
    const auto out_dims = known_dims(out);
    const auto in_count = element_count(in);
    const auto out_count = element_count(out);
    if (!in_dims || !out_dims || !in_count || !out_count || *out_count > kMaxValueElements) return;
    const auto values = ctx.input_values(0);
    if (!values || values->size() != *in_count) return;
    const std::vector<int64_t> strides = row_major_strides(*in_dims);
    Elements remapped;
    remapped.reserve(*out_count);
    std::vector<int64_t> index(out_dims->size(), 0);
    for (uint64_t k = 0; k < *out_count; ++k) {
        const int64_t from = source(index, strides);
        if (from < 0 || static_cast<uint64_t>(from) >= *in_count) return;
        remapped.push_back((*values)[static_cast<size_t>(from)]);
        for (size_t a = index.size(); a-- > 0;) {   // next row-major multi-index
            if (++index[a] < (*out_dims)[a]) break;
            index[a] = 0;
        }
    }
    ctx.set_output_values(0, std::move(remapped));
}

void forward_values(RuleContext& ctx, size_t input) {
    if (auto values = ctx.input_values(input)) ctx.set_output_values(0, std::move(*values));
}

}  // namespace winglet::shapes
