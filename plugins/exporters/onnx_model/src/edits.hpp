// One tensor edit of a wg_model_edit, checked and normalized: everything the rewrite needs, with
// the borrowed arrays of the host (valid for the export_model call).
#pragma once

#include <winglet/plugin.h>

#include <cstdint>
#include <string>
#include <vector>

namespace winglet::onnx_model {

enum class Granularity { PerTensor, PerChannel, PerBlock };

struct TensorEdit {
    std::string name;
    std::vector<int64_t> dims;
    uint64_t count = 0;          // elements
    wg_dtype original_dtype = WG_DTYPE_UNDEFINED;
    uint32_t encoding = WG_ENCODING_DENSE;
    uint32_t sparsity = WG_SPARSITY_NONE;  // DENSE: the optimizer's sparsity pattern
    const float* decoded = nullptr;  // count values
    uint32_t bits = 0;               // LINEAR, LUT
    const int8_t* codes = nullptr;   // count codes (LUT: uint8 indices in int8 bit patterns)

    // LINEAR
    Granularity granularity = Granularity::PerTensor;
    int axis = -1;                   // LINEAR: scale axis (-1 per tensor); LUT: grouping axis (-1: one table);
                                     // DENSE with WG_SPARSITY_CHANNELS: the channel axis (-1: not given)
    int64_t block_size = 0;          // LINEAR per block: block length; LUT grouped: channels per table
    uint64_t param_count = 0;        // scales (and zero points)
    const float* scales = nullptr;
    const int8_t* zero_points = nullptr;  // NULL: all zero

    // LUT
    uint64_t lut_count = 0;          // 1: one table (axis == -1)
    const float* luts = nullptr;     // lut_count << bits entries

    std::string where() const { return "tensor '" + name + "'"; }
};

// Checks edit `index` of the model edit (struct sizes, arrays present, shapes of the parameters
// consistent with the encoding, LUT indices inside their tables) and returns it normalized.
// Throws sdk::Error(WG_ERR_INVALID_ARGUMENT) naming the tensor and the problem.
TensorEdit read_edit(const wg_tensor_edit* e, uint64_t index);

}  // namespace winglet::onnx_model
