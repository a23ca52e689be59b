// What a report says about the inputs it was computed for and the shapes it could not resolve,
// as `inspect` and `compile` print it.
#pragma once

#include "report/report.hpp"

#include <ostream>
#include <string>

namespace winglet::cli {

// "input=1x512, state=2x1x128, sr=16000" from --input/--input-value; "" when none was given.
std::string given_inputs_text(const ModelInfo& model);

// The values whose shapes stay unknown (the first few, with the op and reason) and the options
// that would resolve them; prints nothing when every shape is known. `label` pads like the
// surrounding "warning" lines.
void print_unknown_shapes(std::ostream& out, const Report& report, const std::string& label_padding);

}  // namespace winglet::cli
