#include "graph/topology.hpp"

#include "core/errors.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>

#include <functional>
#include <queue>
#include <set>

namespace winglet {
namespace {

using DiGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

// Names a subgraph reads from enclosing scopes (ONNX implicit inputs).
void collect_outer_reads(const Graph& g, std::set<std::string>& out) {
    for (const Node& n : g.nodes) {
        for (int in : n.inputs)
            if (in >= 0) {
                const Value& v = g.values[in];
                if (v.is_outer_read()) out.insert(v.name);
            }
        for (const Attribute& a : n.attributes)
            if (a.graph) collect_outer_reads(*a.graph, out);
    }
}

DiGraph dependency_graph(const Graph& graph) {
    DiGraph dg(graph.nodes.size());
    for (size_t n = 0; n < graph.nodes.size(); ++n)
        for (int value_index : node_reads(graph, graph.nodes[n])) {
            if (value_index < 0) continue;
            const int producer = graph.values[value_index].producer;
            if (producer >= 0) boost::add_edge(producer, n, dg);
        }
    return dg;
}

[[noreturn]] void report_cycle(const Graph& graph, const DiGraph& dg) {
    std::vector<int> component(graph.nodes.size());
    const int count = boost::strong_components(dg, component.data());
    std::vector<std::vector<int>> members(count);
    for (size_t n = 0; n < component.size(); ++n) members[component[n]].push_back(static_cast<int>(n));
    std::string names;
    for (const auto& m : members) {
        bool self_loop = m.size() == 1 && boost::edge(m[0], m[0], dg).second;
        if (m.size() < 2 && !self_loop) continue;
        for (size_t i = 0; i < m.size() && i < 6; ++i) {
            if (i) names += ", ";
            const Node& node = graph.nodes[m[i]];
            names += "'" + (node.name.empty() ? node.op_type + "#" + std::to_string(m[i]) : node.name) + "'";
        }
        if (m.size() > 6) names += ", ... (" + std::to_string(m.size()) + " nodes)";
        break;
    }
    throw InputError("the graph" + (graph.name.empty() ? std::string() : " '" + graph.name + "'") +
                     " has a cycle through nodes " + names);
}

}  // namespace

std::vector<int> topological_order(const Graph& graph) {
    const DiGraph dg = dependency_graph(graph);
    // Kahn's algorithm, lowest file index first: a sorted model keeps its own schedule.
    std::vector<int> in_degree(graph.nodes.size(), 0);
    for (auto [e, end] = boost::edges(dg); e != end; ++e) ++in_degree[boost::target(*e, dg)];
    std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
    for (size_t n = 0; n < in_degree.size(); ++n)
        if (in_degree[n] == 0) ready.push(static_cast<int>(n));
    std::vector<int> order;
    order.reserve(graph.nodes.size());
    while (!ready.empty()) {
        const int n = ready.top();
        ready.pop();
        order.push_back(n);
        for (auto [e, end] = boost::out_edges(n, dg); e != end; ++e)
            if (--in_degree[boost::target(*e, dg)] == 0) ready.push(static_cast<int>(boost::target(*e, dg)));
    }
    if (order.size() != graph.nodes.size()) report_cycle(graph, dg);
    return order;
}

std::vector<int> node_reads(const Graph& graph, const Node& node) {
    std::vector<int> reads(node.inputs.begin(), node.inputs.end());
    std::set<std::string> outer;
    for (const Attribute& a : node.attributes)
        if (a.graph) collect_outer_reads(*a.graph, outer);
    for (const std::string& name : outer)
        if (auto idx = graph.find_value(name)) reads.push_back(*idx);
    return reads;
}

std::string scope_of(const std::string& node_name) {
    const auto slash = node_name.rfind('/');
    if (slash == std::string::npos || slash == 0) return "";
    return node_name.substr(0, slash);
}

}  // namespace winglet
