// From the host's graph view to the cost model's plain OpDescs, through the SDK only.
#pragma once

#include "compiler/model.hpp"

#include <winglet/plugin.hpp>

#include <optional>

namespace winglet::spec_target {

namespace sdk = winglet::sdk;

struct LoweredGraph {
    std::vector<OpDesc> ops;
    double peak_activation_bytes = 0;  // the report's peak, at the compute dtype's width
};

// `float_as`: run the model's float32 tensors in this dtype instead (option dtype=...).
LoweredGraph lower(const sdk::GraphView& graph, std::optional<DType> float_as);

}  // namespace winglet::spec_target
