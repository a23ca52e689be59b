#include "compile/plan_cache.hpp"

#include "cache/result_cache.hpp"
#include "compile/plan_json.hpp"
#include "plugins/loaded_plugin.hpp"

#include <spdlog/spdlog.h>

namespace winglet {
namespace {

// A stored plan is used only when it parses and has a complete result for this report.
std::optional<CompiledPlan> stored_plan(ResultCache& cache, const CacheKey& key, size_t op_count) {
    const std::optional<std::string> blob = cache.get(key);
    if (!blob) return std::nullopt;
    try {
        CompiledPlan plan = plan_from_json(*blob);
        bool complete = plan.summary && plan.ops.size() == op_count;
        for (const auto& op : plan.ops) complete = complete && op.has_value();
        if (complete) return plan;
        spdlog::warn("cache {}: the stored plan does not match the model; compiling again", cache.path().string());
    } catch (const std::exception& e) {
        spdlog::warn("cache {}: the stored plan is unreadable ({}); compiling again", cache.path().string(), e.what());
    }
    return std::nullopt;
}

}  // namespace

std::string canonical_compile_options(const std::string& device_id, const CompileOptions& options,
                                      const ImportOptions& import_options) {
    std::string text = "device:" + device_id + "\n";
    if (!import_options.format.empty()) text += "importer:" + import_options.format + "\n";
    for (const auto& [name, value] : import_options.dim_overrides)
        text += "dim:" + name + "=" + std::to_string(value) + "\n";
    for (const auto& [name, dims] : import_options.input_shapes) text += "input:" + name + "=" + dims_text(dims) + "\n";
    for (const auto& [name, values] : import_options.input_values)
        text += "input-value:" + name + "=" + values_text(values) + "\n";
    for (const auto& [key, value] : options.target_options) text += "option:" + key + "=" + value + "\n";
    if (!options.variant.empty()) text += "variant:" + options.variant + "\n";
    return text;
}

CacheKey plan_cache_key(const PluginRegistry& registry, const Model& model, const std::string& device_id,
                        const CompileOptions& options, const ImportOptions& import_options) {
    require_device(registry, device_id);
    const PluginRecord& target = registry.target_for(device_id)->record();
    CacheKey key;
    key.model_hash = model.info.content_hash;
    key.producer = target.name + " " + target.version;
    key.device_fingerprint = registry.device(device_id)->fingerprint;
    key.options = canonical_compile_options(device_id, options, import_options);
    key.result_format_version = kCompiledPlanFormatVersion;
    return key;
}

CompiledPlan cached_compile(const PluginRegistry& registry, const Model& model, const Report& report,
                            const std::string& device_id, const CompileOptions& options,
                            const ImportOptions& import_options, ResultCache* cache) {
    if (!cache) return compile_model(registry, model, report, device_id, options);
    const CacheKey key = plan_cache_key(registry, model, device_id, options, import_options);
    // The cache only saves time: when it fails, compile as if there were none.
    try {
        if (std::optional<CompiledPlan> plan = stored_plan(*cache, key, report.ops.size())) {
            spdlog::debug("cache {}: using the stored plan for '{}'", cache->path().string(), device_id);
            return std::move(*plan);
        }
    } catch (const CacheError& e) {
        spdlog::warn("{}; compiling without the cache", e.what());
        return compile_model(registry, model, report, device_id, options);
    }
    CompiledPlan plan = compile_model(registry, model, report, device_id, options);
    try {
        cache->put(key, kCompiledPlanKind, plan_to_json(plan));
    } catch (const CacheError& e) {
        spdlog::warn("{}; the plan was not stored", e.what());
    }
    return plan;
}

}  // namespace winglet
