// One weight tensor as an optimizer plugin compressed it: the values it computes with, what it
// costs to store and run, and its stored form for model writers. Filled by the host function
// set_compressed (ABI 1.2), which validates and copies what the plugin hands over.
#pragma once

#include "core/dtype.hpp"

#include <cstdint>
#include <vector>

namespace winglet {

struct CompressedTensor {
    std::vector<float> decoded;
    uint64_t storage_bits = 0;
    uint32_t compute_dtype = 1;   // WG_DTYPE_* (ONNX numbering)
    uint32_t decode = 0;          // WG_DECODE_*
    uint32_t sparsity_pattern = 0;
    uint32_t sparsity_n = 0, sparsity_m = 0;
    double sparsity = 0;          // measured by the host: exact zeros in `decoded`
    uint32_t encoding = 0;        // WG_ENCODING_*
    uint32_t code_bits = 0;
    std::vector<int8_t> codes;
    int32_t param_axis = -1;
    int64_t block_size = 0;
    std::vector<int64_t> param_dims;
    std::vector<float> scales;
    std::vector<int8_t> zero_points;  // empty: all zero
    uint64_t lut_count = 0;
    std::vector<float> luts;
};

}  // namespace winglet
