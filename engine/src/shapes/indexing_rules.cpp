// Ops that select or join parts of tensors: Concat, Split, Slice, Gather (and the Elements/ND
// forms), Pad. Slice also carries the contents of small shape tensors (the others' are evaluated
// in value_rules.cpp).
#include "shapes/rules.hpp"

#include <limits>

namespace winglet::shapes {
namespace {

void concat_rule(RuleContext& ctx) {
    const int64_t axis_attr = ctx.node().attr_int("axis", 0);
    std::optional<Shape> out;
    std::optional<size_t> axis;
    bool all_ranks_known = true;
    for (size_t i = 0; i < ctx.input_count(); ++i) {
        if (!ctx.has_input(i)) continue;
        const auto& shape = ctx.input_shape(i);
        if (!shape) {
            all_ranks_known = false;
            continue;
        }
        if (!out) {
            axis = normalize_axis(axis_attr, shape->size());
            out = shape;
            continue;
        }
        if (shape->size() != out->size())
            ctx.fail("inputs " + shape_to_string(out) + " and " + shape_to_string(shape) + " differ in rank");
        for (size_t d = 0; d < out->size(); ++d) {
            Dim& o = (*out)[d];
            const Dim& s = (*shape)[d];
            if (d != *axis) o = unify_dims(o, s, "dim " + std::to_string(d) + " of the inputs");
            else o = o.known() && s.known() ? Dim::of(checked_add(o.value, s.value)) : unknown_dim();
        }
    }
    if (out && !all_ranks_known) (*out)[*axis] = unknown_dim();
    ctx.set_output(0, std::move(out), ctx.input_dtype(0));
}

// Sizes of the pieces of a dim of size `dim`: given ones, or n equal ones (the last one smaller
// when they do not divide evenly, as opset 18 allows).
std::vector<Dim> split_sizes(const RuleContext& ctx, const Dim& dim, const std::optional<std::vector<int64_t>>& given, size_t n) {
    std::vector<Dim> sizes(n, unknown_dim());
    if (!given) return sizes;
    if (!given->empty()) {
        if (given->size() != n)
            ctx.fail("split has " + std::to_string(given->size()) + " sizes for " + std::to_string(n) + " outputs");
        int64_t total = 0;
        for (size_t k = 0; k < n; ++k) {
            if ((*given)[k] < 0) ctx.fail("split holds the negative size " + std::to_string((*given)[k]));
            sizes[k] = Dim::of((*given)[k]);
            total = checked_add(total, (*given)[k]);
        }
        if (dim.known() && total != dim.value)
            ctx.fail("split sizes add up to " + std::to_string(total) + ", the axis has " + std::to_string(dim.value));
        return sizes;
    }
    if (!dim.known() || n == 0) return sizes;
    const int64_t chunk = ceil_div(dim.value, static_cast<int64_t>(n));
    const int64_t last = dim.value - checked_mul(chunk, static_cast<int64_t>(n - 1));
    if (last <= 0 && dim.value > 0)
        ctx.fail("cannot split " + std::to_string(dim.value) + " into " + std::to_string(n) + " parts");
    for (size_t k = 0; k < n; ++k) sizes[k] = Dim::of(k + 1 < n ? chunk : last);
    return sizes;
}

// Sizes from the second input (opset 13+) or the attribute (older).
void split_rule(RuleContext& ctx) {
    const auto& x = ctx.input_shape(0);
    const size_t n = ctx.output_count();
    if (!x) {
        for (size_t k = 0; k < n; ++k) ctx.set_output(k, std::nullopt, ctx.input_dtype(0));
        return;
    }
    const size_t axis = normalize_axis(ctx.node().attr_int("axis", 0), x->size());
    const auto sizes = split_sizes(ctx, (*x)[axis], ctx.ints_from_attr_or_input("split", 1), n);
    for (size_t k = 0; k < n; ++k) {
        Shape piece = *x;
        piece[axis] = sizes[k];
        ctx.set_output(k, std::move(piece), ctx.input_dtype(0));
    }
}

// Slice's arguments: attributes before opset 10, inputs from 10 on. nullopt when not known.
struct SliceArgs {
    std::vector<int64_t> starts, ends, axes, steps;
};

std::optional<SliceArgs> slice_args(const RuleContext& ctx, size_t rank) {
    SliceArgs a;
    const bool from_attributes = ctx.node().attribute("starts") != nullptr;
    auto read = [&](const char* attr, size_t input, std::vector<int64_t>& into) {
        auto v = from_attributes ? std::optional(ctx.node().attr_ints(attr))
                                 : ctx.has_input(input) ? ctx.input_ints(input) : std::optional(std::vector<int64_t>{});
        if (v) into = std::move(*v);
        return v.has_value();
    };
    if (!read("starts", 1, a.starts) || !read("ends", 2, a.ends) || !read("axes", 3, a.axes) ||
        (!from_attributes && !read("steps", 4, a.steps)))
        return std::nullopt;
    const size_t n = a.starts.size();
    if (a.axes.empty())
        for (size_t i = 0; i < n; ++i) a.axes.push_back(static_cast<int64_t>(i));
    if (a.steps.empty()) a.steps.assign(n, 1);
    if (a.ends.size() != n || a.axes.size() != n || a.steps.size() != n)
        ctx.fail("starts, ends, axes and steps differ in length");
    normalize_axes(a.axes, rank);   // validates range and duplicates
    return a;
}

// A slice that provably keeps a whole axis of unknown size (x[0:], x[::-1]).
bool takes_whole_axis(int64_t start, int64_t end, int64_t step) {
    constexpr int64_t kBig = std::numeric_limits<int32_t>::max();   // exporters write INT32/64_MAX
    if (step == 1) return start == 0 && end >= kBig;
    if (step == -1) return (start == -1 || start >= kBig) && end <= -kBig;
    return false;
}

void slice_rule(RuleContext& ctx) {
    const auto& x = ctx.input_shape(0);
    const DType dtype = ctx.input_dtype(0);
    if (!x) return ctx.set_output(0, std::nullopt, dtype);
    const auto args = slice_args(ctx, x->size());
    if (!args) return ctx.set_output(0, Shape(x->size(), unknown_dim()), dtype);
    Shape out = *x;
    // Per axis, the first index taken and the step, for slicing the contents of a small tensor.
    std::vector<int64_t> first(x->size(), 0), step(x->size(), 1);
    for (size_t k = 0; k < args->starts.size(); ++k) {
        const size_t axis = normalize_axis(args->axes[k], x->size());
        const Dim& d = (*x)[axis];
        if (d.known()) {
            const SliceRange r = slice_range(d.value, args->starts[k], args->ends[k], args->steps[k]);
            out[axis] = Dim::of(r.count);
            first[axis] = r.first;
            step[axis] = args->steps[k];
        } else if (!takes_whole_axis(args->starts[k], args->ends[k], args->steps[k])) {
            out[axis] = unknown_dim();
        }
    }
    // torch's F.pad reverses its pads with a negative-step Slice of a [n, 2] shape tensor.
    remap_values(ctx, *x, out, [&](const std::vector<int64_t>& index, const std::vector<int64_t>& strides) {
        int64_t from = 0;
        for (size_t a = 0; a < index.size(); ++a) from += (first[a] + index[a] * step[a]) * strides[a];
        return from;
    });
    ctx.set_output(0, std::move(out), dtype);
}

void gather_rule(RuleContext& ctx) {
    const auto& data = ctx.input_shape(0);
    const auto& indices = ctx.input_shape(1);
    const DType dtype = ctx.input_dtype(0);
    if (!data || !indices) return ctx.set_output(0, std::nullopt, dtype);
    if (data->empty()) ctx.fail("data is a scalar");
    const size_t axis = normalize_axis(ctx.node().attr_int("axis", 0), data->size());
    const Dim& extent = (*data)[axis];
    const auto index_values = ctx.input_ints(1);
    if (index_values && extent.known())
        for (int64_t i : *index_values)
            if (i < -extent.value || i >= extent.value)
                ctx.fail("index " + std::to_string(i) + " is out of range for an axis of " + std::to_string(extent.value));
    Shape out(data->begin(), data->begin() + static_cast<std::ptrdiff_t>(axis));
    out.insert(out.end(), indices->begin(), indices->end());
    out.insert(out.end(), data->begin() + static_cast<std::ptrdiff_t>(axis) + 1, data->end());
    ctx.set_output(0, std::move(out), dtype);
}

void gather_nd_rule(RuleContext& ctx) {
    const auto& data = ctx.input_shape(0);
    const auto& indices = ctx.input_shape(1);
    std::optional<Shape> out;
    if (data && indices && !indices->empty() && indices->back().known()) {
        // indices[:-1] + data[batch_dims + indices[-1]:]
        const int64_t batch_dims = ctx.node().attr_int("batch_dims", 0);
        if (batch_dims < 0) ctx.fail("batch_dims must be >= 0");
        const int64_t tail = checked_add(batch_dims, indices->back().value);
        if (tail > static_cast<int64_t>(data->size())) ctx.fail("indices " + shape_to_string(indices) + " index past the rank of " + shape_to_string(data));
        out = Shape(indices->begin(), indices->end() - 1);
        out->insert(out->end(), data->begin() + static_cast<std::ptrdiff_t>(tail), data->end());
    }
    ctx.set_output(0, std::move(out), ctx.input_dtype(0));
}

// Pads from the second input (opset 11+) or the attribute; opset 18 may name the padded axes.
void pad_rule(RuleContext& ctx) {
    const auto& x = ctx.input_shape(0);
    const DType dtype = ctx.input_dtype(0);
    if (!x) return ctx.set_output(0, std::nullopt, dtype);
    const auto pads = ctx.ints_from_attr_or_input("pads", 1);
    std::vector<size_t> axes;
    if (ctx.has_input(3)) {
        const auto given = ctx.input_ints(3);
        if (!given) return ctx.set_output(0, Shape(x->size(), unknown_dim()), dtype);
        axes = normalize_axes(*given, x->size());
    } else {
        for (size_t i = 0; i < x->size(); ++i) axes.push_back(i);
    }
    if (!pads) {
        Shape out = *x;
        for (size_t axis : axes) out[axis] = unknown_dim();
        return ctx.set_output(0, std::move(out), dtype);
    }
    if (pads->size() != 2 * axes.size())
        ctx.fail("pads has " + std::to_string(pads->size()) + " entries for " + std::to_string(axes.size()) + " axes");
    Shape out = *x;
    for (size_t k = 0; k < axes.size(); ++k) {
        const int64_t added = checked_add((*pads)[k], (*pads)[k + axes.size()]);
        Dim& d = out[axes[k]];
        if (!d.known()) {
            if (added != 0) d = unknown_dim();
            continue;
        }
        const int64_t size = checked_add(d.value, added);
        if (size < 0) ctx.fail("padding makes axis " + std::to_string(axes[k]) + " negative");
        d = Dim::of(size);
    }
    ctx.set_output(0, std::move(out), dtype);
}

// OneHot(indices, depth, values): indices' shape with depth inserted at `axis`.
void one_hot_rule(RuleContext& ctx) {
    const auto& indices = ctx.input_shape(0);
    std::optional<Shape> out;
    if (indices) {
        Dim inserted = unknown_dim();
        if (const auto depth = ctx.input_numbers(1); depth && depth->size() == 1) {
            inserted = Dim::of(size_from_double((*depth)[0]));
        }
        out = *indices;
        const size_t axis = normalize_axis(ctx.node().attr_int("axis", -1), indices->size() + 1);
        out->insert(out->begin() + static_cast<std::ptrdiff_t>(axis), inserted);
    }
    ctx.set_output(0, std::move(out), ctx.input_dtype(2));
}

}  // namespace

void add_indexing_rules(RuleTable& t) {
    add_rule(t, {"Concat"}, concat_rule);
    add_rule(t, {"Split"}, split_rule);
    add_rule(t, {"Slice"}, slice_rule, true);
    add_rule(t, {"Gather"}, gather_rule);
    add_rule(t, {"GatherElements"}, [](RuleContext& ctx) { ctx.set_output(0, ctx.input_shape(1), ctx.input_dtype(0)); });
    add_rule(t, {"GatherND"}, gather_nd_rule);
    add_rule(t, {"Pad"}, pad_rule);
    add_rule(t, {"OneHot"}, one_hot_rule);
    // One row [batch, class, box] per selected box; how many is only known at run time.
    add_rule(t, {"NonMaxSuppression"}, [](RuleContext& ctx) { ctx.set_output(0, Shape{unknown_dim(), Dim::of(3)}, DType::Int64); });
}

}  // namespace winglet::shapes
