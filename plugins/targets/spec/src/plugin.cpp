// The spec-driven target plugin: one device per TOML spec file, compiled by the cost model in
// compiler/ (equations in README.md). Written against the public SDK only.
#include "compiler/memory.hpp"
#include "compiler/schedule.hpp"
#include "discovery.hpp"
#include "lowering.hpp"

#include <winglet/plugin.hpp>

namespace {

namespace sdk = winglet::sdk;
namespace ds = winglet::device_spec;
using namespace winglet::spec_target;

uint32_t to_wg(Bound b) {
    switch (b) {
        case Bound::Compute: return WG_BOUND_COMPUTE;
        case Bound::Memory: return WG_BOUND_MEMORY;
        case Bound::Overhead: return WG_BOUND_OVERHEAD;
        case Bound::None: break;
    }
    return WG_BOUND_NONE;
}

// The only option is dtype=fp32|fp16|bf16|int8|int4: run the model's float32 tensors in it.
std::optional<DType> float_dtype_option(const sdk::CompileRequest& request) {
    std::optional<DType> out;
    for (const auto& [key, value] : request.options()) {
        if (key != "dtype")
            throw sdk::Error(WG_ERR_INVALID_ARGUMENT,
                             "spec: unknown option '" + key + "' (it takes dtype=fp32|fp16|bf16|int8|int4)");
        out = ds::parse_dtype(value);
        if (!out)
            throw sdk::Error(WG_ERR_INVALID_ARGUMENT,
                             "spec: unknown dtype '" + value + "' (expected fp32, fp16, bf16, int8 or int4)");
    }
    return out;
}

class SpecTarget : public sdk::Target {
public:
    static constexpr sdk::PluginInfo info{
        "spec", WINGLET_PLUGIN_VERSION,
        "devices described by TOML spec files: placement, fusion, roofline latency, energy, memory"};

    explicit SpecTarget(const sdk::Host& host)
        : specs_(load_devices(spec_dirs(), [&host](const std::string& message) {
              host.log(WG_LOG_WARN, "spec", message);
          })) {}

    std::vector<sdk::DeviceInfo> devices() override {
        std::vector<sdk::DeviceInfo> out;
        for (const ds::DeviceSpec& s : specs_)
            out.push_back({s.id, s.name, s.description, s.origin, s.fingerprint});
        return out;
    }

    void compile(const sdk::CompileRequest& request, sdk::PlanBuilder& builder) override {
        const ds::DeviceSpec& spec = find(request.device_id());
        const LoweredGraph graph = lower(request.graph(), float_dtype_option(request));
        const Plan plan = make_plan(spec, graph.ops);
        const Summary s = summarize(spec, graph.ops, plan, graph.peak_activation_bytes);

        sdk::PlanSummary summary;
        for (size_t u = 0; u < spec.units.size(); ++u) {
            const ds::Unit& unit = spec.units[u];
            const double onchip = unit.onchip_bytes ? unit.onchip_bytes->value : 0;
            summary.units.push_back({unit.name, std::string(ds::to_string(unit.kind)),
                                     static_cast<uint64_t>(onchip),
                                     static_cast<uint64_t>(plan.totals.peak_working_set[u])});
            builder.add_unit(summary.units.back());
        }
        for (size_t i = 0; i < plan.ops.size(); ++i) {
            const OpPlan& o = plan.ops[i];
            builder.set_op({i, spec.units[o.unit].name, o.fallback_reason, o.group, o.start_us, o.latency_us,
                            o.energy_uj, static_cast<uint64_t>(o.memory_traffic_bytes), to_wg(o.bound),
                            static_cast<uint64_t>(graph.ops[i].output_bytes), static_cast<uint64_t>(o.spill_bytes),
                            static_cast<uint64_t>(o.spill_traffic_bytes), o.spill_latency_us, o.spill_energy_uj});
        }
        summary.device_id = spec.id;
        summary.device_name = spec.name;
        summary.latency_ms = s.latency_ms;
        summary.energy_mj = s.energy_mj;
        summary.avg_power_w = s.avg_power_w;
        summary.peak_memory_bytes = s.peak_memory_bytes;
        summary.weights_resident_bytes = s.weights_resident_bytes;
        summary.storage_bytes = s.storage_bytes;
        summary.unit_transitions = plan.totals.unit_transitions;
        summary.fits = s.fits;
        summary.fit_detail = s.fit_detail;
        summary.weights_in = s.weights_in == ds::WeightsIn::storage ? WG_WEIGHTS_IN_STORAGE : WG_WEIGHTS_IN_RAM;
        summary.activation_bytes = s.peak_activation_bytes;
        summary.ram_capacity_bytes = s.ram_capacity_bytes;
        summary.storage_capacity_bytes = s.storage_capacity_bytes;
        builder.set_summary(summary);
    }

private:
    const ds::DeviceSpec& find(std::string_view id) const {
        for (const ds::DeviceSpec& s : specs_)
            if (s.id == id) return s;
        throw sdk::Error(WG_ERR_INVALID_ARGUMENT, "spec: no device '" + std::string(id) + "'");
    }

    std::vector<ds::DeviceSpec> specs_;
};

}  // namespace

WINGLET_PLUGIN(SpecTarget)
