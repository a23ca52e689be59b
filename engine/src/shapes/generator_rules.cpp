// Ops that make new tensors: Shape, Size, Constant, ConstantOfShape, Range, NonZero, and the
// *Like generators. Shape, Size, Constant and Range also record their contents.
#include "shapes/rules.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace winglet::shapes {
namespace {

void shape_rule(RuleContext& ctx) {
    const auto& x = ctx.input_shape(0);
    if (!x) return ctx.set_output(0, Shape{unknown_dim()}, DType::Int64);
    // Opset 15's start/end select a range of dims; out-of-range values clamp.
    const auto rank = static_cast<int64_t>(x->size());
    auto clamp_index = [rank](int64_t i) { return std::clamp<int64_t>(i < 0 ? i + rank : i, 0, rank); };
    const int64_t start = clamp_index(ctx.node().attr_int("start", 0));
    const int64_t end = clamp_index(ctx.node().attr_int("end", rank));
    Elements dims;
    for (int64_t i = start; i < end; ++i) dims.push_back(Element::from_dim((*x)[static_cast<size_t>(i)]));
    ctx.set_output(0, Shape{Dim::of(static_cast<int64_t>(dims.size()))}, DType::Int64);
    ctx.set_output_values(0, std::move(dims));
}

void size_rule(RuleContext& ctx) {
    ctx.set_output(0, Shape{}, DType::Int64);
    if (const auto& x = ctx.input_shape(0))
        ctx.set_output_values(0, {Element::from_dim(dims_product(*x, 0, x->size()))});
}

void constant_rule(RuleContext& ctx) {
    const Node& node = ctx.node();
    if (const Attribute* a = node.attribute("value"); a && a->tensor) {
        Shape shape;
        for (int64_t d : a->tensor->dims) shape.push_back(d >= 0 ? Dim::of(d) : unknown_dim());
        ctx.set_output(0, std::move(shape), a->tensor->dtype);
        if (auto values = small_contents(*a->tensor)) ctx.set_output_values(0, std::move(*values));
        return;
    }
    // The scalar and list forms of opset 12+.
    const auto list_shape = [](size_t n) { return Shape{Dim::of(static_cast<int64_t>(n))}; };
    if (const Attribute* a = node.attribute("value_int")) {
        ctx.set_output(0, Shape{}, DType::Int64);
        ctx.set_output_values(0, {Element::of(a->i)});
    } else if (const Attribute* a = node.attribute("value_ints")) {
        ctx.set_output(0, list_shape(a->ints.size()), DType::Int64);
        Elements values;
        for (int64_t v : a->ints) values.push_back(Element::of(v));
        ctx.set_output_values(0, std::move(values));
    } else if (const Attribute* a = node.attribute("value_float")) {
        ctx.set_output(0, Shape{}, DType::Float32);
        ctx.set_output_values(0, {Element::of_real(static_cast<float>(a->f))});
    } else if (const Attribute* a = node.attribute("value_floats")) {
        ctx.set_output(0, list_shape(a->floats.size()), DType::Float32);
        Elements values;
        for (double v : a->floats) values.push_back(Element::of_real(static_cast<float>(v)));
        ctx.set_output_values(0, std::move(values));
    } else if (node.attribute("value_string")) {
        ctx.set_output(0, Shape{}, DType::String);
    } else if (const Attribute* a = node.attribute("value_strings")) {
        ctx.set_output(0, list_shape(a->strings.size()), DType::String);
    }
}

void constant_of_shape_rule(RuleContext& ctx) {
    const Attribute* value = ctx.node().attribute("value");
    const DType dtype = value && value->tensor ? value->tensor->dtype : DType::Float32;
    auto shape = shape_from_input(ctx, 0);
    // A fill of a small shape makes contents (torch's F.pad pads, LayerNorm's reduced shape);
    // without a value the fill is a float 0.
    const auto fill = value && value->tensor ? small_contents(*value->tensor) : std::optional(Elements{Element::of_real(0)});
    // value_or keeps GCC 12's -Wmaybe-uninitialized quiet about a nested optional.
    const uint64_t count = shape ? element_count(*shape).value_or(UINT64_MAX) : UINT64_MAX;
    if (fill && fill->size() == 1 && count <= kMaxValueElements)
        ctx.set_output_values(0, Elements(count, fill->front()));
    ctx.set_output(0, std::move(shape), dtype);
}

// Number of elements of Range(start, limit, delta): max(ceil((limit - start) / delta), 0).
std::optional<int64_t> range_length(const RuleContext& ctx) {
    const auto start = ctx.input_numbers(0), limit = ctx.input_numbers(1), delta = ctx.input_numbers(2);
    if (!start || !limit || !delta || start->size() != 1 || limit->size() != 1 || delta->size() != 1)
        return std::nullopt;
    if ((*delta)[0] == 0) ctx.fail("delta is 0");
    const auto ints = ctx.input_ints(0), int_limit = ctx.input_ints(1), int_delta = ctx.input_ints(2);
    if (ints && int_limit && int_delta) {
        // Exact for integers, which doubles are not beyond 2^53.
        const int64_t step = (*int_delta)[0];
        const int64_t span = checked_sub((*int_limit)[0], (*ints)[0]);
        if (step == std::numeric_limits<int64_t>::min() || span == std::numeric_limits<int64_t>::min())
            return std::nullopt;
        return std::max<int64_t>(0, step > 0 ? ceil_div(span, step) : ceil_div(-span, -step));
    }
    const double n = std::ceil(((*limit)[0] - (*start)[0]) / (*delta)[0]);
    return n <= 0 ? 0 : size_from_double(n);
}

// A Range of more than kMaxValueElements gets its shape but no contents: never allocated.
void range_rule(RuleContext& ctx) {
    const auto length = range_length(ctx);
    ctx.set_output(0, Shape{length ? Dim::of(*length) : unknown_dim()}, ctx.input_dtype(0));
    if (!length || static_cast<uint64_t>(*length) > kMaxValueElements) return;
    Elements values;
    if (const auto start = ctx.input_ints(0), delta = ctx.input_ints(2); start && delta) {
        // |i * delta| <= |limit - start| + |delta| fits int64 because the length was computed.
        for (int64_t i = 0; i < *length; ++i) values.push_back(Element::of((*start)[0] + i * (*delta)[0]));
    } else if (const auto real_start = ctx.input_numbers(0), real_delta = ctx.input_numbers(2); real_start && real_delta) {
        for (int64_t i = 0; i < *length; ++i)
            values.push_back(Element::of_real((*real_start)[0] + static_cast<double>(i) * (*real_delta)[0]));
    } else {
        return;
    }
    ctx.set_output_values(0, std::move(values));
}

void non_zero_rule(RuleContext& ctx) {
    const auto& x = ctx.input_shape(0);
    const Dim rank = x ? Dim::of(static_cast<int64_t>(x->size())) : unknown_dim();
    ctx.set_output(0, Shape{rank, unknown_dim()}, DType::Int64);
}

// EyeLike, RandomNormalLike, RandomUniformLike, Bernoulli: the input's shape, dtype by attribute.
void like_rule(RuleContext& ctx) {
    same_as_input(ctx, 0, 0, dtype_attribute(ctx, "dtype", DType::Undefined));
}

void random_rule(RuleContext& ctx) {
    Shape shape;
    for (int64_t d : ctx.node().attr_ints("shape")) shape.push_back(d >= 0 ? Dim::of(d) : unknown_dim());
    ctx.set_output(0, std::move(shape), dtype_attribute(ctx, "dtype", DType::Float32));
}

}  // namespace

void add_generator_rules(RuleTable& t) {
    add_rule(t, {"Shape"}, shape_rule, true);
    add_rule(t, {"Size"}, size_rule, true);
    add_rule(t, {"Constant"}, constant_rule, true);
    add_rule(t, {"ConstantOfShape"}, constant_of_shape_rule, true);
    add_rule(t, {"Range"}, range_rule, true);
    add_rule(t, {"NonZero"}, non_zero_rule);
    add_rule(t, {"EyeLike", "RandomNormalLike", "RandomUniformLike", "Bernoulli"}, like_rule);
    add_rule(t, {"RandomNormal", "RandomUniform"}, random_rule);
}

}  // namespace winglet::shapes
