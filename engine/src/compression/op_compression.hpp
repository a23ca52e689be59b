// What a recipe did to one op: the weight it compressed, how, and the error it carries.
#pragma once

#include "compression/compressed_tensor.hpp"
#include "compression/error_metrics.hpp"
#include "core/dtype.hpp"

#include <memory>
#include <string>
#include <vector>

namespace winglet {

struct OpCompression {
    std::string tensor;          // the weight's name
    std::string technique;       // "quantize", ...
    std::string options;         // "bits=4 granularity=per_tensor", sorted by key
    std::string recipe_entry;    // "RECIPE:LINE" of the table that chose it
    std::shared_ptr<const CompressedTensor> compressed;
    ErrorMetrics error;
    std::vector<int64_t> dims;
    DType original_dtype = DType::Float32;
    uint64_t original_bits = 0;  // elements * bits of the original dtype
    int channel_axis = 0, reduction_axis = 1;
    bool activations_int8 = false;  // the recipe marked the op's activations for int8 execution
};

}  // namespace winglet
