// Ops that rearrange dims without reading data: Reshape, Flatten, Transpose, Squeeze, Unsqueeze,
// Expand, Tile.
#include "shapes/rules.hpp"

#include <algorithm>

namespace winglet::shapes {
namespace {

// The size Reshape's -1 stands for: the input's element count over the other output dims.
// Equal symbols on both sides cancel ([batch,12,64] -> [0,-1] gives 768 after batch cancels).
Dim reshape_wildcard(const Shape& in, const Shape& out, size_t wildcard) {
    std::vector<std::string> in_symbols;
    int64_t in_known = 1;
    for (const Dim& d : in) {
        if (d.known()) {
            if (d.value == 0) return Dim::of(0);
            in_known = checked_mul(in_known, d.value);
        } else if (!d.symbol.empty()) {
            in_symbols.push_back(d.symbol);
        } else {
            return unknown_dim();
        }
    }
    int64_t out_known = 1;
    for (size_t j = 0; j < out.size(); ++j) {
        if (j == wildcard) continue;
        const Dim& d = out[j];
        if (d.known()) {
            out_known = checked_mul(out_known, d.value);
            continue;
        }
        auto it = std::find(in_symbols.begin(), in_symbols.end(), d.symbol);
        if (d.symbol.empty() || it == in_symbols.end()) return unknown_dim();
        in_symbols.erase(it);
    }
    if (out_known == 0) return unknown_dim();
    if (in_known % out_known != 0) {
        if (in_symbols.empty())
            throw ShapeError("cannot reshape " + shape_to_string(in) + " to " + shape_to_string(out) +
                             ": " + std::to_string(in_known) + " elements do not divide into " + std::to_string(out_known));
        return unknown_dim();
    }
    const int64_t quotient = in_known / out_known;
    if (in_symbols.empty()) return Dim::of(quotient);
    if (in_symbols.size() == 1 && quotient == 1) return Dim::named(in_symbols[0]);
    return unknown_dim();
}

void reshape_rule(RuleContext& ctx) {
    forward_values(ctx);
    const DType dtype = ctx.input_dtype(0);
    const auto& x = ctx.input_shape(0);
    const auto target = ctx.input_values(1);
    if (!target) {
        const auto rank = length_of_1d_input(ctx, 1);
        return ctx.set_output(0, rank ? std::optional<Shape>(Shape(*rank, unknown_dim())) : std::nullopt, dtype);
    }
    const bool allow_zero = ctx.node().attr_int("allowzero", 0) != 0;
    Shape out;
    std::optional<size_t> wildcard;
    for (size_t i = 0; i < target->size(); ++i) {
        const Element& v = (*target)[i];
        if (!v.value) {
            out.push_back(v.to_dim());
        } else if (*v.value == 0 && !allow_zero) {
            // 0 copies the input's dim at the same index.
            if (x && i >= x->size()) ctx.fail("shape entry " + std::to_string(i) + " is 0 but the input " + shape_to_string(x) + " has no such dim");
            out.push_back(x ? (*x)[i] : unknown_dim());
        } else if (*v.value == -1) {
            if (wildcard) ctx.fail("shape has more than one -1");
            wildcard = i;
            out.push_back(unknown_dim());
        } else if (*v.value < -1) {
            ctx.fail("shape holds the invalid size " + std::to_string(*v.value));
        } else {
            out.push_back(Dim::of(*v.value));
        }
    }
    if (x && wildcard) {
        out[*wildcard] = reshape_wildcard(*x, out, *wildcard);
    } else if (x) {
        const auto in_count = element_count(*x);
        const auto out_count = element_count(out);
        if (in_count && out_count && *in_count != *out_count)
            ctx.fail("cannot reshape " + shape_to_string(x) + " (" + std::to_string(*in_count) + " elements) to " +
                     shape_to_string(out) + " (" + std::to_string(*out_count) + ")");
    }
    ctx.set_output(0, std::move(out), dtype);
}

void flatten_rule(RuleContext& ctx) {
    const auto& x = ctx.input_shape(0);
    std::optional<Shape> out;
    if (x) {
        // Unlike most axes, Flatten's may equal the rank: [d0..dn] -> [d0*..*dn, 1].
        const auto rank = static_cast<int64_t>(x->size());
        int64_t axis = ctx.node().attr_int("axis", 1);
        if (axis < -rank || axis > rank) ctx.fail("axis " + std::to_string(axis) + " is out of range for " + shape_to_string(x));
        const auto split = static_cast<size_t>(axis < 0 ? axis + rank : axis);
        out = Shape{dims_product(*x, 0, split), dims_product(*x, split, x->size())};
    }
    ctx.set_output(0, std::move(out), ctx.input_dtype(0));
}

void transpose_rule(RuleContext& ctx) {
    const auto& x = ctx.input_shape(0);
    std::optional<Shape> out;
    if (x) {
        std::vector<int64_t> perm = ctx.node().attr_ints("perm");
        if (perm.empty())
            for (size_t i = x->size(); i-- > 0;) perm.push_back(static_cast<int64_t>(i));
        if (perm.size() != x->size()) ctx.fail("perm has " + std::to_string(perm.size()) + " entries for " + shape_to_string(x));
        const std::vector<size_t> axes = normalize_axes(perm, x->size());
        out.emplace();
        for (size_t axis : axes) out->push_back((*x)[axis]);
        // Contents of a small shape tensor, as in torch's F.pad pattern.
        remap_values(ctx, *x, *out, [&](const std::vector<int64_t>& index, const std::vector<int64_t>& strides) {
            int64_t from = 0;
            for (size_t k = 0; k < index.size(); ++k) from += index[k] * strides[axes[k]];
            return from;
        });
    }
    ctx.set_output(0, std::move(out), ctx.input_dtype(0));
}

// Axes from the attribute (before opset 13) or the second input (13 and later).
void squeeze_rule(RuleContext& ctx) {
    forward_values(ctx);
    const auto& x = ctx.input_shape(0);
    const auto axes = ctx.ints_from_attr_or_input("axes", 1);
    std::optional<Shape> out;
    if (x && axes) {
        std::vector<bool> drop(x->size(), false);
        if (axes->empty()) {
            // No axes: every dim of size 1 goes, which needs every dim known.
            for (size_t i = 0; i < x->size(); ++i) {
                if (!(*x)[i].known()) return ctx.set_output(0, std::nullopt, ctx.input_dtype(0));
                drop[i] = (*x)[i].value == 1;
            }
        }
        for (size_t axis : normalize_axes(*axes, x->size())) {
            if ((*x)[axis].known() && (*x)[axis].value != 1)
                ctx.fail("cannot squeeze axis " + std::to_string(axis) + " of " + shape_to_string(x) + ": its size is not 1");
            drop[axis] = true;
        }
        out.emplace();
        for (size_t i = 0; i < x->size(); ++i)
            if (!drop[i]) out->push_back((*x)[i]);
    }
    ctx.set_output(0, std::move(out), ctx.input_dtype(0));
}

void unsqueeze_rule(RuleContext& ctx) {
    forward_values(ctx);
    const auto& x = ctx.input_shape(0);
    const auto axes = ctx.ints_from_attr_or_input("axes", 1);
    std::optional<Shape> out;
    if (x && axes) {
        if (axes->empty()) ctx.fail("axes is missing");
        // Axes index the output, whose rank counts the new dims.
        const size_t rank = x->size() + axes->size();
        std::vector<bool> inserted(rank, false);
        for (size_t axis : normalize_axes(*axes, rank)) inserted[axis] = true;
        out.emplace();
        size_t next = 0;
        for (size_t i = 0; i < rank; ++i) out->push_back(inserted[i] ? Dim::of(1) : (*x)[next++]);
    }
    ctx.set_output(0, std::move(out), ctx.input_dtype(0));
}

void expand_rule(RuleContext& ctx) {
    const auto& x = ctx.input_shape(0);
    const auto target = shape_from_input(ctx, 1);
    std::optional<Shape> out;
    if (x && target) out = broadcast_shapes(*x, *target);
    ctx.set_output(0, std::move(out), ctx.input_dtype(0));
}

void tile_rule(RuleContext& ctx) {
    const auto& x = ctx.input_shape(0);
    std::optional<Shape> out;
    if (x) {
        out = Shape(x->size(), unknown_dim());
        if (const auto repeats = ctx.input_ints(1)) {
            if (repeats->size() != x->size())
                ctx.fail("repeats has " + std::to_string(repeats->size()) + " entries for " + shape_to_string(x));
            for (size_t i = 0; i < x->size(); ++i) {
                const Dim& d = (*x)[i];
                const int64_t r = (*repeats)[i];
                if (r < 0) ctx.fail("repeats holds the negative count " + std::to_string(r));
                if (r == 1) (*out)[i] = d;
                else if (d.known()) (*out)[i] = Dim::of(checked_mul(d.value, r));
            }
        }
    }
    ctx.set_output(0, std::move(out), ctx.input_dtype(0));
}

}  // namespace

void add_reshape_rules(RuleTable& t) {
    add_rule(t, {"Reshape"}, reshape_rule, true);
    add_rule(t, {"Flatten"}, flatten_rule);
    add_rule(t, {"Transpose"}, transpose_rule, true);
    add_rule(t, {"Squeeze"}, squeeze_rule, true);
    add_rule(t, {"Unsqueeze"}, unsqueeze_rule, true);
    add_rule(t, {"Expand"}, expand_rule);
    add_rule(t, {"Tile"}, tile_rule);
}

}  // namespace winglet::shapes
