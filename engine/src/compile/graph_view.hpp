// The C view of a model a target compiles (wg_graph_view): every op in Report::ops order, its
// analysis record, its edges into one global value table, and its scalar attributes. Borrows the
// Model and the Report, which must outlive the view.
#pragma once

#include "graph/graph.hpp"
#include "report/report.hpp"
#include "report/report_view.hpp"

#include <winglet/plugin.h>

#include <deque>
#include <map>
#include <vector>

namespace winglet {

class GraphCView {
public:
    // Throws std::logic_error when `report` does not describe `model` (op count or types differ).
    GraphCView(const Model& model, const Report& report);
    GraphCView(const GraphCView&) = delete;
    GraphCView& operator=(const GraphCView&) = delete;
    const wg_graph_view* get() const { return &view_; }

private:
    void add_graph(const Graph& graph);
    void add_values(const Graph& graph);
    void add_op(const Graph& graph, int node_index);
    void mark_compression(const Graph& main);
    const int64_t* indices(const Graph& graph, const std::vector<int>& local);
    const wg_attr_desc* attributes(const Node& node, uint64_t& count);

    const Report& report_;
    ReportCView report_view_;
    // Global value index of each graph's local values (outer-scope reads map to the outer value).
    std::map<const Graph*, std::vector<int64_t>> value_index_;
    std::vector<wg_value_view> values_;
    std::vector<wg_op_view> ops_;
    std::deque<std::vector<wg_dim>> dims_;
    std::deque<std::vector<int64_t>> edges_;
    std::deque<std::vector<wg_attr_desc>> attrs_;
    std::deque<std::vector<const char*>> strings_;
    wg_graph_view view_{};
};

}  // namespace winglet
