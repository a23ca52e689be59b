#include "graph_order.hpp"

#include <functional>
#include <queue>
#include <unordered_map>

namespace winglet::onnx_importer {

// ---- preparing a graph for libonnx ------------------------------------------------------------
// libonnx 1.12 walks nodes in file order and hands an inference function a null type for an input
// nobody produced yet; several functions dereference it. So nodes are put in a topological order
// first, and a graph reading a value nothing defines is not given to libonnx at all.

namespace {

void subgraphs_of(onnx::NodeProto& node, std::vector<onnx::GraphProto*>& out) {
    for (auto& attr : *node.mutable_attribute()) {
        if (attr.has_g()) out.push_back(attr.mutable_g());
        for (auto& sub : *attr.mutable_graphs()) out.push_back(&sub);
    }
}

void add_graph_defined(const onnx::GraphProto& g, NameSet& defined) {
    for (const auto& vi : g.input()) defined.insert(vi.name());
    for (const auto& t : g.initializer()) defined.insert(t.name());
    for (const auto& sp : g.sparse_initializer()) defined.insert(sp.values().name());
}

// Names a graph (with its nested subgraphs) reads but does not define: its outer-scope reads.
void free_names(onnx::GraphProto& g, NameSet& out, int depth) {
    if (depth > kMaxDepth) return;
    NameSet defined;
    add_graph_defined(g, defined);
    for (const auto& node : g.node())
        for (const auto& o : node.output()) defined.insert(o);
    for (auto& node : *g.mutable_node()) {
        for (const auto& in : node.input())
            if (!in.empty() && !defined.count(in)) out.insert(in);
        std::vector<onnx::GraphProto*> subs;
        subgraphs_of(node, subs);
        for (auto* sub : subs) {
            NameSet inner;
            free_names(*sub, inner, depth + 1);
            for (const auto& n : inner)
                if (!defined.count(n)) out.insert(n);
        }
    }
}

bool in_scopes(const std::vector<const NameSet*>& scopes, const std::string& name) {
    for (const NameSet* s : scopes)
        if (s->count(name)) return true;
    return false;
}

std::string node_label(const onnx::NodeProto& n, int index) {
    return (n.name().empty() ? "#" + std::to_string(index) : "'" + n.name() + "'") + " (" +
           n.op_type() + ")";
}

// Reorders g's nodes (and those of its subgraphs) topologically, keeping file order among ready
// nodes. False, with `problem`, when a node reads a value nothing defines or the graph has a cycle.
bool topo_sort(onnx::GraphProto& g, std::vector<const NameSet*>& scopes, std::string& problem,
               int depth);

// Sorts the subgraphs of every node of `g` (whose own names are already on `scopes`).
bool sort_subgraphs(onnx::GraphProto& g, std::vector<const NameSet*>& scopes, std::string& problem, int depth) {
    bool ok = true;
    for (auto& node : *g.mutable_node()) {
        std::vector<onnx::GraphProto*> subs;
        subgraphs_of(node, subs);
        for (auto* sub : subs)
            if (ok && !topo_sort(*sub, scopes, problem, depth + 1)) ok = false;
    }
    return ok;
}

bool topo_sort(onnx::GraphProto& g, std::vector<const NameSet*>& scopes, std::string& problem,
               int depth) {
    if (depth > kMaxDepth) {
        problem = "subgraphs nested too deep";
        return false;
    }
    NameSet local;
    add_graph_defined(g, local);
    scopes.push_back(&local);
    const int n = g.node_size();

    // Fast path: the file order is already topological (as ONNX requires) and complete.
    {
        NameSet defined;
        defined.reserve(static_cast<size_t>(n) * 2);
        scopes.push_back(&defined);
        bool in_order = true;
        for (int i = 0; i < n && in_order; ++i) {
            onnx::NodeProto& node = *g.mutable_node(i);
            for (const auto& in : node.input())
                if (!in.empty() && !in_scopes(scopes, in)) {
                    in_order = false;
                    break;
                }
            std::vector<onnx::GraphProto*> subs;
            subgraphs_of(node, subs);
            if (in_order && !subs.empty()) {
                NameSet free;
                for (auto* sub : subs) free_names(*sub, free, depth + 1);
                for (const auto& name : free)
                    if (!in_scopes(scopes, name)) {
                        in_order = false;
                        break;
                    }
            }
            for (const auto& o : node.output()) defined.insert(o);
        }
        if (in_order) {
            const bool ok = sort_subgraphs(g, scopes, problem, depth);
            scopes.pop_back();
            scopes.pop_back();
            return ok;
        }
        scopes.pop_back();
    }

    // Slow path: Kahn's algorithm, file order among ready nodes.
    std::unordered_map<std::string, int> producer;
    producer.reserve(static_cast<size_t>(n) * 2);
    for (int i = 0; i < n; ++i)
        for (const auto& o : g.node(i).output())
            if (!o.empty()) producer.emplace(o, i);

    std::vector<std::vector<int>> users(static_cast<size_t>(n));
    std::vector<int> pending(static_cast<size_t>(n), 0);
    for (int i = 0; i < n; ++i) {
        onnx::NodeProto& node = *g.mutable_node(i);
        NameSet deps(node.input().begin(), node.input().end());
        std::vector<onnx::GraphProto*> subs;
        subgraphs_of(node, subs);
        for (auto* sub : subs) free_names(*sub, deps, depth + 1);
        for (const auto& d : deps) {
            if (d.empty()) continue;
            auto it = producer.find(d);
            if (it != producer.end()) {
                if (it->second == i) {
                    problem = "node " + node_label(node, i) + " reads its own output '" + d + "'";
                    scopes.pop_back();
                    return false;
                }
                users[static_cast<size_t>(it->second)].push_back(i);
                ++pending[static_cast<size_t>(i)];
            } else if (!in_scopes(scopes, d)) {
                problem = "node " + node_label(node, i) + " reads '" + d +
                          "', which no node, input or initializer defines";
                scopes.pop_back();
                return false;
            }
        }
    }
    std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
    for (int i = 0; i < n; ++i)
        if (pending[static_cast<size_t>(i)] == 0) ready.push(i);
    std::vector<int> order;
    order.reserve(static_cast<size_t>(n));
    while (!ready.empty()) {
        const int i = ready.top();
        ready.pop();
        order.push_back(i);
        for (int u : users[static_cast<size_t>(i)])
            if (--pending[static_cast<size_t>(u)] == 0) ready.push(u);
    }
    if (static_cast<int>(order.size()) != n) {
        problem = "the graph '" + g.name() + "' has a cycle";
        scopes.pop_back();
        return false;
    }
    // Apply the permutation with swaps: who[p] = original index now at position p.
    std::vector<int> who(static_cast<size_t>(n)), pos(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) who[static_cast<size_t>(i)] = pos[static_cast<size_t>(i)] = i;
    for (int k = 0; k < n; ++k) {
        const int want = order[static_cast<size_t>(k)];
        const int j = pos[static_cast<size_t>(want)];
        if (j == k) continue;
        g.mutable_node()->SwapElements(k, j);
        const int moved = who[static_cast<size_t>(k)];
        who[static_cast<size_t>(j)] = moved;
        pos[static_cast<size_t>(moved)] = j;
        who[static_cast<size_t>(k)] = want;
        pos[static_cast<size_t>(want)] = k;
    }
    // Subgraphs see everything their enclosing graphs define.
    NameSet outputs;
    for (const auto& node : g.node())
        for (const auto& o : node.output()) outputs.insert(o);
    scopes.push_back(&outputs);
    const bool ok = sort_subgraphs(g, scopes, problem, depth);
    scopes.pop_back();
    scopes.pop_back();
    return ok;
}

}  // namespace

// Every graph, main graph first, depth first in node and attribute order.
void collect_graphs(onnx::GraphProto& g, std::vector<onnx::GraphProto*>& out, int depth) {
    if (depth > kMaxDepth) return;
    out.push_back(&g);
    for (auto& node : *g.mutable_node()) {
        std::vector<onnx::GraphProto*> subs;
        subgraphs_of(node, subs);
        for (auto* sub : subs) collect_graphs(*sub, out, depth + 1);
    }
}

bool sort_for_inference(onnx::ModelProto& model, std::string& problem) {
    std::vector<const NameSet*> scopes;
    return topo_sort(*model.mutable_graph(), scopes, problem, 0);
}

}  // namespace winglet::onnx_importer
