// Evaluators: the contents of small tensors computed from known contents, so that shapes ONNX
// Runtime only learns at run time (a Reshape target built by arithmetic on Shape outputs, an If
// condition, a Range length, a Pad amount) are known here. Every evaluator reads inputs whose
// shapes and contents are fully known, checks the output's element count against
// kMaxValueElements before it allocates anything, and otherwise does nothing.
#include "shapes/element_math.hpp"
#include "shapes/rules.hpp"

#include <algorithm>
#include <numeric>

namespace winglet::shapes {
namespace {

// A tensor whose dims and contents are both known.
struct KnownTensor {
    std::vector<int64_t> dims;
    Elements data;
};

// Product of dims when it is at most kMaxValueElements; nullopt otherwise (or on overflow).
std::optional<size_t> small_count(const std::vector<int64_t>& dims) {
    uint64_t n = 1;
    for (int64_t d : dims) {
        if (d < 0 || __builtin_mul_overflow(n, static_cast<uint64_t>(d), &n)) return std::nullopt;
    }
    return n <= kMaxValueElements ? std::optional<size_t>(static_cast<size_t>(n)) : std::nullopt;
}

std::optional<KnownTensor> known_tensor(const RuleContext& ctx, size_t i) {
    const auto& shape = ctx.input_shape(i);
    if (!shape) return std::nullopt;
    auto dims = known_dims(*shape);
    if (!dims) return std::nullopt;
    const auto count = small_count(*dims);
    if (!count) return std::nullopt;
    auto data = ctx.input_values(i);
    if (!data || data->size() != *count) return std::nullopt;
    return KnownTensor{std::move(*dims), std::move(*data)};
}

// Elements of a float output are rounded to its precision (float32 arithmetic, as the runtime).
Element fit(const Element& e, DType dtype) {
    return e.real && dtype == DType::Float32 ? cast_element(e, dtype) : e;
}

// Calls `visit(out_index, in_offsets)` for every element of the numpy broadcast of `inputs`;
// false when the shapes do not broadcast or the result is too large.
template <typename Visit>
bool for_each_broadcast(const std::vector<const KnownTensor*>& inputs, std::vector<int64_t>& out_dims, Visit visit) {
    size_t rank = 0;
    for (const KnownTensor* t : inputs) rank = std::max(rank, t->dims.size());
    out_dims.assign(rank, 1);
    for (const KnownTensor* t : inputs)
        for (size_t k = 0; k < t->dims.size(); ++k) {
            int64_t& o = out_dims[rank - t->dims.size() + k];
            const int64_t d = t->dims[k];
            if (o == 1) o = d;
            else if (d != 1 && d != o) return false;
        }
    const auto count = small_count(out_dims);
    if (!count) return false;
    // Per input, the stride of each output axis (0 where the input broadcasts).
    std::vector<std::vector<int64_t>> strides;
    for (const KnownTensor* t : inputs) {
        std::vector<int64_t> s(rank, 0);
        const std::vector<int64_t> own = row_major_strides(t->dims);
        for (size_t k = 0; k < t->dims.size(); ++k)
            if (t->dims[k] != 1) s[rank - t->dims.size() + k] = own[k];
        strides.push_back(std::move(s));
    }
    std::vector<int64_t> index(rank, 0);
    std::vector<size_t> offsets(inputs.size(), 0);
    for (size_t n = 0; n < *count; ++n) {
        for (size_t j = 0; j < inputs.size(); ++j) {
            int64_t off = 0;
            for (size_t a = 0; a < rank; ++a) off += index[a] * strides[j][a];
            offsets[j] = static_cast<size_t>(off);
        }
        visit(n, offsets);
        for (size_t a = rank; a-- > 0;) {
            if (++index[a] < out_dims[a]) break;
            index[a] = 0;
        }
    }
    return true;
}

// Inputs [first, ctx.input_count()) combined element by element after broadcasting.
template <typename Combine>
void evaluate_broadcast(RuleContext& ctx, Combine combine, size_t first = 0) {
    std::vector<KnownTensor> tensors;
    for (size_t i = first; i < ctx.input_count(); ++i) {
        auto t = known_tensor(ctx, i);
        if (!t) return;
        tensors.push_back(std::move(*t));
    }
    if (tensors.empty()) return;
    std::vector<const KnownTensor*> inputs;
    for (const KnownTensor& t : tensors) inputs.push_back(&t);
    const DType dtype = ctx.output_dtype(0);
    std::vector<int64_t> out_dims;
    Elements out;
    std::vector<const Element*> args(inputs.size());
    const bool ok = for_each_broadcast(inputs, out_dims, [&](size_t, const std::vector<size_t>& offsets) {
        for (size_t j = 0; j < inputs.size(); ++j) args[j] = &inputs[j]->data[offsets[j]];
        out.push_back(fit(combine(args), dtype));
    });
    if (ok) ctx.set_output_values(0, std::move(out));
}

void evaluate_binary(RuleContext& ctx, BinaryOp op) {
    if (op == BinaryOp::Mod && ctx.node().attr_int("fmod", 0) != 0) op = BinaryOp::FMod;
    evaluate_broadcast(ctx, [op](const std::vector<const Element*>& a) { return apply(op, *a[0], *a[1]); });
}

// Sum, Min, Max (and Mean) of any number of inputs.
void evaluate_variadic(RuleContext& ctx, BinaryOp op, bool mean) {
    evaluate_broadcast(ctx, [op, mean](const std::vector<const Element*>& a) {
        Element acc = *a[0];
        for (size_t j = 1; j < a.size(); ++j) acc = apply(op, acc, *a[j]);
        if (!mean) return acc;
        if (!acc.known()) return Element{};
        const double sum = acc.real ? *acc.real : static_cast<double>(*acc.value);
        return Element::of_real(sum / static_cast<double>(a.size()));
    });
}

void evaluate_unary(RuleContext& ctx, UnaryOp op) {
    evaluate_broadcast(ctx, [op](const std::vector<const Element*>& a) { return apply(op, *a[0]); });
}

void evaluate_cast(RuleContext& ctx, DType to) {
    if (to == DType::Undefined) return;
    evaluate_broadcast(ctx, [to](const std::vector<const Element*>& a) { return cast_element(*a[0], to); });
}

void evaluate_where(RuleContext& ctx) {
    evaluate_broadcast(ctx, [](const std::vector<const Element*>& a) {
        const auto t = truth(*a[0]);
        return t ? (*t ? *a[1] : *a[2]) : Element{};
    });
}

// Outer, extent and inner sizes around `axis`.
struct AxisSplit {
    size_t outer = 1, extent = 1, inner = 1;
};

AxisSplit split_at(const std::vector<int64_t>& dims, size_t axis) {
    AxisSplit s;
    for (size_t k = 0; k < dims.size(); ++k) {
        const auto d = static_cast<size_t>(dims[k]);
        if (k < axis) s.outer *= d;
        else if (k == axis) s.extent = d;
        else s.inner *= d;
    }
    return s;
}

void evaluate_gather(RuleContext& ctx) {
    const auto data = known_tensor(ctx, 0);
    const auto indices = known_tensor(ctx, 1);
    if (!data || !indices || data->dims.empty()) return;
    const size_t axis = normalize_axis(ctx.node().attr_int("axis", 0), data->dims.size());
    const AxisSplit s = split_at(data->dims, axis);
    std::vector<int64_t> out_dims(data->dims.begin(), data->dims.begin() + static_cast<std::ptrdiff_t>(axis));
    out_dims.insert(out_dims.end(), indices->dims.begin(), indices->dims.end());
    out_dims.insert(out_dims.end(), data->dims.begin() + static_cast<std::ptrdiff_t>(axis) + 1, data->dims.end());
    if (!small_count(out_dims)) return;
    const auto extent = static_cast<int64_t>(s.extent);
    Elements out;
    for (size_t o = 0; o < s.outer; ++o)
        for (const Element& index : indices->data) {
            if (!index.value || *index.value < -extent || *index.value >= extent) return;
            const auto at = static_cast<size_t>(*index.value < 0 ? *index.value + extent : *index.value);
            for (size_t r = 0; r < s.inner; ++r) out.push_back(data->data[(o * s.extent + at) * s.inner + r]);
        }
    ctx.set_output_values(0, std::move(out));
}

void evaluate_concat(RuleContext& ctx) {
    std::vector<KnownTensor> parts;
    for (size_t i = 0; i < ctx.input_count(); ++i) {
        if (!ctx.has_input(i)) continue;
        auto t = known_tensor(ctx, i);
        if (!t || (!parts.empty() && t->dims.size() != parts[0].dims.size())) return;
        parts.push_back(std::move(*t));
    }
    if (parts.empty() || parts[0].dims.empty()) return;
    const size_t axis = normalize_axis(ctx.node().attr_int("axis", 0), parts[0].dims.size());
    size_t total = 0;
    for (const KnownTensor& p : parts) total += p.data.size();
    if (total > kMaxValueElements) return;
    const size_t outer = split_at(parts[0].dims, axis).outer;
    Elements out;
    out.reserve(total);
    for (size_t o = 0; o < outer; ++o)
        for (const KnownTensor& p : parts) {
            const AxisSplit s = split_at(p.dims, axis);
            const size_t slab = s.extent * s.inner;
            out.insert(out.end(), p.data.begin() + static_cast<std::ptrdiff_t>(o * slab),
                       p.data.begin() + static_cast<std::ptrdiff_t>((o + 1) * slab));
        }
    ctx.set_output_values(0, std::move(out));
}

// Each output takes consecutive slabs along the axis; the pieces' sizes come from the shapes
// the shape rule gave the outputs.
void evaluate_split(RuleContext& ctx) {
    const auto x = known_tensor(ctx, 0);
    if (!x || x->dims.empty()) return;
    const size_t axis = normalize_axis(ctx.node().attr_int("axis", 0), x->dims.size());
    const AxisSplit s = split_at(x->dims, axis);
    std::vector<size_t> sizes;
    size_t sum = 0;
    for (size_t k = 0; k < ctx.output_count(); ++k) {
        const auto& shape = ctx.output_shape(k);
        if (!shape || shape->size() != x->dims.size() || !(*shape)[axis].known()) return;
        sizes.push_back(static_cast<size_t>((*shape)[axis].value));
        sum += sizes.back();
    }
    if (sum != s.extent) return;
    size_t begin = 0;
    for (size_t k = 0; k < sizes.size(); ++k) {
        Elements out;
        for (size_t o = 0; o < s.outer; ++o)
            for (size_t a = begin; a < begin + sizes[k]; ++a)
                for (size_t r = 0; r < s.inner; ++r) out.push_back(x->data[(o * s.extent + a) * s.inner + r]);
        begin += sizes[k];
        ctx.set_output_values(k, std::move(out));
    }
}

void evaluate_expand(RuleContext& ctx) {
    const auto x = known_tensor(ctx, 0);
    const auto target = ctx.input_ints(1);
    if (!x || !target) return;
    const KnownTensor shape_only{*target, Elements{}};
    std::vector<int64_t> out_dims;
    Elements out;
    // Broadcast against a tensor of the target's dims whose contents are never read.
    const bool ok = for_each_broadcast({&*x, &shape_only}, out_dims, [&](size_t, const std::vector<size_t>& offsets) {
        out.push_back(x->data[offsets[0]]);
    });
    if (ok) ctx.set_output_values(0, std::move(out));
}

void evaluate_tile(RuleContext& ctx) {
    const auto x = known_tensor(ctx, 0);
    const auto repeats = ctx.input_ints(1);
    if (!x || !repeats || repeats->size() != x->dims.size()) return;
    std::vector<int64_t> out_dims;
    for (size_t k = 0; k < x->dims.size(); ++k) {
        if ((*repeats)[k] < 0) return;
        int64_t d = 0;
        if (__builtin_mul_overflow(x->dims[k], (*repeats)[k], &d)) return;
        out_dims.push_back(d);
    }
    const auto count = small_count(out_dims);
    if (!count) return;
    const std::vector<int64_t> in_strides = row_major_strides(x->dims);
    std::vector<int64_t> index(out_dims.size(), 0);
    Elements out;
    out.reserve(*count);
    for (size_t n = 0; n < *count; ++n) {
        int64_t from = 0;
        for (size_t a = 0; a < index.size(); ++a) from += (index[a] % x->dims[a]) * in_strides[a];
        out.push_back(x->data[static_cast<size_t>(from)]);
        for (size_t a = index.size(); a-- > 0;) {
            if (++index[a] < out_dims[a]) break;
            index[a] = 0;
        }
    }
    ctx.set_output_values(0, std::move(out));
}

// ReduceSum/Prod/Min/Max/Mean over axes (attribute, or input from opset 13/18), keepdims or not.
void evaluate_reduce(RuleContext& ctx, BinaryOp op, bool mean) {
    const auto x = known_tensor(ctx, 0);
    const auto axes = ctx.ints_from_attr_or_input("axes", 1);
    if (!x || !axes) return;
    std::vector<bool> reduced(x->dims.size(), axes->empty());
    if (axes->empty() && ctx.node().attr_int("noop_with_empty_axes", 0) != 0) return forward_values(ctx);
    for (size_t a : normalize_axes(*axes, x->dims.size())) reduced[a] = true;
    std::vector<int64_t> kept;   // output dims without the reduced axes
    for (size_t a = 0; a < x->dims.size(); ++a)
        if (!reduced[a]) kept.push_back(x->dims[a]);
    const auto count = small_count(kept);
    if (!count) return;
    std::vector<std::optional<Element>> acc(*count);
    std::vector<size_t> members(*count, 0);
    const std::vector<int64_t> kept_strides = row_major_strides(kept);
    std::vector<int64_t> index(x->dims.size(), 0);
    for (const Element& e : x->data) {
        int64_t at = 0;
        for (size_t a = 0, k = 0; a < index.size(); ++a)
            if (!reduced[a]) at += index[a] * kept_strides[k++];
        auto& slot = acc[static_cast<size_t>(at)];
        slot = slot ? apply(op, *slot, e) : e;
        ++members[static_cast<size_t>(at)];
        for (size_t a = index.size(); a-- > 0;) {
            if (++index[a] < x->dims[a]) break;
            index[a] = 0;
        }
    }
    const DType dtype = ctx.output_dtype(0);
    Elements out;
    for (size_t k = 0; k < *count; ++k) {
        if (!acc[k]) return;   // an empty reduction: its identity depends on the op; not needed here
        Element e = *acc[k];
        if (mean) e = e.real ? Element::of_real(*e.real / static_cast<double>(members[k])) : Element{};
        out.push_back(fit(e, dtype));
    }
    ctx.set_output_values(0, std::move(out));
}

// NonZero of a known tensor: the indices of its non-zero elements, [rank, count], which also
// fixes the output's data-dependent dim.
void evaluate_non_zero(RuleContext& ctx) {
    const auto x = known_tensor(ctx, 0);
    if (!x) return;
    std::vector<size_t> hits;
    for (size_t n = 0; n < x->data.size(); ++n) {
        const auto t = truth(x->data[n]);
        if (!t) return;
        if (*t) hits.push_back(n);
    }
    const size_t rank = x->dims.size();
    if (rank * hits.size() > kMaxValueElements) return;
    const std::vector<int64_t> strides = row_major_strides(x->dims);
    Elements out;
    for (size_t a = 0; a < rank; ++a)
        for (size_t n : hits) out.push_back(Element::of((static_cast<int64_t>(n) / strides[a]) % x->dims[a]));
    ctx.set_output(0, Shape{Dim::of(static_cast<int64_t>(rank)), Dim::of(static_cast<int64_t>(hits.size()))}, DType::Int64);
    ctx.set_output_values(0, std::move(out));
}

}  // namespace

void add_value_rules(RuleTable& t) {
    for (const char* op : {"Add", "Sub", "Mul", "Div", "Mod", "Pow", "Equal", "Less", "LessOrEqual", "Greater",
                           "GreaterOrEqual", "And", "Or", "Xor"}) {
        const BinaryOp binary = *binary_op(op);
        set_evaluator(t, {op}, [binary](RuleContext& ctx) { evaluate_binary(ctx, binary); });
    }
    set_evaluator(t, {"Sum"}, [](RuleContext& ctx) { evaluate_variadic(ctx, BinaryOp::Add, false); });
    set_evaluator(t, {"Mean"}, [](RuleContext& ctx) { evaluate_variadic(ctx, BinaryOp::Add, true); });
    set_evaluator(t, {"Min"}, [](RuleContext& ctx) { evaluate_variadic(ctx, BinaryOp::Min, false); });
    set_evaluator(t, {"Max"}, [](RuleContext& ctx) { evaluate_variadic(ctx, BinaryOp::Max, false); });
    for (const char* op : {"Neg", "Abs", "Sign", "Not", "Floor", "Ceil", "Round", "Sqrt", "Reciprocal", "Exp", "Log", "Relu"}) {
        const UnaryOp unary = *unary_op(op);
        set_evaluator(t, {op}, [unary](RuleContext& ctx) { evaluate_unary(ctx, unary); });
    }
    set_evaluator(t, {"Cast"}, [](RuleContext& ctx) { evaluate_cast(ctx, dtype_attribute(ctx, "to", DType::Undefined)); });
    set_evaluator(t, {"CastLike"}, [](RuleContext& ctx) { evaluate_cast(ctx, ctx.input_dtype(1)); });
    set_evaluator(t, {"Where"}, evaluate_where);
    set_evaluator(t, {"Identity", "Flatten", "Dropout"}, [](RuleContext& ctx) { forward_values(ctx); });
    set_evaluator(t, {"Gather"}, evaluate_gather);
    set_evaluator(t, {"Concat"}, evaluate_concat);
    set_evaluator(t, {"Split"}, evaluate_split);
    set_evaluator(t, {"Expand"}, evaluate_expand);
    set_evaluator(t, {"Tile"}, evaluate_tile);
    set_evaluator(t, {"ReduceSum"}, [](RuleContext& ctx) { evaluate_reduce(ctx, BinaryOp::Add, false); });
    set_evaluator(t, {"ReduceMean"}, [](RuleContext& ctx) { evaluate_reduce(ctx, BinaryOp::Add, true); });
    set_evaluator(t, {"ReduceProd"}, [](RuleContext& ctx) { evaluate_reduce(ctx, BinaryOp::Mul, false); });
    set_evaluator(t, {"ReduceMin"}, [](RuleContext& ctx) { evaluate_reduce(ctx, BinaryOp::Min, false); });
    set_evaluator(t, {"ReduceMax"}, [](RuleContext& ctx) { evaluate_reduce(ctx, BinaryOp::Max, false); });
    set_evaluator(t, {"NonZero"}, evaluate_non_zero);
}

}  // namespace winglet::shapes
