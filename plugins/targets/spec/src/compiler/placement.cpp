#include "placement.hpp"

#include <algorithm>

namespace winglet::spec_target {

namespace {

std::string dtype_name(const OpDesc& op) {
    return op.dtype ? std::string(device_spec::to_string(*op.dtype)) : op.dtype_name;
}

size_t unit_index(const DeviceSpec& spec, const std::string& name) {
    const Unit* u = spec.find_unit(name);
    return static_cast<size_t>(u - spec.units.data());  // validated: preference names exist
}

}  // namespace

std::string unsupported_because(const Unit& unit, const OpDesc& op) {
    if (!unit.supports_op(op.type)) return op.type + " not supported";
    if (!op.dtype || !unit.supports(*op.dtype))
        return dtype_name(op) + " not supported (peak_ops has no " + dtype_name(op) + ")";
    const auto c = unit.constraints.find(op.type);
    if (c == unit.constraints.end()) return "";
    const device_spec::OpConstraint& k = c->second;
    if (!k.dtypes.empty() && std::find(k.dtypes.begin(), k.dtypes.end(), *op.dtype) == k.dtypes.end())
        return op.type + " in " + dtype_name(op) + " not supported (constraint dtypes)";
    if (k.kernel_max && op.kernel > *k.kernel_max)
        return "kernel " + std::to_string(op.kernel) + " > kernel_max " + std::to_string(*k.kernel_max);
    if (k.rank_max && op.rank > *k.rank_max)
        return "rank " + std::to_string(op.rank) + " > rank_max " + std::to_string(*k.rank_max);
    if (!k.dynamic_shapes && op.dynamic) return op.type + " with dynamic shapes not supported";
    return "";
}

Placement place(const DeviceSpec& spec, const OpDesc& op) {
    // Nothing runs for a folded op; keeping it on the preferred unit adds no transition.
    if (op.folded) return {unit_index(spec, spec.preference.front()), ""};
    std::string first_reason;
    for (const std::string& name : spec.preference) {
        const size_t u = unit_index(spec, name);
        const std::string why = unsupported_because(spec.units[u], op);
        if (why.empty()) return {u, first_reason};
        // Only the preferred unit's refusal is the user's question ("why not on the NPU?").
        if (first_reason.empty()) first_reason = name + ": " + why;
    }
    const std::string& last = spec.preference.back();
    first_reason += "; no unit supports it, runs on " + last + " anyway";
    return {unit_index(spec, last), first_reason};
}

}  // namespace winglet::spec_target
