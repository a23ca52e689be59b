#include "plan_from_run.hpp"

#include "kernel_mapping.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <unordered_map>

namespace winglet::measured {
namespace {

constexpr const char* kUnit = "cpu";

std::string value_name(const sdk::GraphView& graph, int64_t index) {
    return index < 0 ? std::string() : std::string(graph.value(static_cast<uint64_t>(index)).name());
}

std::vector<ModelOp> model_ops(const sdk::GraphView& graph, std::set<std::string>& constants) {
    std::vector<ModelOp> ops;
    for (uint64_t i = 0; i < graph.value_count(); ++i)
        if (graph.value(i).is_weight()) constants.insert(std::string(graph.value(i).name()));
    for (uint64_t i = 0; i < graph.op_count(); ++i) {
        const sdk::OpView op = graph.op(i);
        ModelOp m{std::string(op.name()), std::string(op.op_type()), {}, {}, static_cast<double>(op.record().macs),
                  op.record().multiplier > 0};
        for (uint64_t k = 0; k < op.input_count(); ++k) m.inputs.push_back(value_name(graph, op.input_index(k)));
        for (uint64_t k = 0; k < op.output_count(); ++k) m.outputs.push_back(value_name(graph, op.output_index(k)));
        ops.push_back(std::move(m));
    }
    return ops;
}

// A kernel inside a control-flow kernel (an If branch, a Loop body) is part of its parent's time:
// the parent keeps only what its children do not account for, so no time counts twice.
std::vector<Kernel> own_times(std::vector<Kernel> kernels) {
    std::unordered_map<std::string, size_t> by_node;
    for (size_t k = 0; k < kernels.size(); ++k) by_node.emplace(kernels[k].node, k);
    for (const Kernel& child : std::vector<Kernel>(kernels)) {
        if (!child.parent) continue;
        const auto it = by_node.find(*child.parent);
        if (it == by_node.end()) continue;
        Kernel& parent = kernels[it->second];
        parent.median_us = std::max(0.0, parent.median_us - child.median_us);
        parent.min_us = std::max(0.0, parent.min_us - child.min_us);
        parent.max_us = std::max(parent.median_us, parent.max_us - child.max_us);
    }
    std::stable_sort(kernels.begin(), kernels.end(), [](const Kernel& a, const Kernel& b) { return a.start_us < b.start_us; });
    return kernels;
}

std::string measured_on(const RunResult& run) {
    const DeviceFacts& d = run.device;
    return d.cpu_model + ", " + std::to_string(d.logical_cpus) + " logical CPUs, " + std::to_string(d.threads) +
           (d.threads == 1 ? " thread" : " threads") + ", governor " + d.governor.value_or("not readable") +
           (d.os.empty() ? "" : ", " + d.os);
}

std::string mib(uint64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return buf;
}

}  // namespace

void fill_plan(const MeasuredDevice& device, const sdk::GraphView& graph, const RunResult& run, sdk::PlanBuilder& plan,
               const std::function<void(const std::string&)>& warn) {
    std::set<std::string> constants;
    const std::vector<ModelOp> ops = model_ops(graph, constants);
    const std::vector<Kernel> kernels = own_times(run.kernels);
    const Mapping mapping = map_kernels(ops, constants, kernels);

    // Kernels shared by several ops form one group, as a fused group of a predicted plan does.
    std::vector<int> members(kernels.size(), 0);
    for (const OpMeasurement& o : mapping.ops)
        if (o.kernel >= 0 && (o.source == OpSource::Measured || o.source == OpSource::Fused)) ++members[static_cast<size_t>(o.kernel)];

    plan.add_unit(sdk::Unit{kUnit, "cpu", 0, 0});
    for (uint64_t i = 0; i < graph.op_count(); ++i) {
        const OpMeasurement& o = mapping.ops[i];
        const wg_op_record& rec = graph.op(i).record();
        sdk::OpResult r;
        r.op_index = i;
        r.unit = kUnit;
        r.memory_traffic_bytes = rec.input_bytes + rec.output_bytes + rec.weight_bytes;
        r.kernel = o.kernel >= 0 ? kernels[static_cast<size_t>(o.kernel)].node : "";
        r.group = o.kernel >= 0 && members[static_cast<size_t>(o.kernel)] > 1 ? o.kernel : -1;
        switch (o.source) {
            case OpSource::Measured: {
                // The profile gives a kernel's time per run; the plan wants one execution.
                const double per_run = rec.multiplier > 0 ? 1 / rec.multiplier : 1;
                r.source = WG_SOURCE_MEASURED;
                r.latency_us = o.latency_us * per_run;
                r.latency_min_us = o.min_us * per_run;
                r.latency_max_us = std::max(o.max_us * per_run, r.latency_us);
                r.latency_min_us = std::min(r.latency_min_us, r.latency_us);
                r.start_us = o.start_us;
                break;
            }
            case OpSource::Fused:
                r.source = WG_SOURCE_FUSED;
                r.start_us = kernels[static_cast<size_t>(o.kernel)].start_us;
                break;
            case OpSource::Folded: r.source = WG_SOURCE_FOLDED; break;
            case OpSource::NotObserved: r.source = WG_SOURCE_NOT_OBSERVED; break;
        }
        plan.set_op(r);
    }
    if (!mapping.unattributed.empty()) {
        double us = 0;
        std::string names;
        for (int k : mapping.unattributed) {
            us += kernels[static_cast<size_t>(k)].median_us;
            if (names.size() < 200) names += (names.empty() ? "" : ", ") + kernels[static_cast<size_t>(k)].node;
        }
        warn(std::to_string(mapping.unattributed.size()) + " kernel(s) of the run match no op of the model (" +
             std::to_string(us) + " us per run, not in any op's time): " + names);
    }

    // Kernel times come from a profiled run: the profiler's own cost per kernel (largest on small
    // kernels and If/Loop subgraphs) can make them add up to more than the unprofiled end to end.
    double kernel_sum_us = 0;
    for (const OpMeasurement& o : mapping.ops) kernel_sum_us += o.latency_us;
    const double e2e_us = run.latency_ms.median * 1000;
    if (e2e_us > 0 && std::abs(kernel_sum_us - e2e_us) > 0.15 * e2e_us) {
        char text[256];
        std::snprintf(text, sizeof text,
                      "the profiled kernels add up to %.1f us per run against a measured end-to-end median of %.1f us "
                      "(%+.0f %%): read per-op times as shares of the run",
                      kernel_sum_us, e2e_us, 100 * (kernel_sum_us - e2e_us) / e2e_us);
        warn(text);
    }

    const wg_report& report = *graph.raw().report;
    sdk::PlanSummary s;
    s.device_id = device.id;
    s.device_name = device.name;
    s.measured = true;
    s.latency_ms = run.latency_ms.median;
    s.latency_runs = static_cast<uint64_t>(run.latency_ms.n);
    s.latency_min_ms = run.latency_ms.min;
    s.latency_p90_ms = run.latency_ms.p90;
    s.latency_max_ms = run.latency_ms.max;
    s.latency_stdev_ms = run.latency_ms.stdev;
    if (run.energy) {
        s.energy_measured = true;
        s.energy_mj = run.energy->joules_per_inference * 1e3;
        s.avg_power_w = run.energy->average_power_w;
    }
    s.runtime = run.runtime.name + " " + run.runtime.version + " (" + run.runtime.provider + ")";
    s.measured_on = measured_on(run);
    s.peak_rss_bytes = run.peak_rss_bytes;
    // What the model needs by the analysis (weights and peak activations); the runner's own
    // resident memory, runtime included, is reported beside it.
    s.weights_in = WG_WEIGHTS_IN_RAM;
    s.weights_resident_bytes = report.totals->weight_bytes;
    s.storage_bytes = report.totals->weight_bytes;
    s.activation_bytes = report.totals->peak_activation_bytes;
    s.peak_memory_bytes = s.weights_resident_bytes + s.activation_bytes;
    s.fits = true;
    s.fit_detail = "it ran" + (run.peak_rss_bytes ? "; the runner's peak resident memory was " + mib(run.peak_rss_bytes) : "");
    s.units = {sdk::Unit{kUnit, "cpu", 0, 0}};
    plan.set_summary(s);
}

}  // namespace winglet::measured
