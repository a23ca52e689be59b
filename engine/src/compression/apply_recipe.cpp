#include "compression/apply_recipe.hpp"

#include "analysis/op_walk.hpp"
#include "compression/weight_target.hpp"
#include "core/errors.hpp"
#include "graph/topology.hpp"
#include "io/content_hash.hpp"
#include "plugins/loaded_plugin.hpp"
#include "plugins/optimizer_call.hpp"

#include <spdlog/spdlog.h>

#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <numeric>

namespace winglet {
namespace {

// Recipe keys the engine reads itself rather than passing to the plugin.
constexpr const char* kActivationsKey = "activations";

std::map<std::string, std::string> plugin_options(const RecipeEntry& e) {
    std::map<std::string, std::string> options = e.options;
    options.erase(kActivationsKey);
    return options;
}

std::string options_text(const std::map<std::string, std::string>& options) {
    std::string text;
    for (const auto& [k, v] : options) text += (text.empty() ? "" : " ") + k + "=" + v;
    return text;
}

bool glob_matches(const std::string& pattern, const std::string& name) {
    return ::fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

// The report's ops paired with their nodes, in report order.
std::vector<analysis::ScheduledOp> scheduled(const Model& model) {
    analysis::AnalysisNotes notes;
    return analysis::walk_ops(model.graph, topological_order(model.graph), notes);
}

class Progress {
public:
    explicit Progress(size_t total) : total_(total), shown_(total >= 8 && ::isatty(2) && spdlog::should_log(spdlog::level::warn)) {}
    void step(size_t done, const std::string& what) {
        if (!shown_) return;
        const int width = 30, filled = static_cast<int>(width * done / total_);
        std::fprintf(stderr, "\r[%.*s%*s] %zu/%zu %-40.40s", filled, "##############################", width - filled, "",
                     done, total_, what.c_str());
        std::fflush(stderr);
    }
    ~Progress() {
        if (shown_) std::fprintf(stderr, "\r%*s\r", 90, "");
    }

private:
    size_t total_;
    bool shown_;
};

}  // namespace

void check_recipe(const PluginRegistry& registry, const Recipe& recipe) {
    std::vector<const RecipeEntry*> entries;
    if (recipe.default_entry) entries.push_back(&*recipe.default_entry);
    for (const RecipeOverride& o : recipe.overrides) entries.push_back(&o.entry);
    for (const RecipeEntry* e : entries) {
        if (auto it = e->options.find(kActivationsKey); it != e->options.end() && it->second != "fp" && it->second != "int8")
            throw InputError(e->where + ": activations = \"" + it->second + "\" is not \"fp\" or \"int8\"");
        if (e->technique == "none") continue;
        const LoadedPlugin* plugin = registry.optimizer(e->technique);
        if (!plugin) {
            std::string known;
            for (const LoadedPlugin* p : registry.plugins(WG_KIND_OPTIMIZER)) known += (known.empty() ? "" : ", ") + p->record().format;
            throw InputError(e->where + ": unknown technique '" + e->technique + "' (" +
                             (known.empty() ? "no optimizer plugins are loaded" : "available: " + known + ", none") + ")");
        }
        check_optimizer_options(*plugin, plugin_options(*e), e->where);
    }
}

namespace {

// select_entries over the report's ops already paired with their nodes.
std::vector<const RecipeEntry*> choose_entries(const std::vector<analysis::ScheduledOp>& ops, const Report& report,
                                               const Recipe& recipe, std::vector<std::string>& warnings) {
    const size_t n = std::min(ops.size(), report.ops.size());
    std::vector<size_t> eligible;
    for (size_t i = 0; i < n; ++i)
        if (!report.ops[i].in_subgraph && main_weight(*ops[i].graph, *ops[i].node)) eligible.push_back(i);

    std::vector<const RecipeEntry*> chosen(report.ops.size(), nullptr);
    if (recipe.default_entry)
        for (size_t i : eligible) chosen[i] = &*recipe.default_entry;

    for (const RecipeOverride& o : recipe.overrides) {
        std::vector<size_t> hits;
        const RecipeSelector& s = o.selector;
        if (s.kind == RecipeSelector::Kind::TopLatency) {
            if (!report.plan) throw UsageError(o.entry.where + ": top_latency needs a compiled plan: use `winglet compile -t DEVICE --recipe`");
            hits = eligible;
            auto time = [&](size_t i) { return report.ops[i].compiled->latency_us * report.ops[i].multiplier; };
            std::stable_sort(hits.begin(), hits.end(), [&](size_t a, size_t b) { return time(a) > time(b); });
            if (hits.size() > static_cast<size_t>(s.count)) hits.resize(static_cast<size_t>(s.count));
        } else {
            for (size_t i : eligible) {
                const OpReport& op = report.ops[i];
                const bool match = s.kind == RecipeSelector::Kind::Name     ? op.name == s.pattern
                                   : s.kind == RecipeSelector::Kind::Scope  ? glob_matches(s.pattern, op.name)
                                                                            : op.op_type == s.pattern;
                if (match) hits.push_back(i);
            }
        }
        if (hits.empty()) warnings.push_back(o.entry.where + ": " + s.text() + " matches no op with a weight to compress");
        for (size_t i : hits) chosen[i] = &o.entry;
    }

    for (const std::string& x : recipe.exclude) {
        std::vector<size_t> hits;
        if (x == "first" && !eligible.empty()) hits.push_back(eligible.front());
        else if (x == "last" && !eligible.empty()) hits.push_back(eligible.back());
        else
            for (size_t i : eligible)
                if (report.ops[i].name == x || glob_matches(x, report.ops[i].name)) hits.push_back(i);
        if (hits.empty()) warnings.push_back(recipe.path.string() + ": exclude \"" + x + "\" matches no op with a weight to compress");
        for (size_t i : hits) chosen[i] = nullptr;
    }
    for (auto& e : chosen)
        if (e && e->technique == "none") e = nullptr;
    return chosen;
}

}  // namespace

std::vector<const RecipeEntry*> select_entries(const Model& model, const Report& report, const Recipe& recipe,
                                               std::vector<std::string>& warnings) {
    return choose_entries(scheduled(model), report, recipe, warnings);
}

CompressionResult apply_recipe(const PluginRegistry& registry, const Model& model, const Report& report,
                               const Recipe& recipe) {
    check_recipe(registry, recipe);
    CompressionResult result;
    // One walk of the graph serves both the choice of entries and the weights it picks.
    const std::vector<analysis::ScheduledOp> ops = scheduled(model);
    const std::vector<const RecipeEntry*> chosen = choose_entries(ops, report, recipe, result.warnings);
    result.ops.resize(report.ops.size());

    ContentHasher fingerprint;
    fingerprint.update(recipe.content_hash.data(), recipe.content_hash.size());
    for (const LoadedPlugin* p : registry.plugins(WG_KIND_OPTIMIZER)) {
        const std::string id = p->record().name + " " + p->record().version + ";";
        fingerprint.update(id.data(), id.size());
    }
    result.fingerprint = fingerprint.hex();

    const size_t total = static_cast<size_t>(std::count_if(chosen.begin(), chosen.end(), [](auto* e) { return e != nullptr; }));
    Progress progress(total);
    std::map<std::string, size_t> done_by_tensor;
    size_t done = 0;
    for (size_t i = 0; i < chosen.size() && i < ops.size(); ++i) {
        const RecipeEntry* entry = chosen[i];
        if (!entry) continue;
        progress.step(done++, report.ops[i].name);
        const std::optional<WeightTarget> target = main_weight(*ops[i].graph, *ops[i].node);
        if (!target) continue;
        if (auto seen = done_by_tensor.find(target->value_name); seen != done_by_tensor.end()) {
            result.warnings.push_back("weight '" + target->value_name + "' is shared by '" + report.ops[seen->second].name +
                                      "' and '" + report.ops[i].name + "'; it is compressed once, by the first");
            continue;
        }
        const std::vector<float> values = weight_as_float(*target->weight);
        TensorToCompress t;
        t.tensor_name = target->value_name;
        t.op_name = report.ops[i].name;
        t.op_type = report.ops[i].op_type;
        t.dims = target->weight->dims;
        t.values = values.data();
        t.channel_axis = target->channel_axis;
        t.reduction_axis = target->reduction_axis;
        t.options = plugin_options(*entry);
        auto compressed = std::make_shared<CompressedTensor>(compress_tensor(*registry.optimizer(entry->technique), t));

        auto op = std::make_shared<OpCompression>();
        op->tensor = target->value_name;
        op->technique = entry->technique;
        op->options = options_text(entry->options);
        op->recipe_entry = entry->where;
        op->error = measure_error(values.data(), compressed->decoded.data(), values.size());
        op->dims = t.dims;
        op->original_dtype = target->weight->dtype;
        op->original_bits = target->weight->elements() * dtype_bits(target->weight->dtype);
        op->channel_axis = target->channel_axis;
        op->reduction_axis = target->reduction_axis;
        auto act = entry->options.find(kActivationsKey);
        op->activations_int8 = act != entry->options.end() && act->second == "int8";
        op->compressed = std::move(compressed);
        result.ops[i] = std::move(op);
        done_by_tensor[target->value_name] = i;
    }
    progress.step(total, "");
    return result;
}

}  // namespace winglet
