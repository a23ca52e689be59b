#pragma once
// Weight palettization: every weight becomes a `bits`-bit index into a look-up table (LUT) of
// 2^bits float values, one LUT per tensor or per group of output channels. The LUT entries are
// the 1-D k-means centroids of the weights they serve (kmeans1d.hpp).

#include "kmeans1d.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace winglet::palettize {

enum class Grouping { PerTensor, PerGroupedChannel };

struct PalettizeOptions {
    int bits = 4;                   // 1..8 -> k = 2^bits
    Grouping grouping = Grouping::PerTensor;
    // PerGroupedChannel: output channels per LUT, 1..dims[axis]. When it does not divide
    // dims[axis], the last group takes the remaining dims[axis] % group_size channels, so there
    // are ceil(dims[axis] / group_size) LUTs. Ignored for PerTensor.
    int64_t group_size = 0;
    // The output-channel axis, 0..rank-1 (no negative axes): 0 for Conv weights (OIHW) and for
    // ONNX Gemm B when transB = 1 (N x K); 1 for Gemm B when transB = 0 (K x N) and for MatMul
    // weights (K x N). For PerTensor it must still be a valid axis of a non-scalar tensor.
    int axis = 0;
    KMeans1DOptions kmeans;
};

struct PalettizedTensor {
    int bits = 0;
    std::vector<int64_t> dims;
    int axis = 0;
    int64_t group_size = 0;         // channels per LUT (dims[axis] for per-tensor; 1 for a scalar)
    std::vector<float> luts;        // n_groups * 2^bits entries, LUT g at [g * 2^bits, (g+1)*2^bits); unused entries repeat the last centroid
    std::vector<uint8_t> indices;   // one per element, in the tensor's row-major order
    size_t lut_count() const;
    std::vector<float> decode() const;   // luts[group(i)][indices[i]] for every element
    // bits * elements + 32 * luts.size(): packed indices plus every LUT entry (padding entries
    // included) stored as fp32, the precision `decoded` uses them in. Shapes and other metadata
    // are not counted.
    uint64_t storage_bits() const;
};

// Throws std::invalid_argument (message naming the problem) for bits outside 1..8, a null or
// empty tensor (a zero or negative dimension), an axis out of range, a group_size outside
// 1..dims[axis] for PerGroupedChannel, and NaN/Inf weights. Deterministic for any thread
// count; groups are clustered in parallel.
PalettizedTensor palettize(const float* w, const std::vector<int64_t>& dims, const PalettizeOptions&);

}  // namespace winglet::palettize
