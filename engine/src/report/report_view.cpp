#include "report/report_view.hpp"

namespace winglet {
namespace {
std::vector<const char*> c_strings(const std::vector<std::string>& v) {
    std::vector<const char*> out;
    out.reserve(v.size());
    for (const auto& s : v) out.push_back(s.c_str());
    return out;
}
}  // namespace


const wg_shape_view* ReportCView::shapes_of(const OpReport& op) {
    auto& shapes = shapes_.emplace_back();
    for (const auto& shape : op.output_shapes) {
        if (!shape) {
            shapes.push_back(wg_shape_view{WG_RANK_UNKNOWN, nullptr});
            continue;
        }
        auto& dims = dims_.emplace_back();
        for (const Dim& d : *shape) dims.push_back(wg_dim{d.value, d.symbol.c_str()});
        shapes.push_back(wg_shape_view{static_cast<uint32_t>(dims.size()), dims.data()});
    }
    return shapes.data();
}

namespace {
// The 1.1 fields of a record: the op's compiled result, or "not compiled" for `inspect`.
void set_compiled(wg_op_record& rec, const std::optional<OpPlan>& plan) {
    static const OpPlan kNone{};
    const OpPlan& p = plan ? *plan : kNone;
    rec.unit = p.unit.c_str();
    rec.fallback_reason = p.fallback_reason.c_str();
    rec.group = p.group;
    rec.start_us = p.start_us;
    rec.latency_us = p.latency_us;
    rec.energy_uj = p.energy_uj;
    rec.memory_traffic_bytes = p.memory_traffic_bytes;
    rec.bound = static_cast<uint32_t>(p.bound);
    rec.arena_offset = p.arena_offset;
    rec.critical = p.critical ? 1u : 0u;
    rec.source = static_cast<uint32_t>(p.source);
    rec.kernel = p.kernel.c_str();
    rec.latency_min_us = p.latency_min_us;
    rec.latency_max_us = p.latency_max_us;
}

}  // namespace

void ReportCView::set_plan(const PlanSummary& p) {
    for (const UnitPlan& u : p.units)
        units_.push_back(wg_unit_desc{sizeof(wg_unit_desc), u.name.c_str(), u.kind.c_str(), u.memory_bytes,
                                      u.peak_memory_bytes});
    plan_.struct_size = sizeof(plan_);
    plan_.device_id = p.device_id.c_str();
    plan_.device_name = p.device_name.c_str();
    plan_.latency_ms = p.latency_ms;
    plan_.energy_mj = p.energy_mj;
    plan_.avg_power_w = p.avg_power_w;
    plan_.peak_memory_bytes = p.peak_memory_bytes;
    plan_.weights_resident_bytes = p.weights_resident_bytes;
    plan_.storage_bytes = p.storage_bytes;
    plan_.unit_transitions = p.unit_transitions;
    plan_.fits = p.fits ? 1u : 0u;
    plan_.fit_detail = p.fit_detail.c_str();
    plan_.unit_count = units_.size();
    plan_.critical_path_ops = p.critical_path_ops;
    for (const UnitMemory& m : p.unit_memory)
        unit_memory_.push_back(wg_unit_memory{sizeof(wg_unit_memory), m.unit.c_str(), m.arena_bytes, m.peak_live_bytes,
                                              m.no_reuse_bytes, m.buffers});
    plan_.unit_memory_count = unit_memory_.size();
    plan_.unit_memory_stride = sizeof(wg_unit_memory);
    plan_.unit_memory = unit_memory_.data();
    plan_.units = units_.data();
    plan_.weights_in = static_cast<uint32_t>(p.weights_in);
    plan_.activation_bytes = p.activation_bytes;
    plan_.ram_capacity_bytes = p.ram_capacity_bytes;
    plan_.storage_capacity_bytes = p.storage_capacity_bytes;
    plan_.measured = p.measured ? 1u : 0u;
    plan_.energy_measured = p.energy_measured ? 1u : 0u;
    plan_.latency_runs = p.latency_runs;
    plan_.latency_min_ms = p.latency_min_ms;
    plan_.latency_p90_ms = p.latency_p90_ms;
    plan_.latency_max_ms = p.latency_max_ms;
    plan_.latency_stdev_ms = p.latency_stdev_ms;
    plan_.runtime = p.runtime.c_str();
    plan_.measured_on = p.measured_on.c_str();
    plan_.peak_rss_bytes = p.peak_rss_bytes;
    view_.plan = &plan_;
}

// The 1.4 list of ops that spill, gathered from the ops' results (targets report them per op).
void ReportCView::set_spills(const Report& r) {
    for (size_t i = 0; i < r.ops.size(); ++i) {
        const std::optional<OpPlan>& p = r.ops[i].compiled;
        if (!p || p->spill_bytes == 0) continue;
        spills_.push_back(wg_op_spill{sizeof(wg_op_spill), i, p->spill_bytes, p->spill_traffic_bytes,
                                      p->spill_latency_us, p->spill_energy_uj});
    }
    plan_.spill_count = spills_.size();
    plan_.spill_stride = sizeof(wg_op_spill);
    plan_.spills = spills_.empty() ? nullptr : spills_.data();
}

ReportCView::ReportCView(const Report& r) : tool_version_(WINGLET_VERSION) {
    for (const auto& [domain, version] : r.model.opsets) {
        opset_domains_.push_back(domain.c_str());
        opset_versions_.push_back(version);
    }
    meta_.struct_size = sizeof(meta_);
    meta_.format = r.model.format.c_str();
    meta_.ir_version = r.model.ir_version;
    meta_.producer_name = r.model.producer_name.c_str();
    meta_.producer_version = r.model.producer_version.c_str();
    meta_.graph_name = r.model.graph_name.c_str();
    meta_.opset_count = opset_domains_.size();
    meta_.opset_domains = opset_domains_.data();
    meta_.opset_versions = opset_versions_.data();

    totals_.struct_size = sizeof(totals_);
    totals_.op_count = r.totals.op_count;
    totals_.macs = r.totals.macs;
    totals_.flops = r.totals.flops;
    totals_.params = r.totals.params;
    totals_.weight_bytes = r.totals.weight_bytes;
    totals_.peak_activation_bytes = r.totals.peak_activation_bytes;
    totals_.ops_without_cost_rule = r.totals.ops_without_cost_rule;

    ops_.reserve(r.ops.size());
    for (const OpReport& op : r.ops) {
        wg_op_record rec{};
        rec.struct_size = sizeof(rec);
        rec.flags = (op.has_cost_rule ? WG_OP_HAS_COST_RULE : 0u) | (op.in_subgraph ? WG_OP_IN_SUBGRAPH : 0u) |
                    (op.assumed_dims ? WG_OP_ASSUMED_DIMS : 0u);
        rec.name = op.name.c_str();
        rec.op_type = op.op_type.c_str();
        rec.domain = op.domain.c_str();
        rec.scope = op.scope.c_str();
        rec.cost_rule = op.cost_rule.c_str();
        rec.output_count = op.output_names.size();
        rec.output_names = output_names_.emplace_back(c_strings(op.output_names)).data();
        rec.output_shapes = shapes_of(op);
        rec.input_count = op.activation_inputs.size();
        rec.input_names = input_names_.emplace_back(c_strings(op.activation_inputs)).data();
        rec.macs = op.macs;
        rec.flops = op.flops;
        rec.params = op.params;
        rec.weight_bytes = op.weight_bytes;
        rec.input_bytes = op.input_bytes;
        rec.output_bytes = op.output_bytes;
        rec.multiplier = op.multiplier;
        rec.branch = op.branch.c_str();
        set_compiled(rec, op.compiled);
        rec.compression = nullptr;
        if (const auto& c = op.compression) {
            wg_op_compression& w = compressions_.emplace_back();
            w.struct_size = sizeof w;
            w.tensor = c->tensor.c_str();
            w.technique = c->technique.c_str();
            w.options = c->options.c_str();
            w.sqnr_db = c->error.sqnr_db;
            w.rel_l2 = c->error.rel_l2;
            w.cosine = c->error.cosine;
            w.max_abs_error = c->error.max_abs;
            w.original_bits = c->original_bits;
            w.storage_bits = c->compressed->storage_bits;
            w.sparsity = c->compressed->sparsity;
            w.activations_int8 = c->activations_int8 ? 1u : 0u;
            rec.compression = &w;
        }
        ops_.push_back(rec);
    }
    for (const auto& [key, count] : r.op_types) op_types_.push_back(wg_count_entry{key.c_str(), count});
    warnings_ = c_strings(r.warnings);
    assumed_dims_ = c_strings(r.assumed_dims);

    view_.struct_size = sizeof(view_);
    view_.tool_version = tool_version_.c_str();
    view_.model_path = r.model.path.c_str();
    view_.content_hash = r.model.content_hash.c_str();
    view_.meta = &meta_;
    view_.totals = &totals_;
    view_.op_count = ops_.size();
    view_.op_stride = sizeof(wg_op_record);
    view_.ops = ops_.data();
    view_.op_type_count = op_types_.size();
    view_.op_types = op_types_.data();
    view_.warning_count = warnings_.size();
    view_.warnings = warnings_.data();
    view_.assumed_dim_count = assumed_dims_.size();
    view_.assumed_dims = assumed_dims_.data();
    view_.plan = nullptr;
    if (r.plan) {
        set_plan(*r.plan);
        set_spills(r);
    }
    view_.baseline = nullptr;
    if (r.baseline) {
        baseline_ = std::make_unique<ReportCView>(*r.baseline);
        view_.baseline = baseline_->get();
    }
    for (const Alternative& a : r.alternatives) {
        if (!a.report) continue;
        const ReportCView& v = *alternative_views_.emplace_back(std::make_unique<ReportCView>(*a.report));
        alternatives_.push_back(wg_alternative{sizeof(wg_alternative), a.id.c_str(), a.label.c_str(),
                                               a.technique.c_str(), a.recipe.c_str(), v.get()});
    }
    view_.alternative_count = alternatives_.size();
    view_.alternative_stride = sizeof(wg_alternative);
    view_.alternatives = alternatives_.empty() ? nullptr : alternatives_.data();
    set_given_inputs(r.model);
    for (const UnknownShape& u : r.unknown_shapes) {
        unknown_values_.push_back(u.value.c_str());
        unknown_ops_.push_back(u.op.c_str());
        unknown_reasons_.push_back(u.reason.c_str());
    }
    view_.unknown_shape_count = unknown_values_.size();
    view_.unknown_shape_values = unknown_values_.data();
    view_.unknown_shape_ops = unknown_ops_.data();
    view_.unknown_shape_reasons = unknown_reasons_.data();
    suggestions_ = c_strings(r.shape_suggestions);
    view_.shape_suggestion_count = suggestions_.size();
    view_.shape_suggestions = suggestions_.data();
}

void ReportCView::set_given_inputs(const ModelInfo& model) {
    std::map<std::string, std::pair<std::string, std::string>> given;   // name -> shape, values
    for (const auto& [name, dims] : model.given_input_shapes) given[name].first = dims_text(dims);
    for (const auto& [name, values] : model.given_input_values) given[name].second = values_text(values);
    given_text_.reserve(3 * given.size());   // no reallocation: the views point into it
    for (const auto& [name, text] : given) {
        given_names_.push_back(given_text_.emplace_back(name).c_str());
        given_shapes_.push_back(given_text_.emplace_back(text.first).c_str());
        given_values_.push_back(given_text_.emplace_back(text.second).c_str());
    }
    view_.given_input_count = given_names_.size();
    view_.given_input_names = given_names_.data();
    view_.given_input_shapes = given_shapes_.data();
    view_.given_input_values = given_values_.data();
}

}  // namespace winglet
