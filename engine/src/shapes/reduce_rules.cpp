// Reductions over axes: Reduce*, ArgMax/ArgMin, TopK.
#include "shapes/rules.hpp"

namespace winglet::shapes {
namespace {

// `x` with the `reduced` axes set to 1 (keepdims) or removed.
Shape reduce_shape(const Shape& x, const std::vector<size_t>& reduced, bool keepdims) {
    std::vector<bool> is_reduced(x.size(), false);
    for (size_t axis : reduced) is_reduced[axis] = true;
    Shape out;
    for (size_t i = 0; i < x.size(); ++i) {
        if (!is_reduced[i]) out.push_back(x[i]);
        else if (keepdims) out.push_back(Dim::of(1));
    }
    return out;
}

// Axes from the attribute or, from opset 18 (ReduceSum: 13), the second input. No axes reduces
// everything, unless noop_with_empty_axes makes it an identity.
void reduce_rule(RuleContext& ctx) {
    const auto& x = ctx.input_shape(0);
    const DType dtype = ctx.input_dtype(0);
    const bool keepdims = ctx.node().attr_int("keepdims", 1) != 0;
    const auto axes = ctx.ints_from_attr_or_input("axes", 1);
    if (!x) return ctx.set_output(0, std::nullopt, dtype);
    if (!axes) {
        // Which axes go is unknown; with keepdims at least the rank stays.
        return ctx.set_output(0, keepdims ? std::optional<Shape>(Shape(x->size(), unknown_dim())) : std::nullopt, dtype);
    }
    std::vector<size_t> reduced;
    if (axes->empty()) {
        if (ctx.node().attr_int("noop_with_empty_axes", 0) != 0) return ctx.set_output(0, x, dtype);
        for (size_t i = 0; i < x->size(); ++i) reduced.push_back(i);
    } else {
        reduced = normalize_axes(*axes, x->size());
    }
    ctx.set_output(0, reduce_shape(*x, reduced, keepdims), dtype);
}

void arg_reduce_rule(RuleContext& ctx) {
    const auto& x = ctx.input_shape(0);
    std::optional<Shape> out;
    if (x) {
        const size_t axis = normalize_axis(ctx.node().attr_int("axis", 0), x->size());
        out = reduce_shape(*x, {axis}, ctx.node().attr_int("keepdims", 1) != 0);
    }
    ctx.set_output(0, std::move(out), DType::Int64);
}

// K from the second input (opset 10+) or the attribute.
void top_k_rule(RuleContext& ctx) {
    const auto& x = ctx.input_shape(0);
    std::optional<Shape> out;
    if (x) {
        const size_t axis = normalize_axis(ctx.node().attr_int("axis", -1), x->size());
        out = *x;
        std::optional<int64_t> k;
        if (ctx.has_input(1)) {
            if (const auto given = ctx.input_ints(1); given && given->size() == 1) k = (*given)[0];
        } else if (ctx.node().attribute("k")) {
            k = ctx.node().attr_int("k", 0);
        }
        if (k && (*k < 0 || ((*x)[axis].known() && *k > (*x)[axis].value)))
            ctx.fail("k = " + std::to_string(*k) + " does not fit axis " + std::to_string(axis) + " of " + shape_to_string(x));
        (*out)[axis] = k ? Dim::of(*k) : unknown_dim();
    }
    ctx.set_output(0, out, ctx.input_dtype(0));
    ctx.set_output(1, std::move(out), DType::Int64);
}

}  // namespace

void add_reduce_rules(RuleTable& t) {
    add_rule(t, {"ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
                 "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"},
             reduce_rule);
    add_rule(t, {"ArgMax", "ArgMin"}, arg_reduce_rule);
    add_rule(t, {"TopK"}, top_k_rule);
}

}  // namespace winglet::shapes
