// Ops over spatial windows: Conv, ConvTranspose, Max/Average/Lp pooling, global pooling, Resize,
// Upsample, DepthToSpace, SpaceToDepth. Layout is always [N, C, spatial...].
#include "shapes/rules.hpp"

#include <algorithm>
#include <cmath>

namespace winglet::shapes {
namespace {

// Kernel, strides, dilations and pads of a window op, one entry per spatial axis (pads: all
// begins, then all ends), checked against the number of spatial axes.
struct Window {
    std::vector<int64_t> kernel;   // empty when unknown (Conv whose weight shape is unknown)
    std::vector<int64_t> strides, dilations, pads;
    std::string auto_pad;
    bool ceil_mode = false;

    bool same_padding() const { return auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER"; }
    int64_t pad_begin(size_t i) const { return auto_pad == "VALID" ? 0 : pads[i]; }
    int64_t pad_end(size_t i) const { return auto_pad == "VALID" ? 0 : pads[strides.size() + i]; }
    int64_t effective_kernel(size_t i) const {
        return checked_add(checked_mul(kernel[i] - 1, dilations[i]), 1);
    }
};

std::vector<int64_t> attr_per_axis(const RuleContext& ctx, const char* name, size_t count, int64_t fallback) {
    std::vector<int64_t> v = ctx.node().attr_ints(name);
    if (v.empty()) return std::vector<int64_t>(count, fallback);
    if (v.size() != count)
        ctx.fail(std::string(name) + " has " + std::to_string(v.size()) + " entries, expected " + std::to_string(count));
    return v;
}

Window read_window(const RuleContext& ctx, size_t spatial, std::vector<int64_t> kernel) {
    Window w;
    w.kernel = std::move(kernel);
    if (!w.kernel.empty() && w.kernel.size() != spatial)
        ctx.fail("kernel has " + std::to_string(w.kernel.size()) + " dims for " + std::to_string(spatial) + " spatial axes");
    w.strides = attr_per_axis(ctx, "strides", spatial, 1);
    w.dilations = attr_per_axis(ctx, "dilations", spatial, 1);
    w.pads = attr_per_axis(ctx, "pads", 2 * spatial, 0);
    w.auto_pad = ctx.node().attr_string("auto_pad", "NOTSET");
    w.ceil_mode = ctx.node().attr_int("ceil_mode", 0) != 0;
    for (size_t i = 0; i < spatial; ++i)
        if (w.strides[i] < 1 || w.dilations[i] < 1 || (!w.kernel.empty() && w.kernel[i] < 1))
            ctx.fail("kernel, strides and dilations must be >= 1");
    for (int64_t p : w.pads)
        if (p < 0) ctx.fail("pads must be >= 0");
    return w;
}

// Output size of spatial axis i of a Conv or pooling op.
Dim window_output(const Window& w, size_t i, const Dim& in) {
    if (w.kernel.empty()) return unknown_dim();
    const int64_t stride = w.strides[i];
    const int64_t kernel = w.effective_kernel(i);
    if (!in.known()) {
        // A stride-1 window padded by kernel-1 in total keeps the size, even a symbolic one.
        const bool keeps_size = stride == 1 && (w.same_padding() || checked_add(w.pad_begin(i), w.pad_end(i)) == kernel - 1);
        return keeps_size ? in : unknown_dim();
    }
    if (w.same_padding()) return Dim::of(ceil_div(in.value, stride));
    const int64_t padded = checked_add(checked_add(in.value, w.pad_begin(i)), w.pad_end(i));
    if (padded < kernel)
        throw ShapeError("window of " + std::to_string(kernel) + " is larger than the padded input " +
                         std::to_string(padded) + " on spatial axis " + std::to_string(i));
    const int64_t span = padded - kernel;
    int64_t out = (w.ceil_mode ? ceil_div(span, stride) : span / stride) + 1;
    // ceil_mode never starts a window inside the end padding (PyTorch; ONNX >= 1.16).
    if (w.ceil_mode && checked_mul(out - 1, stride) >= in.value + w.pad_begin(i)) --out;
    return Dim::of(out);
}

// Shape of the [N, C, spatial...] input; nullptr when unknown; fails below rank 3.
const Shape* batch_channel_input(const RuleContext& ctx) {
    const auto& x = ctx.input_shape(0);
    if (!x) return nullptr;
    if (x->size() < 3) ctx.fail("input " + shape_to_string(x) + " has no spatial axes (rank < 3)");
    return &*x;
}

// Spatial kernel dims from the attribute, else from the weight's shape [.., .., k...].
std::vector<int64_t> conv_kernel(const RuleContext& ctx, const std::optional<Shape>& weight) {
    std::vector<int64_t> kernel = ctx.node().attr_ints("kernel_shape");
    if (!kernel.empty() || !weight) return kernel;
    for (size_t i = 2; i < weight->size(); ++i) {
        if (!(*weight)[i].known()) return {};
        kernel.push_back((*weight)[i].value);
    }
    return kernel;
}

// What Conv and ConvTranspose share: X [N, C, spatial...], a weight of the same rank, the group
// count and the window.
struct ConvOperands {
    const Shape& x;
    const std::optional<Shape>& weight;
    int64_t group;
    Window window;
    size_t spatial() const { return x.size() - 2; }
};

std::optional<ConvOperands> conv_operands(const RuleContext& ctx, size_t weight_input) {
    const Shape* x = batch_channel_input(ctx);
    if (!x) return std::nullopt;
    const auto& weight = ctx.input_shape(weight_input);
    if (weight && weight->size() != x->size())
        ctx.fail("weight " + shape_to_string(weight) + " and input " + shape_to_string(*x) + " differ in rank");
    const int64_t group = ctx.node().attr_int("group", 1);
    if (group < 1) ctx.fail("group must be >= 1");
    return ConvOperands{*x, weight, group, read_window(ctx, x->size() - 2, conv_kernel(ctx, weight))};
}

// Conv, ConvInteger and QLinearConv differ only in where the weight is and the output type.
void conv_rule(RuleContext& ctx, size_t weight_input, DType dtype) {
    const auto conv = conv_operands(ctx, weight_input);
    if (!conv) return ctx.set_output(0, std::nullopt, dtype);
    const Shape& x = conv->x;
    Dim out_channels = unknown_dim();
    if (const auto& weight = conv->weight) {
        // W is [M, C/group, k...].
        const Dim& per_group = (*weight)[1];
        if (per_group.known()) unify_dims(x[1], Dim::of(checked_mul(per_group.value, conv->group)), "input channels");
        out_channels = (*weight)[0];
    }
    Shape out{x[0], out_channels};
    for (size_t i = 0; i < conv->spatial(); ++i) out.push_back(window_output(conv->window, i, x[2 + i]));
    ctx.set_output(0, std::move(out), dtype);
}

void conv_transpose_rule(RuleContext& ctx) {
    const DType dtype = ctx.input_dtype(0);
    const auto conv = conv_operands(ctx, 1);
    if (!conv) return ctx.set_output(0, std::nullopt, dtype);
    const Shape& x = conv->x;
    const Window& w = conv->window;
    const size_t spatial = conv->spatial();
    Dim out_channels = unknown_dim();
    if (const auto& weight = conv->weight) {
        // W is [C, M/group, k...].
        unify_dims(x[1], (*weight)[0], "input channels");
        if ((*weight)[1].known()) out_channels = Dim::of(checked_mul((*weight)[1].value, conv->group));
    }
    const std::vector<int64_t> output_padding = attr_per_axis(ctx, "output_padding", spatial, 0);
    for (int64_t p : output_padding)
        if (p < 0) ctx.fail("output_padding must be >= 0");
    // output_shape lists the spatial sizes (some exporters prefix N and C).
    const std::vector<int64_t> output_shape = ctx.node().attr_ints("output_shape");
    if (!output_shape.empty() && output_shape.size() < spatial) ctx.fail("output_shape has too few entries");
    Shape out{x[0], out_channels};
    for (size_t i = 0; i < spatial; ++i) {
        const Dim& in = x[2 + i];
        if (!output_shape.empty()) {
            out.push_back(Dim::of(output_shape[output_shape.size() - spatial + i]));
        } else if (w.kernel.empty() || !in.known()) {
            out.push_back(unknown_dim());
        } else if (w.same_padding()) {
            out.push_back(Dim::of(checked_mul(in.value, w.strides[i])));
        } else {
            // stride * (in - 1) + output_padding + effective kernel - pads
            int64_t size = checked_mul(w.strides[i], in.value - 1);
            size = checked_add(checked_add(size, output_padding[i]), w.effective_kernel(i));
            size = checked_sub(size, checked_add(w.pad_begin(i), w.pad_end(i)));
            if (size < 0) ctx.fail("output size on spatial axis " + std::to_string(i) + " is negative");
            out.push_back(Dim::of(size));
        }
    }
    ctx.set_output(0, std::move(out), dtype);
}

void pool_rule(RuleContext& ctx) {
    const Shape* x = batch_channel_input(ctx);
    if (!x) {
        ctx.set_output(0, std::nullopt, ctx.input_dtype(0));
        return ctx.set_output(1, std::nullopt, DType::Int64);
    }
    const std::vector<int64_t> kernel = ctx.node().attr_ints("kernel_shape");
    if (kernel.empty()) ctx.fail("kernel_shape is missing");
    const size_t spatial = x->size() - 2;
    const Window w = read_window(ctx, spatial, kernel);
    Shape out{(*x)[0], (*x)[1]};
    for (size_t i = 0; i < spatial; ++i) out.push_back(window_output(w, i, (*x)[2 + i]));
    ctx.set_output(0, out, ctx.input_dtype(0));
    ctx.set_output(1, std::move(out), DType::Int64);   // MaxPool's Indices
}

void global_pool_rule(RuleContext& ctx) {
    const Shape* x = batch_channel_input(ctx);
    std::optional<Shape> out;
    if (x) {
        out = Shape(x->size(), Dim::of(1));
        (*out)[0] = (*x)[0];
        (*out)[1] = (*x)[1];
    }
    ctx.set_output(0, std::move(out), ctx.input_dtype(0));
}

// Resize (opset 10: X, scales; 11+: X, roi, scales, sizes; 18: axes, keep_aspect_ratio_policy)
// and Upsample (scales as input, or attribute before opset 9).
void resize_rule(RuleContext& ctx) {
    const auto& x = ctx.input_shape(0);
    const DType dtype = ctx.input_dtype(0);
    if (!x) return ctx.set_output(0, std::nullopt, dtype);
    const std::vector<int64_t> axis_list = ctx.node().attr_ints("axes");
    std::vector<size_t> axes;
    if (axis_list.empty()) {
        for (size_t i = 0; i < x->size(); ++i) axes.push_back(i);
    } else {
        axes = normalize_axes(axis_list, x->size());
    }
    Shape out = *x;
    auto check_count = [&](size_t n, const char* what) {
        if (n != axes.size())
            ctx.fail(std::string(what) + " has " + std::to_string(n) + " entries for " + std::to_string(axes.size()) + " axes");
    };

    const size_t scales_input = ctx.input_count() >= 3 ? 2 : 1;
    std::optional<std::vector<int64_t>> sizes;
    if (ctx.input_count() >= 4) sizes = ctx.input_ints(3);
    std::optional<std::vector<double>> scales = ctx.input_numbers(scales_input);
    if (const Attribute* a = ctx.node().attribute("scales"); a && a->kind == Attribute::Kind::Floats) scales = a->floats;

    if (sizes && !sizes->empty()) {
        check_count(sizes->size(), "sizes");
        const std::string policy = ctx.node().attr_string("keep_aspect_ratio_policy", "stretch");
        if (policy == "stretch") {
            for (size_t k = 0; k < axes.size(); ++k) out[axes[k]] = Dim::of((*sizes)[k]);
        } else {
            // One scale for all axes: the largest that fits (not_larger) or the smallest that covers.
            std::optional<double> scale;
            for (size_t k = 0; k < axes.size(); ++k) {
                const Dim& in = (*x)[axes[k]];
                if (!in.known() || in.value == 0) return ctx.set_output(0, std::nullopt, dtype);
                const double s = static_cast<double>((*sizes)[k]) / static_cast<double>(in.value);
                scale = !scale ? s : policy == "not_larger" ? std::min(*scale, s) : std::max(*scale, s);
            }
            for (size_t axis : axes)
                out[axis] = Dim::of(size_from_double(std::round(*scale * static_cast<double>((*x)[axis].value))));
        }
    } else if (scales && !scales->empty()) {
        check_count(scales->size(), "scales");
        for (size_t k = 0; k < axes.size(); ++k) {
            const double scale = (*scales)[k];
            if (!(scale > 0)) ctx.fail("scale " + std::to_string(scale) + " is not positive");
            const Dim& in = (*x)[axes[k]];
            if (scale == 1.0) continue;
            out[axes[k]] = in.known() ? Dim::of(size_from_double(std::floor(static_cast<double>(in.value) * scale)))
                                      : unknown_dim();
        }
    } else {
        for (size_t axis : axes) out[axis] = unknown_dim();   // computed at run time
    }
    ctx.set_output(0, std::move(out), dtype);
}

// DepthToSpace moves channel blocks into space; SpaceToDepth is its inverse.
void depth_space_rule(RuleContext& ctx, bool to_space) {
    const auto& x = ctx.input_shape(0);
    const int64_t block = ctx.node().attr_int("blocksize", 0);
    if (block < 1) ctx.fail("blocksize must be >= 1");
    std::optional<Shape> out;
    if (x) {
        if (x->size() != 4) ctx.fail("input " + shape_to_string(x) + " is not 4-D");
        const int64_t area = checked_mul(block, block);
        auto scale = [&](const Dim& d, int64_t grow, int64_t shrink) {
            if (!d.known()) return unknown_dim();
            if (d.value % shrink != 0)
                throw ShapeError(std::to_string(d.value) + " is not divisible by " + std::to_string(shrink));
            return Dim::of(checked_mul(d.value / shrink, grow));
        };
        out = to_space ? Shape{(*x)[0], scale((*x)[1], 1, area), scale((*x)[2], block, 1), scale((*x)[3], block, 1)}
                       : Shape{(*x)[0], scale((*x)[1], area, 1), scale((*x)[2], 1, block), scale((*x)[3], 1, block)};
    }
    ctx.set_output(0, std::move(out), ctx.input_dtype(0));
}

// GridSample samples X [N, C, ...] at the points of grid [N, out..., rank]: [N, C, out...].
void grid_sample_rule(RuleContext& ctx) {
    const auto& x = ctx.input_shape(0);
    const auto& grid = ctx.input_shape(1);
    std::optional<Shape> out;
    if (x && grid && x->size() >= 2 && grid->size() >= 2) {
        out = Shape{unify_dims((*x)[0], (*grid)[0], "batch"), (*x)[1]};
        out->insert(out->end(), grid->begin() + 1, grid->end() - 1);
    }
    ctx.set_output(0, std::move(out), ctx.input_dtype(0));
}

}  // namespace

void add_spatial_rules(RuleTable& t) {
    add_rule(t, {"Conv"}, [](RuleContext& ctx) { conv_rule(ctx, 1, ctx.input_dtype(0)); });
    add_rule(t, {"ConvInteger"}, [](RuleContext& ctx) { conv_rule(ctx, 1, DType::Int32); });
    // QLinearConv(x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B)
    add_rule(t, {"QLinearConv"}, [](RuleContext& ctx) { conv_rule(ctx, 3, ctx.input_dtype(7)); });
    add_rule(t, {"ConvTranspose"}, conv_transpose_rule);
    add_rule(t, {"MaxPool", "AveragePool", "LpPool"}, pool_rule);
    add_rule(t, {"GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool"}, global_pool_rule);
    add_rule(t, {"Resize", "Upsample"}, resize_rule);
    add_rule(t, {"GridSample"}, grid_sample_rule);
    add_rule(t, {"DepthToSpace"}, [](RuleContext& ctx) { depth_space_rule(ctx, true); });
    add_rule(t, {"SpaceToDepth"}, [](RuleContext& ctx) { depth_space_rule(ctx, false); });
}

}  // namespace winglet::shapes
