// Control flow: If (the taken branch when its condition evaluates, else what both branches agree
// on) and Loop (carried values and scan outputs). The rules run the bodies' inference themselves,
// first, to read their outputs, and record what evaluation showed in Node::evaluated.
#include "shapes/element_math.hpp"
#include "shapes/rules.hpp"

namespace winglet::shapes {
namespace {

Graph* subgraph(const RuleContext& ctx, const char* name) {
    const Attribute* a = ctx.node().attribute(name);
    return a && a->graph ? a->graph.get() : nullptr;
}

// Output k of a body, which may be a value of an enclosing graph that the body merely returns.
const Value* body_output(const Graph& body, size_t k) {
    if (k >= body.outputs.size() || body.outputs[k] < 0) return nullptr;
    const Value& local = body.values[body.outputs[k]];
    const Value* resolved = body.lookup(local.name);
    return resolved ? resolved : &local;
}

// The condition's truth when it is one known element.
std::optional<bool> condition(const RuleContext& ctx) {
    const auto cond = ctx.input_values(0);
    return cond && cond->size() == 1 ? truth((*cond)[0]) : std::nullopt;
}

void if_rule(RuleContext& ctx) {
    Graph* then_branch = subgraph(ctx, "then_branch");
    Graph* else_branch = subgraph(ctx, "else_branch");
    if (!then_branch || !else_branch) return;
    ctx.infer_subgraph(*then_branch);
    ctx.infer_subgraph(*else_branch);
    const std::optional<bool> taken = condition(ctx);
    ctx.facts().condition = taken;
    for (size_t k = 0; k < ctx.output_count(); ++k) {
        const Value* a = body_output(*then_branch, k);
        const Value* b = body_output(*else_branch, k);
        if (taken) {
            // The branch that runs decides; its computed contents flow on.
            const Value* out = *taken ? a : b;
            if (!out) continue;
            ctx.set_output(k, out->shape, out->dtype);
            if (auto values = ctx.values_of(*out)) ctx.set_output_values(k, std::move(*values));
            continue;
        }
        if (!a || !b) continue;
        ctx.set_output(k, join_shapes(a->shape, b->shape), a->dtype != DType::Undefined ? a->dtype : b->dtype);
    }
}

void seed_input(Graph& body, size_t k, const std::optional<Shape>& shape, DType dtype) {
    if (k >= body.inputs.size() || body.inputs[k] < 0) return;
    Value& v = body.values[body.inputs[k]];
    if (!v.shape) v.shape = shape;
    if (v.dtype == DType::Undefined) v.dtype = dtype;
}

// Loop(M, cond, carried...) runs body(iteration, cond, carried...) -> (cond, carried..., scans...).
// The body is typed for its first iteration; a carried value keeps only the dims its initial and
// updated shapes agree on, and a scan output gains a leading dim of the trip count.
void loop_rule(RuleContext& ctx) {
    Graph* body = subgraph(ctx, "body");
    if (!body) return;
    const auto m = ctx.input_ints(0);
    if (m && m->size() == 1) ctx.facts().trip_count = (*m)[0];
    const size_t carried = ctx.input_count() >= 2 ? ctx.input_count() - 2 : 0;
    seed_input(*body, 0, Shape{}, DType::Int64);
    seed_input(*body, 1, Shape{}, DType::Bool);
    for (size_t j = 0; j < carried; ++j) seed_input(*body, 2 + j, ctx.input_shape(2 + j), ctx.input_dtype(2 + j));
    ctx.infer_subgraph(*body);

    for (size_t j = 0; j < carried; ++j) {
        const Value* updated = body_output(*body, 1 + j);
        const std::optional<Shape> shape = updated ? join_shapes(ctx.input_shape(2 + j), updated->shape) : std::nullopt;
        ctx.set_output(j, shape, ctx.input_dtype(2 + j));
    }
    // The trip count is M exactly when no condition can stop the loop early.
    Dim trips = unknown_dim();
    if (m && m->size() == 1 && (*m)[0] >= 0 && !ctx.has_input(1)) trips = Dim::of((*m)[0]);
    for (size_t k = carried; k < ctx.output_count(); ++k) {
        const Value* scanned = body_output(*body, 1 + k);
        if (!scanned) continue;
        std::optional<Shape> shape;
        if (scanned->shape) {
            shape = Shape{trips};
            shape->insert(shape->end(), scanned->shape->begin(), scanned->shape->end());
        }
        ctx.set_output(k, std::move(shape), scanned->dtype);
    }
}

}  // namespace

void add_control_flow_rules(RuleTable& t) {
    add_rule(t, {"If"}, if_rule, true);
    add_rule(t, {"Loop"}, loop_rule, true);
}

}  // namespace winglet::shapes
