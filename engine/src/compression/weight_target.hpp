// Which weight of an op a recipe compresses, and along which axes its channels run.
#pragma once

#include "graph/graph.hpp"

#include <optional>
#include <string>
#include <vector>

namespace winglet {

struct WeightTarget {
    const Weight* weight = nullptr;
    std::string value_name;
    int channel_axis = 0;    // output channels
    int reduction_axis = 1;  // what one output sums over
};

// The weight matrix or kernel of Conv, ConvTranspose, Gemm and MatMul (rank >= 2, a float
// initializer or Constant); nullopt for other ops and for activations-only ones.
std::optional<WeightTarget> main_weight(const Graph& graph, const Node& node);

// The weight's values as fp32 (from float32, float16, bfloat16 or float64); InputError otherwise.
std::vector<float> weight_as_float(const Weight& weight);

}  // namespace winglet
