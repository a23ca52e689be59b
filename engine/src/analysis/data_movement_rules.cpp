// Data movement, shape and selection ops: 0 MACs, 0 FLOPs. Their cost is the bytes they read
// and write, which the analyzer counts for every op. Cast and Where are listed here: a type
// conversion or a select moves data without arithmetic on it. TopK's and NonZero's compares are
// not counted (they depend on the data). Random generators produce data without reading any.
// Control flow (If, Loop, Scan) costs nothing itself; the analyzer reports the ops of its
// subgraphs separately.
#include "analysis/rule_registry.hpp"

namespace winglet::analysis {

namespace {

OpCost no_arithmetic(OpContext&) { return {}; }

constexpr CostRule kDataMovement{"data_movement", no_arithmetic};
constexpr CostRule kControlFlow{"control_flow", no_arithmetic};

}  // namespace

void add_data_movement_rules(RuleTable& table) {
    // clang-format off
    table.add(kOnnxDomain,
              {"Concat", "Split", "Slice", "Gather", "GatherElements", "GatherND", "Scatter",
               "ScatterElements", "ScatterND", "Transpose", "Reshape", "Flatten", "Squeeze",
               "Unsqueeze", "Expand", "Tile", "Identity", "Shape", "Size", "Constant",
               "ConstantOfShape", "Range", "Where", "DepthToSpace", "SpaceToDepth", "NonZero",
               "TopK", "Pad", "Cast", "CastLike", "Dropout", "Compress", "OneHot",
               "ReverseSequence", "Trilu", "EyeLike", "MaxUnpool", "CenterCropPad",
               "SplitToSequence", "ConcatFromSequence", "SequenceAt", "SequenceConstruct",
               "SequenceEmpty", "SequenceErase", "SequenceInsert", "SequenceLength", "Optional",
               "OptionalGetElement", "OptionalHasElement", "RandomNormal", "RandomNormalLike",
               "RandomUniform", "RandomUniformLike", "Bernoulli", "Multinomial"},
              kDataMovement);
    // clang-format on
    table.add(kOnnxDomain, {"If", "Loop", "Scan"}, kControlFlow);
}

}  // namespace winglet::analysis
