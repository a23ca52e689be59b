// The systolic target plugin: an analytic accelerator model written as code. It includes only
// the public SDK, exactly as a plugin built out of tree against find_package(winglet) would.
#include "config.hpp"
#include "lowering.hpp"
#include "plan.hpp"

#include <winglet/plugin.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace {

namespace sdk = winglet::sdk;
using namespace systolic;

uint32_t to_wg(Bound b) {
    switch (b) {
        case Bound::Compute: return WG_BOUND_COMPUTE;
        case Bound::Memory: return WG_BOUND_MEMORY;
        case Bound::Overhead: return WG_BOUND_OVERHEAD;
        case Bound::None: break;
    }
    return WG_BOUND_NONE;
}

const ArrayConfig& find_config(std::string_view id) {
    for (const ArrayConfig& c : builtin_configs())
        if (c.id == id) return c;
    throw sdk::Error(WG_ERR_INVALID_ARGUMENT, "systolic: no device '" + std::string(id) + "'");
}

// The only option is dtype=int8|fp16 (default int8); anything else is refused by name.
Precision precision_option(const sdk::CompileRequest& request, const ArrayConfig& c) {
    Precision p = Precision::Int8;
    for (const auto& [key, value] : request.options()) {
        if (key != "dtype")
            throw sdk::Error(WG_ERR_INVALID_ARGUMENT,
                             "systolic: unknown option '" + key + "' (it takes dtype=int8|fp16)");
        try {
            p = parse_precision(value);
        } catch (const std::invalid_argument& e) {
            throw sdk::Error(WG_ERR_INVALID_ARGUMENT, std::string("systolic: ") + e.what());
        }
    }
    if (p == Precision::Fp16 && !c.fp16)
        throw sdk::Error(WG_ERR_UNSUPPORTED, c.id + " multiplies int8 only; dtype=fp16 unsupported");
    return p;
}

class SystolicTarget : public sdk::Target {
public:
    static constexpr sdk::PluginInfo info{
        "systolic", WINGLET_PLUGIN_VERSION,
        "analytic weight-stationary systolic-array accelerator with SRAM tiling (code, not a spec)"};

    explicit SystolicTarget(const sdk::Host&) {}

    std::vector<sdk::DeviceInfo> devices() override {
        std::vector<sdk::DeviceInfo> out;
        for (const ArrayConfig& c : builtin_configs())
            out.push_back({c.id, c.name, c.description, "built-in", fingerprint(c)});
        return out;
    }

    void compile(const sdk::CompileRequest& request, sdk::PlanBuilder& builder) override {
        const ArrayConfig& c = find_config(request.device_id());
        const Precision p = precision_option(request, c);
        const Plan plan = make_plan(c, p, lower(request.graph()));
        const Summary s = summarize(c, plan);

        sdk::PlanSummary summary;
        summary.units = {{kArrayUnit, "accelerator", c.sram_bytes, plan.totals.array_peak_bytes},
                         {kCpuUnit, "cpu", 0, plan.totals.cpu_peak_bytes}};
        for (const sdk::Unit& u : summary.units) builder.add_unit(u);
        for (size_t i = 0; i < plan.ops.size(); ++i) {
            const OpPlan& o = plan.ops[i];
            builder.set_op({i, o.unit, o.fallback_reason, o.group, o.start_us, o.latency_us, o.energy_uj,
                            o.dram_bytes, to_wg(o.bound), 0, o.spill_bytes, o.spill_traffic_bytes,
                            o.spill_latency_us, o.spill_energy_uj});
        }
        summary.device_id = c.id;
        summary.device_name = c.name;
        summary.latency_ms = s.latency_ms;
        summary.energy_mj = s.energy_mj;
        summary.avg_power_w = s.avg_power_w;
        summary.peak_memory_bytes = s.peak_memory_bytes;
        summary.weights_resident_bytes = s.weights_resident_bytes;
        summary.storage_bytes = s.storage_bytes;
        summary.unit_transitions = plan.totals.unit_transitions;
        summary.fits = s.fits;
        summary.fit_detail = s.fit_detail;
        summary.weights_in = WG_WEIGHTS_IN_RAM;  // streamed from DRAM, where they were loaded
        summary.activation_bytes = s.activation_bytes;
        summary.ram_capacity_bytes = s.ram_capacity_bytes;
        builder.set_summary(summary);
    }
};

}  // namespace

WINGLET_PLUGIN(SystolicTarget)
