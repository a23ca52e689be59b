// Per-element FLOPs of activation functions, shared by the elementwise ops themselves and by the
// ops that apply an activation internally (FusedConv/FusedGemm, LSTM/GRU/RNN cells).
#pragma once

#include "analysis/op_context.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace winglet::analysis {

// FLOPs per element of `name` ("Relu", "Sigmoid", "Tanh", ... and the RNN-only "Affine",
// "ScaledTanh"); nullopt when it is not an activation winglet knows.
std::optional<uint64_t> activation_flops(std::string_view name);

// FLOPs per output element of the activation named by the node's "activation" attribute
// (com.microsoft FusedConv/FusedGemm): 0 without one; 1 with a warning for an unknown one.
uint64_t fused_activation_flops(OpContext& op);

}  // namespace winglet::analysis
