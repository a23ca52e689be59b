// Weight pruning: unstructured magnitude, semi-structured N:M, and structured channel pruning.
// All three zero weights in place of removing them (the tensor keeps its shape), are
// deterministic, and break ties in magnitude/norm the same way: the prune order is ascending
// (|w| or norm, index), so among equals the LOWER index is pruned first.
// Axis conventions for ONNX weights are in ../README.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace winglet::prune {

struct PruneResult {
    std::vector<float> values;  // the input with pruned weights set to +0
    uint64_t zeros = 0;         // how many weights the mask zeroed (weights already 0 and kept are not counted)
};

// Unstructured magnitude pruning (Han et al. 2015, "Learning both Weights and Connections for
// Efficient Neural Networks"): zeroes exactly k = llround(sparsity * n) weights of smallest |w|
// (llround: halves away from zero, 0.25 * 10 = 2.5 -> 3; so k = n once sparsity * n >= n - 0.5,
// e.g. 0.99 of 10 weights prunes all 10). Throws std::invalid_argument for
// sparsity outside [0, 1), a non-finite weight, or a null `w` with n > 0.
PruneResult prune_magnitude(const float* w, size_t n, double sparsity);

// N:M semi-structured sparsity (Mishra et al. 2021, "Accelerating Sparse Deep Neural Networks",
// NVIDIA's 2:4 for Ampere sparse tensor cores): in every group of M consecutive weights along
// `axis` (for each index of the other axes) keep the N largest |w| and zero the rest.
// `axis` must be the reduction (input) axis of the layer - the K of its GEMM, along which the
// hardware compresses:
//   Conv W [O, I, kh, kw]: axis 1      MatMul B [K, N]: axis 0
//   Gemm B with transB = 0 ([K, N]): axis 0, with transB = 1 ([N, K]): axis 1
// A tail group shorter than M (dims[axis] % M != 0) keeps min(N, length) weights: the group as
// the hardware sees it after padding to M with zeros then has at most N non-zeros, so the N:M
// pattern holds; nothing more is pruned than that requires.
// Throws for m < 1, n < 0, n > m, an axis outside [-rank, rank), a negative dim, a non-finite
// weight.
PruneResult prune_n_m(const float* w, const std::vector<int64_t>& dims, int n, int m, int axis);

enum class Norm { L1, L2 };

struct ChannelPruneResult {
    std::vector<float> values;    // same dims; removed channels are exact zeros
    std::vector<int64_t> kept;    // ascending
    std::vector<int64_t> removed; // ascending
    std::vector<double> norms;    // every channel's norm (before pruning), by channel index
};

// Structured pruning (Li et al. 2017, "Pruning Filters for Efficient ConvNets", which ranks
// filters by L1 norm): removes r = llround(fraction * dims[axis]) whole channels along `axis`
// with the smallest norm over all their weights, capped so that at least one channel is kept.
// Output channels: Conv W [O, I, kh, kw] axis 0; MatMul B [K, N] axis 1; Gemm transB = 1 axis 0.
// Removing output channels of a layer leaves the consumer's matching input channels (and
// bias, BatchNorm entries) to remove - `kept` lists the indices to gather.
// Throws for fraction outside [0, 1), an axis outside [-rank, rank), a negative dim, a
// non-finite weight.
ChannelPruneResult prune_channels(const float* w, const std::vector<int64_t>& dims, double fraction, Norm norm,
                                  int axis = 0);

}  // namespace winglet::prune
