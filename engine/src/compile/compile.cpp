#include "compile/compile.hpp"

#include "compile/critical_path.hpp"
#include "compile/graph_view.hpp"
#include "compile/memory_plan.hpp"
#include "core/errors.hpp"
#include "plugins/host_api.hpp"
#include "plugins/loaded_plugin.hpp"

namespace winglet {
namespace {

std::string known_devices(const PluginRegistry& registry) {
    std::string ids;
    for (const DeviceRecord& d : registry.devices()) ids += (ids.empty() ? "" : ", ") + d.id;
    return ids.empty() ? "no target plugins with devices are loaded (see `winglet plugins`)"
                       : "available: " + ids;
}

[[noreturn]] void compile_failed(const std::string& where, wg_status st, const wg_error& err) {
    const std::string text = where + ": " + error_text(err, st);
    // The target understood the request but cannot serve this model: the input is the problem.
    if (st == WG_ERR_UNSUPPORTED || st == WG_ERR_FORMAT) throw InputError(text);
    throw PluginError(text);
}

// Every op needs a result and the plan a summary; anything less is the target's bug.
void check_complete(const CompiledPlan& plan, size_t op_count, const std::string& where) {
    size_t missing = 0;
    for (size_t i = 0; i < op_count; ++i)
        if (i >= plan.ops.size() || !plan.ops[i]) ++missing;
    if (missing)
        throw PluginError(where + ": target '" + plan.plugin + "' left " + std::to_string(missing) +
                          " ops without a result");
    if (!plan.summary) throw PluginError(where + ": target '" + plan.plugin + "' set no plan summary");
}

}  // namespace

void require_device(const PluginRegistry& registry, const std::string& device_id) {
    if (!registry.target_for(device_id))
        throw UsageError("unknown device '" + device_id + "' (" + known_devices(registry) + ")");
}

CompiledPlan compile_model(const PluginRegistry& registry, const Model& model, const Report& report,
                           const std::string& device_id, const CompileOptions& options) {
    require_device(registry, device_id);
    const LoadedPlugin* target = registry.target_for(device_id);
    const std::string where = "compiling '" + model.info.path + "' for '" + device_id + "'";

    const GraphCView graph(model, report);
    std::vector<const char*> keys, values;
    for (const auto& [k, v] : options.target_options) {
        keys.push_back(k.c_str());
        values.push_back(v.c_str());
    }
    wg_compile_request request{};
    request.struct_size = sizeof(request);
    request.device_id = device_id.c_str();
    request.graph = graph.get();
    request.option_count = keys.size();
    request.option_keys = keys.data();
    request.option_values = values.data();

    CompiledPlan plan;
    plan.plugin = target->record().name;
    plan.ops.resize(report.ops.size());
    wg_plan_builder builder{&plan, report.ops.size(), {}};
    wg_error err;
    const wg_status st = target->target()->compile(target->state(), &request, &builder, &err);
    // A refused plan call is the target's bug, whatever status it returned afterwards.
    if (!builder.first_error.empty())
        throw PluginError(where + ": target '" + plan.plugin + "' built an invalid plan: " + builder.first_error);
    if (st != WG_OK) compile_failed(where + " (target '" + plan.plugin + "')", st, err);
    check_complete(plan, report.ops.size(), where);
    plan.summary->units = plan.units;
    return plan;
}

void attach_plan(Report& report, const CompiledPlan& plan) {
    for (size_t i = 0; i < report.ops.size() && i < plan.ops.size(); ++i) report.ops[i].compiled = plan.ops[i];
    report.plan = plan.summary;
    // Derived from the timeline rather than stored: a cached plan gets them the same way.
    const std::vector<size_t> critical = critical_path(report);
    for (size_t i : critical) report.ops[i].compiled->critical = true;
    if (report.plan) report.plan->critical_path_ops = critical.size();
    plan_activation_memory(report);
}

}  // namespace winglet
