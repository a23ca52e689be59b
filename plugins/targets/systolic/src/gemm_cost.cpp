// Weight-stationary cycle model after SCALE-Sim (Samajdar et al., "A Systematic Methodology for
// Characterizing Scalability of DNN Accelerators using SCALE-Sim", ISPASS 2020): one fold that
// holds an R x C weight tile and streams T input rows takes 2R + C + T - 2 cycles (R to shift the
// weights in, then T rows skewed through R rows and C columns). No overlap between folds: the
// TPU v1 double-buffers weights, so this is the conservative end.
#include "gemm_cost.hpp"

namespace systolic {

namespace {
uint64_t ceil_div(uint64_t a, uint64_t b) { return b ? (a + b - 1) / b : 0; }
}  // namespace

GemmShape conv_as_gemm(uint64_t batch, uint64_t c_in, uint64_t c_out, uint64_t groups,
                       uint64_t kernel, uint64_t out_spatial, uint64_t input_elements) {
    GemmShape g;
    g.groups = groups ? groups : 1;
    g.m = batch * out_spatial;
    g.k = c_in / g.groups * kernel;
    g.n = c_out / g.groups;
    g.resident_input_elements = input_elements;
    return g;
}

GemmShape plain_gemm(uint64_t m, uint64_t k, uint64_t n, uint64_t batches) {
    GemmShape g;
    g.m = m;
    g.k = k;
    g.n = n;
    g.groups = batches ? batches : 1;
    g.resident_input_elements = m * k * g.groups;
    return g;
}

GemmCost gemm_cost(const ArrayConfig& c, Precision p, const GemmShape& g) {
    const uint64_t e = element_bytes(p), R = c.rows, C = c.cols;
    GemmCost r;
    r.k_tiles = ceil_div(g.k, R);
    r.n_tiles = ceil_div(g.n, C);
    r.tiles = g.groups * r.k_tiles * r.n_tiles;
    r.cycles = g.m ? r.tiles * (2 * R + C + g.m - 2) : 0;
    r.macs = g.m * g.k * g.n * g.groups;
    r.weight_bytes = g.k * g.n * g.groups * e;
    r.input_bytes = g.resident_input_elements * e;
    r.output_bytes = g.m * g.n * g.groups * e;
    // Activations stay in SRAM (the TPU's Unified Buffer) beside a double-buffered weight tile.
    r.working_set_bytes = r.input_bytes + r.output_bytes + 2 * R * C * e;
    r.spills = r.working_set_bytes > c.sram_bytes;
    // Weights always stream from DRAM once. A spilling op keeps one column strip of weights on
    // chip and re-reads its whole input from DRAM for every strip, writing its output once.
    r.dram_bytes = r.weight_bytes + (r.spills ? r.n_tiles * r.input_bytes + r.output_bytes : 0);
    // SRAM: each strip reads the streamed (m x k) rows, weights pass through once, and each
    // k-tile updates the output once (partial sums counted at operand width).
    r.sram_bytes = r.n_tiles * g.m * g.k * g.groups * e + r.weight_bytes + r.k_tiles * r.output_bytes;
    r.compute_s = static_cast<double>(r.cycles) / (c.freq_ghz * 1e9);
    r.memory_s = static_cast<double>(r.dram_bytes) / c.dram_bytes_per_s;
    return r;
}

}  // namespace systolic
