// Linear (uniform, affine) weight quantization with the semantics of ONNX QuantizeLinear /
// DequantizeLinear (https://onnx.ai/onnx/operators/onnx__QuantizeLinear.html):
//     q = saturate(round_half_to_even(x / scale) + zero_point)        x / scale in fp32
//     x' = (q - zero_point) * scale                                    in fp32
// Conventions an exporter must follow are collected in ../README.md.
#pragma once

#include <cstdint>
#include <vector>

namespace winglet::quantize {

// Which weights share one (scale, zero point):
//   PerTensor  - all of them.
//   PerChannel - those with the same index along `axis` (ONNX per-axis quantization).
//   PerBlock   - runs of `block_size` consecutive indices along `axis`, separately for every
//                index of the other axes (ONNX blocked quantization, opset 21: the scale has
//                the input's shape with dims[axis] replaced by ceil(dims[axis] / block_size)).
enum class Granularity { PerTensor, PerChannel, PerBlock };

struct QuantOptions {
    int bits = 8;          // 8, 4 or 2
    // Symmetric: zero point 0 and the restricted range [-(2^(b-1)-1), 2^(b-1)-1] - the code
    // -2^(b-1) is never produced, so the grid is symmetric around 0 (the common choice for
    // weights, e.g. TensorRT / PyTorch "qint8 restricted range"); scale = max|x| / qmax.
    // Asymmetric: the full range [-2^(b-1), 2^(b-1)-1] with an integer zero point;
    // scale = (max(x,0) - min(x,0)) / (qmax - qmin), so 0 is always exactly representable.
    bool symmetric = true;
    Granularity granularity = Granularity::PerChannel;
    // Channel axis (PerChannel) or the axis split into blocks (PerBlock); ignored for PerTensor.
    // Negative values count from the end as in ONNX (-1 is the last axis).
    int axis = 0;
    int64_t block_size = 32;  // PerBlock only; must be >= 1 then
};

// The closed range of codes for `bits` (8, 4, 2):
//   symmetric  8: [-127, 127]   4: [-7, 7]   2: [-1, 1]
//   asymmetric 8: [-128, 127]   4: [-8, 7]   2: [-2, 1]
struct CodeRange {
    int lo = 0, hi = 0;
};
CodeRange code_range(int bits, bool symmetric);

struct QuantizedTensor {
    int bits = 8;
    bool symmetric = true;
    Granularity granularity = Granularity::PerChannel;
    int axis = 0;                // normalized to [0, rank); 0 for PerTensor
    int64_t block_size = 0;      // PerBlock only, else 0
    std::vector<int64_t> dims;
    std::vector<int8_t> codes;        // one per element, row-major, within code_range(bits, symmetric)
    std::vector<float> scales;        // row-major over scale_dims()
    std::vector<int8_t> zero_points;  // same count and layout as scales; all 0 when symmetric

    // The shape of `scales` as an ONNX initializer would carry it: {} (a scalar) per tensor,
    // {dims[axis]} per channel, dims with dims[axis] -> ceil(dims[axis] / block_size) per block.
    std::vector<int64_t> scale_dims() const;
    // (code - zero_point) * scale in fp32, exactly as ONNX DequantizeLinear computes it.
    std::vector<float> dequantize() const;
    // The payload an exporter has to store, in bits: bits per code (packed, no padding) + 32 per
    // fp32 scale + `bits` per zero point when asymmetric (a symmetric tensor omits the zero
    // point input; DequantizeLinear then uses 0). Excludes padding to whole bytes and metadata.
    uint64_t storage_bits() const;
};

// Throws std::invalid_argument naming the problem for bits outside {8, 4, 2}, a negative
// dimension, an axis out of range, block_size < 1 (PerBlock), a null `w` with elements, or a
// non-finite weight. The result does not depend on the number of threads TBB uses.
QuantizedTensor quantize(const float* w, const std::vector<int64_t>& dims, const QuantOptions& options);

}  // namespace winglet::quantize
