// Mapping one GEMM onto a weight-stationary systolic array: tiles, cycles, SRAM fit and traffic.
// The formulas are written out, with a worked example, in ../README.md.
#pragma once

#include "config.hpp"

#include <cstdint>

namespace systolic {

// `groups` independent GEMMs of (m x k) * (k x n): a grouped Conv or a batched MatMul.
struct GemmShape {
    uint64_t m = 0, k = 0, n = 0;
    uint64_t groups = 1;
    // Input elements that must sit in SRAM at once: the raw input of a Conv (implicit GEMM expands
    // it on the fly into the m x k rows it streams); m * k * groups for a plain GEMM.
    uint64_t resident_input_elements = 0;
};

// Conv as implicit GEMM: M = N*H_out*W_out, K = C_in/g*kh*kw, N = C_out/g, per group.
// `out_spatial` is H_out*W_out (any number of spatial dims), `kernel` kh*kw.
GemmShape conv_as_gemm(uint64_t batch, uint64_t c_in, uint64_t c_out, uint64_t groups,
                       uint64_t kernel, uint64_t out_spatial, uint64_t input_elements);
// A plain GEMM of (m x k) * (k x n), `batches` times (batched MatMul).
GemmShape plain_gemm(uint64_t m, uint64_t k, uint64_t n, uint64_t batches = 1);

struct GemmCost {
    uint64_t k_tiles = 0, n_tiles = 0, tiles = 0;
    uint64_t cycles = 0;
    uint64_t macs = 0;             // useful MACs: m * k * n * groups
    uint64_t weight_bytes = 0;     // k * n * groups * e
    uint64_t input_bytes = 0;      // resident input * e
    uint64_t output_bytes = 0;     // m * n * groups * e
    uint64_t working_set_bytes = 0;
    bool spills = false;           // working set > SRAM
    uint64_t dram_bytes = 0;
    uint64_t sram_bytes = 0;
    double compute_s = 0, memory_s = 0;
};

GemmCost gemm_cost(const ArrayConfig& c, Precision p, const GemmShape& g);

}  // namespace systolic
