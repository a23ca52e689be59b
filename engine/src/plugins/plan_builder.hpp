// The plan builder functions of wg_host_api (ABI 1.1): targets hand their compiled plan to the
// host through these; each validates what it is given and copies it into a CompiledPlan.
#pragma once

#include <winglet/plugin.h>

namespace winglet {

wg_status plan_add_unit(wg_plan_builder* plan, const wg_unit_desc* unit, wg_error* err) noexcept;
wg_status plan_set_op(wg_plan_builder* plan, const wg_op_result* result, wg_error* err) noexcept;
wg_status plan_set_summary(wg_plan_builder* plan, const wg_plan_summary* summary,
                           wg_error* err) noexcept;

}  // namespace winglet
