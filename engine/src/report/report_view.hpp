// The C view of a Report that exporters read through the ABI. Borrows the Report's strings, so
// the Report must outlive the view.
#pragma once

#include "report/report.hpp"

#include <winglet/plugin.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace winglet {

class ReportCView {
public:
    explicit ReportCView(const Report& report);
    ReportCView(const ReportCView&) = delete;
    ReportCView& operator=(const ReportCView&) = delete;
    const wg_report* get() const { return &view_; }

private:
    const wg_shape_view* shapes_of(const OpReport& op);
    void set_plan(const PlanSummary& plan);
    void set_given_inputs(const ModelInfo& model);
    void set_spills(const Report& report);

    std::string tool_version_;
    std::vector<const char*> opset_domains_;
    std::vector<int64_t> opset_versions_;
    wg_model_meta meta_{};
    wg_totals totals_{};
    std::vector<wg_op_record> ops_;
    std::deque<std::vector<wg_dim>> dims_;                 // per output shape
    std::deque<std::vector<wg_shape_view>> shapes_;        // per op
    std::deque<std::vector<const char*>> output_names_;    // per op
    std::deque<std::vector<const char*>> input_names_;     // per op
    std::vector<wg_count_entry> op_types_;
    std::vector<const char*> warnings_;
    std::vector<const char*> assumed_dims_;
    std::vector<wg_unit_desc> units_;
    std::vector<wg_unit_memory> unit_memory_;
    std::vector<wg_op_spill> spills_;
    wg_plan_summary plan_{};
    std::deque<wg_op_compression> compressions_;    // stable addresses for ops_[i].compression
    std::unique_ptr<ReportCView> baseline_;         // the report before compression, when any
    std::vector<std::unique_ptr<ReportCView>> alternative_views_;
    std::vector<wg_alternative> alternatives_;
    std::vector<std::string> given_text_;           // given inputs: name, shape, values per input
    std::vector<const char*> given_names_, given_shapes_, given_values_;
    std::vector<const char*> unknown_values_, unknown_ops_, unknown_reasons_, suggestions_;
    wg_report view_{};
};

}  // namespace winglet
