// Reads shapes and attributes through the SDK only (no engine headers), as an out-of-tree plugin
// must. An array op whose shapes are not all known cannot be tiled and goes to the CPU.
#include "lowering.hpp"

#include <numeric>
#include <optional>

namespace systolic {

namespace {

using winglet::sdk::OpView;
using Shape = std::vector<int64_t>;

uint64_t product(Shape::const_iterator begin, Shape::const_iterator end) {
    return std::accumulate(begin, end, uint64_t{1},
                           [](uint64_t a, int64_t d) { return a * static_cast<uint64_t>(d); });
}
uint64_t product(const Shape& s) { return product(s.begin(), s.end()); }

std::optional<Shape> shape_of(const std::optional<winglet::sdk::ValueView>& v) {
    return v ? v->known_shape() : std::nullopt;
}

// Conv: X [N, C_in, spatial...], Y [N, C_out, spatial_out...], W [C_out, C_in/g, kernel...].
std::optional<GemmShape> conv(const OpView& op) {
    const auto x = shape_of(op.input(0)), w = shape_of(op.input(1)), y = shape_of(op.output(0));
    if (!x || !w || !y || x->size() < 3 || w->size() < 3 || y->size() != x->size()) return std::nullopt;
    const int64_t group = op.attr_int("group", 1);
    if (group < 1 || (*x)[1] % group || (*y)[1] % group) return std::nullopt;
    const auto groups = static_cast<uint64_t>(group);
    return conv_as_gemm(static_cast<uint64_t>((*y)[0]), static_cast<uint64_t>((*x)[1]),
                        static_cast<uint64_t>((*y)[1]), groups, product(w->begin() + 2, w->end()),
                        product(y->begin() + 2, y->end()), product(*x));
}

// Gemm: Y [M, N] = op(A) [M, K] * op(B) [K, N].
std::optional<GemmShape> gemm(const OpView& op) {
    const auto a = shape_of(op.input(0)), y = shape_of(op.output(0));
    if (!a || !y || a->size() != 2 || y->size() != 2) return std::nullopt;
    const int64_t k = op.attr_int("transA", 0) ? (*a)[0] : (*a)[1];
    return plain_gemm(static_cast<uint64_t>((*y)[0]), static_cast<uint64_t>(k),
                      static_cast<uint64_t>((*y)[1]));
}

// MatMul (numpy rules): a 2-D B is one weight matrix shared by all rows; a batched B makes one
// GEMM per batch entry.
std::optional<GemmShape> matmul(const OpView& op) {
    const auto a = shape_of(op.input(0)), b = shape_of(op.input(1)), y = shape_of(op.output(0));
    if (!a || !b || !y || a->empty() || b->empty()) return std::nullopt;
    const auto k = static_cast<uint64_t>(a->back());
    const uint64_t n = b->size() == 1 ? 1 : static_cast<uint64_t>(b->back());
    if (n == 0) return std::nullopt;
    if (b->size() <= 2) return plain_gemm(product(*y) / n, k, n);
    if (y->size() < 2) return std::nullopt;
    return plain_gemm(static_cast<uint64_t>(y->end()[-2]), k, n, product(y->begin(), y->end() - 2));
}

std::optional<GemmShape> as_gemm(const OpView& op) {
    if (op.op_type() == "Conv") return conv(op);
    if (op.op_type() == "Gemm") return gemm(op);
    return matmul(op);
}

}  // namespace

std::vector<OpInput> lower(const winglet::sdk::GraphView& graph) {
    std::vector<OpInput> out;
    out.reserve(graph.op_count());
    for (uint64_t i = 0; i < graph.op_count(); ++i) {
        const OpView op = graph.op(i);
        const wg_op_record& rec = op.record();
        OpInput in;
        in.op_type = std::string(op.op_type());
        in.flops = (rec.flags & WG_OP_HAS_COST_RULE) ? rec.flops : 0;
        in.input_bytes = rec.input_bytes;
        in.output_bytes = rec.output_bytes;
        in.weight_bytes = rec.weight_bytes;
        // 0 for an op that does not run (the If branch not taken or not counted); only a
        // malformed (negative or NaN) count falls back to one execution.
        in.multiplier = rec.multiplier >= 0 ? rec.multiplier : 1;
        const auto first = op.input(0);
        in.producer = first ? first->producer() : -1;
        if (classify(in.op_type) == OpClass::Array) {
            in.gemm = as_gemm(op);
            if (!in.gemm)
                in.no_gemm_reason =
                    "shapes not all known (or group invalid), cannot tile onto the systolic array";
        }
        out.push_back(std::move(in));
    }
    return out;
}

}  // namespace systolic
