// Which ops the array runs, which it fuses into its output pipeline, and which only move data.
#include "plan.hpp"

#include <algorithm>
#include <array>

namespace systolic {

namespace {

template <size_t N>
bool contains(const std::array<std::string_view, N>& set, std::string_view op) {
    return std::find(set.begin(), set.end(), op) != set.end();
}

constexpr std::array<std::string_view, 3> kArray = {"Conv", "Gemm", "MatMul"};
// The TPU v1 applies activations in a dedicated unit on the accumulators' output (Jouppi et al.,
// ISCA 2017, section 2); a folded BatchNorm, a bias or a residual Add ride the same pipeline.
constexpr std::array<std::string_view, 12> kFusible = {
    "Relu",      "LeakyRelu", "Clip", "Sigmoid", "Tanh", "HardSigmoid",
    "HardSwish", "BatchNormalization", "Add", "Mul", "Sub", "Div"};
constexpr std::array<std::string_view, 14> kDataMovement = {
    "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Concat", "Split",
    "Slice",   "Gather",  "Pad",     "Expand",    "Identity",  "Tile",   "Cast"};

}  // namespace

OpClass classify(std::string_view op_type) {
    if (contains(kArray, op_type)) return OpClass::Array;
    if (contains(kFusible, op_type)) return OpClass::Fusible;
    if (contains(kDataMovement, op_type)) return OpClass::DataMovement;
    return OpClass::Other;
}

}  // namespace systolic
