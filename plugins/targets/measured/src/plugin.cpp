// The measured target (`winglet-target-measured`): a device that is a runtime on a real machine.
// `compile -t host-ort` runs the model through the device's runner (runner_client), maps the
// kernels the runtime timed back to the model's ops (kernel_mapping) and fills the same plan a
// predicted target fills, every figure marked as measured, fused, folded or not observed.
#include "device_discovery.hpp"
#include "fingerprint.hpp"
#include "kernel_mapping.hpp"
#include "plan_from_run.hpp"
#include "run_request.hpp"
#include "runner_client.hpp"

#include <winglet/plugin.hpp>

#include <algorithm>

namespace {

using namespace winglet;
using namespace winglet::measured;

class MeasuredTarget : public sdk::Target {
public:
    static constexpr sdk::PluginInfo info{
        "measured", "0.1.0",
        "devices measured by running the model: a runner (onnxruntime on this machine, or behind ssh/adb) "
        "times every kernel; calibrated specs are fitted to what it measures"};

    explicit MeasuredTarget(const sdk::Host& host) : host_(host) {
        devices_ = load_measured_devices(measured_device_dirs(), [this](const std::string& m) {
            host_.log(WG_LOG_WARN, info.name, m);
        });
    }

    std::vector<sdk::DeviceInfo> devices() override {
        std::vector<sdk::DeviceInfo> out;
        for (const MeasuredDevice& d : devices_) {
            sdk::DeviceInfo i;
            i.id = d.id;
            i.name = d.name;
            i.description = d.description;
            i.source = d.file.string();
            i.fingerprint = device_fingerprint(d, runner_dir());
            i.measured = true;
            out.push_back(std::move(i));
        }
        return out;
    }

    void compile(const sdk::CompileRequest& request, sdk::PlanBuilder& plan) override {
        const MeasuredDevice& device = find(request.device_id());
        const RunRequest run = run_request_for(device, request);
        MeasureOptions options;
        options.on_progress = [this, &device](const Progress& p) {
            host_.log(WG_LOG_INFO, info.name,
                      "measuring on " + device.id + ": " + p.phase + " " + std::to_string(p.done) + "/" + std::to_string(p.total));
        };
        RunResult result;
        try {
            result = measure(device, run, options);
        } catch (const RunnerError& e) {
            // The client's message names the device and says what happened, with the runner's stderr.
            throw sdk::Error(e.kind() == FailureKind::device_file ? WG_ERR_INVALID_ARGUMENT : WG_ERR_INTERNAL, e.what());
        }
        fill_plan(device, request.graph(), result, plan, [this](const std::string& m) { host_.log(WG_LOG_WARN, info.name, m); });
    }

private:
    const MeasuredDevice& find(std::string_view id) const {
        for (const MeasuredDevice& d : devices_)
            if (d.id == id) return d;
        throw sdk::Error(WG_ERR_INVALID_ARGUMENT, "no measured device '" + std::string(id) + "'");
    }

    sdk::Host host_;
    std::vector<MeasuredDevice> devices_;
};

}  // namespace

WINGLET_PLUGIN(MeasuredTarget)
