// Matrix products: Gemm, MatMul (numpy rules: 1-D operands, broadcast batch dims), Einsum.
#include "shapes/rules.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace winglet::shapes {
namespace {

void check_inner(const RuleContext& ctx, const Dim& a_inner, const Dim& b_inner,
                 const std::optional<Shape>& a, const std::optional<Shape>& b) {
    if (different_dims(a_inner, b_inner))
        ctx.fail("inner dimensions differ: " + dim_to_string(a_inner) + " vs " + dim_to_string(b_inner) +
                 " (inputs " + shape_to_string(a) + " and " + shape_to_string(b) + ")");
}

// MatMul, MatMulInteger and QLinearMatMul differ only in where B is and the output type.
void matmul_rule(RuleContext& ctx, size_t b_input, DType dtype) {
    const auto& a = ctx.input_shape(0);
    const auto& b = ctx.input_shape(b_input);
    if (!a || !b) return ctx.set_output(0, std::nullopt, dtype);
    if (a->empty() || b->empty()) ctx.fail("an operand is a scalar");
    // A 1-D operand is a row (A) or column (B) vector whose unit dim is dropped from the result.
    const Shape lhs = a->size() == 1 ? Shape{Dim::of(1), (*a)[0]} : *a;
    const Shape rhs = b->size() == 1 ? Shape{(*b)[0], Dim::of(1)} : *b;
    check_inner(ctx, lhs.back(), rhs[rhs.size() - 2], a, b);
    Shape out = broadcast_shapes(Shape(lhs.begin(), lhs.end() - 2), Shape(rhs.begin(), rhs.end() - 2));
    if (a->size() > 1) out.push_back(lhs[lhs.size() - 2]);
    if (b->size() > 1) out.push_back(rhs.back());
    ctx.set_output(0, std::move(out), dtype);
}

void gemm_rule(RuleContext& ctx) {
    const auto& a = ctx.input_shape(0);
    const auto& b = ctx.input_shape(1);
    if (!a || !b) return ctx.set_output(0, std::nullopt, ctx.input_dtype(0));
    if (a->size() != 2 || b->size() != 2)
        ctx.fail("operands " + shape_to_string(a) + " and " + shape_to_string(b) + " are not both 2-D");
    const bool trans_a = ctx.node().attr_int("transA", 0) != 0;
    const bool trans_b = ctx.node().attr_int("transB", 0) != 0;
    check_inner(ctx, (*a)[trans_a ? 0 : 1], (*b)[trans_b ? 1 : 0], a, b);
    ctx.set_output(0, Shape{(*a)[trans_a ? 1 : 0], (*b)[trans_b ? 0 : 1]}, ctx.input_dtype(0));
}

// Einsum: binds each label to a dim across operands, broadcasts the "..." dims, and lays out the
// output term (explicit after "->", else "..." then the labels used once, in alphabetical order).
void einsum_rule(RuleContext& ctx) {
    std::string equation = ctx.node().attr_string("equation", "");
    equation.erase(std::remove(equation.begin(), equation.end(), ' '), equation.end());
    const size_t arrow = equation.find("->");
    std::vector<std::string> terms(1);
    for (char c : equation.substr(0, arrow)) {
        if (c == ',') terms.emplace_back();
        else terms.back() += c;
    }
    if (terms.size() != ctx.input_count())
        ctx.fail("equation '" + equation + "' has " + std::to_string(terms.size()) + " operands, node has " +
                 std::to_string(ctx.input_count()));

    std::map<char, Dim> label_dims;
    std::map<char, int> label_uses;
    std::optional<Shape> ellipsis = Shape{};   // nullopt once an operand with "..." has unknown rank
    bool uses_ellipsis = false;
    for (size_t i = 0; i < terms.size(); ++i) {
        const size_t dots = terms[i].find("...");
        std::string labels = terms[i];
        if (dots != std::string::npos) {
            labels.erase(dots, 3);
            uses_ellipsis = true;
        }
        for (char c : labels) {
            if (!std::isalpha(static_cast<unsigned char>(c))) ctx.fail("equation '" + equation + "' is malformed");
            ++label_uses[c];
        }
        const auto& shape = ctx.input_shape(i);
        if (!shape) {
            if (dots != std::string::npos) ellipsis.reset();
            continue;
        }
        if (labels.size() > shape->size() || (dots == std::string::npos && labels.size() != shape->size()))
            ctx.fail("term '" + terms[i] + "' does not fit operand " + shape_to_string(shape));
        const size_t ellipsis_rank = shape->size() - labels.size();
        const size_t before = dots == std::string::npos ? labels.size() : dots;
        for (size_t k = 0; k < labels.size(); ++k) {
            const Dim& d = (*shape)[k < before ? k : k + ellipsis_rank];
            auto [it, inserted] = label_dims.emplace(labels[k], d);
            if (!inserted) it->second = broadcast_dim(it->second, d);
        }
        if (dots != std::string::npos && ellipsis) {
            const auto first = shape->begin() + static_cast<std::ptrdiff_t>(before);
            ellipsis = broadcast_shapes(*ellipsis, Shape(first, first + static_cast<std::ptrdiff_t>(ellipsis_rank)));
        }
    }

    std::string output_term;
    if (arrow != std::string::npos) {
        output_term = equation.substr(arrow + 2);
    } else {
        if (uses_ellipsis) output_term = "...";
        for (const auto& [label, uses] : label_uses)
            if (uses == 1) output_term += label;
    }
    Shape out;
    for (size_t k = 0; k < output_term.size(); ++k) {
        if (output_term.compare(k, 3, "...") == 0) {
            if (!ellipsis) return ctx.set_output(0, std::nullopt, ctx.input_dtype(0));
            out.insert(out.end(), ellipsis->begin(), ellipsis->end());
            k += 2;
            continue;
        }
        const char label = output_term[k];
        if (!label_uses.count(label)) ctx.fail("output label '" + std::string(1, label) + "' is not in any input");
        auto it = label_dims.find(label);
        out.push_back(it != label_dims.end() ? it->second : unknown_dim());
    }
    ctx.set_output(0, std::move(out), ctx.input_dtype(0));
}

}  // namespace

void add_linalg_rules(RuleTable& t) {
    add_rule(t, {"MatMul"}, [](RuleContext& ctx) { matmul_rule(ctx, 1, ctx.input_dtype(0)); });
    add_rule(t, {"MatMulInteger"}, [](RuleContext& ctx) { matmul_rule(ctx, 1, DType::Int32); });
    // QLinearMatMul(a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point)
    add_rule(t, {"QLinearMatMul"}, [](RuleContext& ctx) { matmul_rule(ctx, 3, ctx.input_dtype(7)); });
    add_rule(t, {"Gemm"}, gemm_rule);
    add_rule(t, {"Einsum"}, einsum_rule);
}

}  // namespace winglet::shapes
