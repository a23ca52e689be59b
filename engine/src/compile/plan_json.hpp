// A CompiledPlan as JSON text, the form the plan cache stores.
#pragma once

#include "compile/plan.hpp"

#include <string>
#include <string_view>

namespace winglet {

// Units, every op's result (null for an op without one) and the summary. Doubles are written
// as the shortest text that reads back exactly, so a cached plan equals the computed one.
std::string plan_to_json(const CompiledPlan& plan);
// Throws std::exception (nlohmann's parse, type and missing-key errors) on anything else.
CompiledPlan plan_from_json(std::string_view text);

}  // namespace winglet
