// Matrix products.
//   MatMul follows numpy: A [..., M, K] x B [..., K, N] -> [broadcast(...), M, N]; a 1-D A is
//   [1, K] (its M dim is then dropped), a 1-D B is [K, 1].
//   MACs = batch elements * M * N * K.  FLOPs = 2 * MACs (+ epilogue below).
//   Gemm: Y = alpha * A' * B' + beta * C with A' = transA ? A^T : A (likewise B').
//   FLOPs add 1 per output for alpha != 1, 1 for adding C and 1 more for beta != 1.
//   Integer/quantized forms count the same MACs; QLinearMatMul adds requantization (scale
//   multiply, round, zero-point add = 3 FLOPs per output element), zero points are not counted.
#include "analysis/activation_costs.hpp"
#include "analysis/contraction.hpp"
#include "analysis/rule_registry.hpp"

#include <algorithm>
#include <utility>

namespace winglet::analysis {

namespace {

Dims transposed_last_two(Dims d, bool transpose) {
    if (transpose && d.size() >= 2) std::swap(d[d.size() - 2], d[d.size() - 1]);
    return d;
}

Contraction matrix_product(const OpContext& op, const Dims& a, const Dims& b) {
    uint64_t m = 1, ka = 1, kb = 1, n = 1;
    Dims a_batch, b_batch;
    if (a.size() == 1) ka = a[0];
    if (a.size() >= 2) {
        m = a[a.size() - 2];
        ka = a.back();
        a_batch.assign(a.begin(), a.end() - 2);
    }
    if (b.size() == 1) kb = b[0];
    if (b.size() >= 2) {
        kb = b[b.size() - 2];
        n = b.back();
        b_batch.assign(b.begin(), b.end() - 2);
    }
    // An unknown K (taken as 1) on one side is known from the other.
    const uint64_t k = std::max(ka, kb);
    const uint64_t outputs = op.product({op.product(broadcast(a_batch, b_batch)), m, n});
    return {op.mul(outputs, k), outputs};
}

Contraction matrix_product(const OpContext& op, size_t a_input, size_t b_input,
                           bool trans_a = false, bool trans_b = false) {
    return matrix_product(op, transposed_last_two(op.input_dims(a_input), trans_a),
                          transposed_last_two(op.input_dims(b_input), trans_b));
}

OpCost matmul(OpContext& op) { return with_epilogue(op, matrix_product(op, 0, 1), 0); }

OpCost qlinear_matmul(OpContext& op) {
    // a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp
    return with_epilogue(op, matrix_product(op, 0, 3), kRequantizeFlops);
}

bool flag(const OpContext& op, const char* name) { return op.node().attr_int(name, 0) != 0; }
uint64_t scaled(const OpContext& op, const char* name) {
    return op.node().attr_float(name, 1.0) != 1.0;
}

uint64_t gemm_epilogue(const OpContext& op) {
    return scaled(op, "alpha") + (op.has_input(2) ? 1 + scaled(op, "beta") : 0);
}

OpCost gemm(OpContext& op) {
    return with_epilogue(op, matrix_product(op, 0, 1, flag(op, "transA"), flag(op, "transB")),
                         gemm_epilogue(op));
}

// com.microsoft FusedGemm: Gemm + activation attribute.
OpCost fused_gemm(OpContext& op) {
    return with_epilogue(op, matrix_product(op, 0, 1, flag(op, "transA"), flag(op, "transB")),
                         gemm_epilogue(op) + fused_activation_flops(op));
}

// com.microsoft FusedMatMul: alpha * A' x B' with batched transposes.
OpCost fused_matmul(OpContext& op) {
    return with_epilogue(op, matrix_product(op, 0, 1, flag(op, "transA"), flag(op, "transB")),
                         scaled(op, "alpha"));
}

constexpr CostRule kMatMul{"matmul", matmul};
constexpr CostRule kQLinearMatMul{"qlinear_matmul", qlinear_matmul};
constexpr CostRule kGemm{"gemm", gemm};
constexpr CostRule kFusedGemm{"fused_gemm", fused_gemm};
constexpr CostRule kFusedMatMul{"fused_matmul", fused_matmul};

}  // namespace

void add_matmul_rules(RuleTable& table) {
    table.add(kOnnxDomain, {"MatMul", "MatMulInteger"}, kMatMul);
    table.add(kOnnxDomain, "QLinearMatMul", kQLinearMatMul);
    table.add(kOnnxDomain, "Gemm", kGemm);
    table.add(kMicrosoftDomain, "FusedGemm", kFusedGemm);
    table.add(kMicrosoftDomain, "FusedMatMul", kFusedMatMul);
}

}  // namespace winglet::analysis
